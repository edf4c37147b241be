//! {{vendor_name}}: new submissions of an online form start a workflow. The
//! `{{block_prefix}}_new_submission` trigger gets them in one of two ways:
//!
//! - **webhook**: the forms service POSTs each submission to a URL the platform provides
//!   (the user pastes it into the form's settings);
//! - **polling**: without a webhook, the platform calls `list-submissions` every two
//!   minutes, passes the last `nextCursor` back as `after`, and drops submissions it has
//!   already seen by `id`.
//!
//! The `forms` product also has a regular block that lists submissions on demand.

use sdk_authoring::prelude::*;
use serde_json::{Map, Value};

/// The API every request goes to; its host is listed in `allowed_hosts`.
const API_BASE: &str = "https://api.forms.example/v1";

/// The trigger's block type.
const NEW_SUBMISSION: &str = "{{block_prefix}}_new_submission";

/// One filled-in form.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Submission {
    /// The submission's id, e.g. `sub_5Qx1`; the trigger's dedupe key.
    pub id: String,
    /// When it was submitted (RFC 3339).
    pub submitted_at: String,
    /// The answers by field id, e.g. `{"email": "ada@example.com", "rating": 5}`.
    pub answers: Map<String, Value>,
}

fn default_limit() -> u32 {
    25
}

/// Input of `list-submissions`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListSubmissionsInput {
    /// The form, e.g. `f_contact_us` (in the form's URL).
    pub form_id: String,
    /// Only submissions after this cursor: the `nextCursor` of the previous call. Set by the
    /// polling trigger.
    pub after: Option<String>,
    /// How many submissions to return at most (1-100).
    #[serde(default = "default_limit")]
    #[schemars(range(min = 1, max = 100))]
    pub limit: u32,
}

/// `GET /v1/forms/{id}/submissions` as the API returns it.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SubmissionPage {
    items: Vec<Submission>,
    next_cursor: Option<String>,
}

/// Output of `list-submissions`.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListSubmissionsOutput {
    /// The submissions, oldest first.
    pub submissions: Vec<Submission>,
    /// Pass as `after` to get only newer submissions; absent when there are none yet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// Lists a form's submissions, oldest first, after a cursor.
pub fn list_submissions(
    input: ListSubmissionsInput,
    ctx: &Context,
) -> ToolResult<ListSubmissionsOutput> {
    let key = require_api_key(&ctx.auth)?;
    let form = input.form_id.trim();
    if form.is_empty() || !form.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(ToolError::new(format!("{form:?} is not a form id")));
    }
    let limit = input.limit.clamp(1, 100).to_string();
    let mut query = vec![("limit", limit.as_str())];
    if let Some(after) = input.after.as_deref() {
        query.push(("after", after));
    }
    let response = ctx
        .http()
        .get(format!("{API_BASE}/forms/{form}/submissions"))
        .bearer(key)
        .query(&query)
        .send()?
        .error_for_status()?;
    let page: SubmissionPage = response.json()?;
    ctx.logger
        .debug(format!("{} new submissions", page.items.len()));
    Ok(ToolResponse::ok(ListSubmissionsOutput {
        submissions: page.items,
        next_cursor: page.next_cursor,
    }))
}

/// The form field both blocks ask for.
fn form_id_field() -> SubBlock {
    sub_block! {
        id: "formId",
        title: "Form ID",
        kind: SubBlockType::ShortInput,
        required: true,
        placeholder: "f_contact_us",
    }
}

define_vendor! {
    id: "{{vendor_id}}",
    name: "{{vendor_name}}",
    version: "0.1.0",
    description: "Online forms: start a workflow for every new submission",
    color: "#7C3AED",
    icon: include_str!("../assets/icon.svg"),
    categories: ["forms"],
    connectivity: Connectivity::Cloud,
    allowed_hosts: ["api.forms.example"],
    auth: auth! {
        credentials: [("apiKey", api_key! {
            label: "Personal Access Token",
            description: "A token from Account > Developer settings in the forms service",
            header_name: "Authorization",
            header_prefix: "Bearer",
        })],
        default: "apiKey",
    },
    products: [define_product! {
        id: "forms",
        name: "Forms",
        description: "Form submissions, on demand or as a trigger",
        credential_ref: "apiKey",
        capabilities: capabilities! {
            tools: [define_tool! {
                id: "list-submissions",
                name: "List Submissions",
                version: "0.1.0",
                description: "Lists a form's submissions, oldest first, after an optional cursor",
                params: [
                    ("formId", param! {
                        kind: "string",
                        required: true,
                        visibility: Visibility::UserOnly,
                    }),
                    ("after", param! {
                        kind: "string",
                        description: "Cursor of the last poll, managed by the platform",
                        visibility: Visibility::Hidden,
                    }),
                    ("limit", param! {
                        kind: "integer",
                        default: 25,
                        visibility: Visibility::UserOrLlm,
                    }),
                ],
                execute: list_submissions,
            }],
            triggers: [define_trigger_block! {
                kind: NEW_SUBMISSION,
                name: "New {{vendor_name}} Submission",
                description: "Starts the workflow when someone submits the form",
                bg_color: "#7C3AED",
                auth_mode: "apiKey",
                provider: "{{vendor_id}}",
                version: "0.1.0",
                sub_blocks: [
                    form_id_field(),
                    sub_block! {
                        id: "webhookUrl",
                        title: "Webhook URL",
                        kind: SubBlockType::ShortInput,
                        description: "Paste into the form's Settings > Webhooks; leave unset to poll",
                        read_only: true,
                        show_copy_button: true,
                    },
                ],
                tools: block_tools! { access: ["list-submissions"] },
                outputs: [
                    ("id", ("string", "The submission's id")),
                    ("submittedAt", ("string", "When it was submitted")),
                    ("answers", ("json", "The answers by field id")),
                ],
                runtime: def!(TriggerRuntime {
                    webhook: def!(WebhookRuntime {
                        method: HttpMethod::Post,
                        headers: [
                            ("Content-Type", "application/json"),
                            ("X-Forms-Event", "submission.created"),
                        ],
                    }),
                    polling: def!(PollingRuntime {
                        tool: "list-submissions",
                        interval_seconds: 120,
                        dedupe_key: "id",
                    }),
                }),
            }],
        },
        block: define_block! {
            kind: "{{block_prefix}}_submissions",
            name: "{{vendor_name}} Submissions",
            description: "List a form's submissions",
            bg_color: "#7C3AED",
            auth_mode: "apiKey",
            sub_blocks: [
                form_id_field(),
                sub_block! {
                    id: "limit",
                    title: "How many",
                    kind: SubBlockType::Slider,
                    min: 1,
                    max: 100,
                    step: 1,
                    default_value: 25,
                },
            ],
            tools: block_tools! { access: ["list-submissions"] },
            outputs: [
                ("submissions", ("json", "The submissions, oldest first")),
                ("nextCursor", ("string", "Cursor for newer submissions")),
            ],
            triggers: def!(BlockTriggers { enabled: true, available: [NEW_SUBMISSION] }),
        },
    }],
}
