//! {{vendor_name}}: helpdesk tickets over a REST API authenticated with an API key sent in
//! the `X-Api-Key` header. One product (`helpdesk`) with two tools, `create-ticket` and
//! `get-ticket`, and a block whose `operation` dropdown picks one of them.

use sdk_authoring::prelude::*;
use serde_json::{Map, Value};

/// The API every request goes to; its host is listed in `allowed_hosts`.
const API_BASE: &str = "https://api.tickets.example/v2";

/// The header the key travels in (the `apiKey` credential's `header_name`).
const API_KEY_HEADER: &str = "X-Api-Key";

/// How urgent a ticket is.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    Low,
    #[default]
    Normal,
    High,
    Urgent,
}

/// A ticket as the API returns it.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Ticket {
    /// The ticket's id, e.g. `tk_4821`.
    pub id: String,
    /// One-line summary.
    pub subject: String,
    /// `open`, `pending`, `solved` or `closed`.
    pub status: String,
    /// `low`, `normal`, `high` or `urgent`.
    pub priority: Priority,
    /// Who asked for help.
    pub requester_email: String,
    /// When the ticket was opened (RFC 3339).
    pub created_at: String,
    /// The ticket in the helpdesk's web app.
    pub url: String,
}

/// Output of both tools.
#[derive(Debug, Serialize, JsonSchema)]
pub struct TicketOutput {
    /// The ticket as stored by the helpdesk.
    pub ticket: Ticket,
}

/// Input of `create-ticket`; also the body of `POST /v2/tickets`.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateTicketInput {
    /// One-line summary of the problem.
    pub subject: String,
    /// The full description; Markdown is allowed.
    pub description: String,
    /// Email address of the person who needs help.
    pub requester_email: String,
    /// How urgent it is (default `normal`).
    #[serde(default)]
    pub priority: Priority,
}

/// Opens a ticket.
pub fn create_ticket(input: CreateTicketInput, ctx: &Context) -> ToolResult<TicketOutput> {
    let api_key = require_api_key(&ctx.auth)?;
    if input.subject.trim().is_empty() {
        return Err(ToolError::new("a ticket needs a subject"));
    }
    let response = ctx
        .http()
        .post(format!("{API_BASE}/tickets"))
        .header(API_KEY_HEADER, api_key)
        .json(&input)
        .send()?
        .error_for_status()?;
    let ticket: Ticket = response.json()?;
    ctx.logger.info(format!("opened ticket {}", ticket.id));
    Ok(ToolResponse::ok(TicketOutput { ticket }))
}

/// Input of `get-ticket`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GetTicketInput {
    /// The ticket to read, e.g. `tk_4821`.
    pub ticket_id: String,
}

/// Whether `id` is safe in a URL path: letters, digits, '-' and '_' only, so that input like
/// `../admin` or `1?x=y` cannot change the request.
fn is_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Reads a ticket by id.
pub fn get_ticket(input: GetTicketInput, ctx: &Context) -> ToolResult<TicketOutput> {
    let api_key = require_api_key(&ctx.auth)?;
    let id = input.ticket_id.trim();
    if !is_id(id) {
        return Err(ToolError::new(format!("{id:?} is not a ticket id")));
    }
    let response = ctx
        .http()
        .get(format!("{API_BASE}/tickets/{id}"))
        .header(API_KEY_HEADER, api_key)
        .send()?
        .error_for_status()?;
    let ticket: Ticket = response.json()?;
    Ok(ToolResponse::ok(TicketOutput { ticket }))
}

define_vendor! {
    id: "{{vendor_id}}",
    name: "{{vendor_name}}",
    version: "0.1.0",
    description: "Open and look up helpdesk tickets",
    color: "#16A34A",
    icon: include_str!("../assets/icon.svg"),
    categories: ["support"],
    connectivity: Connectivity::Cloud,
    allowed_hosts: ["api.tickets.example"],
    auth: auth! {
        credentials: [("apiKey", api_key! {
            label: "API Key",
            description: "A key from Settings > API in the helpdesk",
            header_name: API_KEY_HEADER,
        })],
        default: "apiKey",
    },
    products: [define_product! {
        id: "helpdesk",
        name: "Helpdesk",
        description: "Tickets: open one, or read one by id",
        credential_ref: "apiKey",
        capabilities: capabilities! {
            tools: [
                define_tool! {
                    id: "create-ticket",
                    name: "Create Ticket",
                    version: "0.1.0",
                    description: "Opens a ticket on behalf of a requester",
                    params: [
                        ("subject", param! {
                            kind: "string",
                            required: true,
                            visibility: Visibility::UserOrLlm,
                        }),
                        ("description", param! {
                            kind: "string",
                            required: true,
                            visibility: Visibility::UserOrLlm,
                        }),
                        ("requesterEmail", param! {
                            kind: "string",
                            required: true,
                            visibility: Visibility::UserOrLlm,
                        }),
                        ("priority", param! {
                            kind: "string",
                            default: "normal",
                            visibility: Visibility::UserOrLlm,
                        }),
                    ],
                    execute: create_ticket,
                },
                define_tool! {
                    id: "get-ticket",
                    name: "Get Ticket",
                    version: "0.1.0",
                    description: "Reads a ticket's status, priority and requester",
                    params: [(
                        "ticketId",
                        param! { kind: "string", required: true, visibility: Visibility::UserOrLlm },
                    )],
                    execute: get_ticket,
                },
            ],
        },
        block: define_block! {
            kind: "{{block_prefix}}_tickets",
            name: "{{vendor_name}} Tickets",
            description: "Open a ticket or look one up",
            bg_color: "#16A34A",
            auth_mode: "apiKey",
            sub_blocks: [
                sub_block! {
                    id: "operation",
                    title: "Operation",
                    kind: SubBlockType::Dropdown,
                    required: true,
                    default_value: "create",
                    options: [("Create ticket", "create"), ("Get ticket", "get")],
                },
                sub_block! {
                    id: "subject",
                    title: "Subject",
                    kind: SubBlockType::ShortInput,
                    required: true,
                    placeholder: "Cannot log in",
                    condition: ("operation", "create"),
                },
                sub_block! {
                    id: "description",
                    title: "Description",
                    kind: SubBlockType::LongInput,
                    required: true,
                    condition: ("operation", "create"),
                },
                sub_block! {
                    id: "requesterEmail",
                    title: "Requester email",
                    kind: SubBlockType::ShortInput,
                    layout: Layout::Half,
                    required: true,
                    placeholder: "ada@example.com",
                    condition: ("operation", "create"),
                },
                sub_block! {
                    id: "priority",
                    title: "Priority",
                    kind: SubBlockType::Dropdown,
                    layout: Layout::Half,
                    default_value: "normal",
                    options: [("Low", "low"), ("Normal", "normal"), ("High", "high"), ("Urgent", "urgent")],
                    condition: ("operation", "create"),
                },
                sub_block! {
                    id: "ticketId",
                    title: "Ticket ID",
                    kind: SubBlockType::ShortInput,
                    required: true,
                    placeholder: "tk_4821",
                    condition: ("operation", "get"),
                },
            ],
            tools: block_tools! {
                access: ["create-ticket", "get-ticket"],
                select: |params: &Map<String, Value>| {
                    match params.get("operation").and_then(Value::as_str) {
                        Some("get") => "get-ticket".to_owned(),
                        _ => "create-ticket".to_owned(),
                    }
                },
            },
            outputs: [("ticket", ("json", "The created or requested ticket"))],
        },
    }],
}
