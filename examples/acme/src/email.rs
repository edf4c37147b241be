//! Acme Email (`acme-email`): send mail and read inboxes through `{baseUrl}/v2/email`,
//! authenticated with the `apiKey` credential (`X-Acme-Key`), plus `verify-webhook` for the
//! signed delivery events Acme posts back.

use sdk_authoring::prelude::*;
use serde_json::{Map, Value};

use crate::api::{API_KEY_HEADER, base_url, path_segment, with_request_id};
use crate::signature::verify_webhook;

/// The optional vendor secret with the customer-provided key Acme encrypts stored messages
/// with (sent per request, like S3's SSE-C).
const ENCRYPTION_KEY: &str = "ENCRYPTION_KEY";

/// Input of `send-email`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SendEmailInput {
    /// The mailbox to send from (an id from `list-mailboxes`), e.g. `mb_sales`.
    pub mailbox: String,
    /// Recipient addresses, separated by commas.
    pub to: String,
    /// Subject line.
    pub subject: String,
    /// Message body: plain text, or HTML when `html` is true.
    pub body: String,
    /// Send `body` as HTML.
    #[serde(default)]
    pub html: bool,
    /// Confidential mode: recipients need this passphrase to open the message.
    pub passphrase: Option<String>,
}

/// The body of `POST /v2/email/mailboxes/{mailbox}/messages`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OutgoingMessage<'a> {
    to: Vec<&'a str>,
    subject: &'a str,
    body: &'a str,
    content_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    passphrase: Option<&'a str>,
}

/// What Acme answers to a sent message.
#[derive(Deserialize)]
struct SentMessage {
    id: String,
    status: String,
}

/// Output of `send-email`.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SendEmailOutput {
    /// Acme's id of the message, e.g. `msg_51x`.
    pub message_id: String,
    /// Delivery status: `queued` or `sent`.
    pub status: String,
}

/// Sends an email from one of the organization's Acme mailboxes.
pub fn send_email(input: SendEmailInput, ctx: &Context) -> ToolResult<SendEmailOutput> {
    let api_key = require_api_key(&ctx.auth)?;
    let mailbox = path_segment("mailbox", &input.mailbox)?;
    let to: Vec<&str> = input
        .to
        .split(',')
        .map(str::trim)
        .filter(|address| !address.is_empty())
        .collect();
    if to.is_empty() {
        return Err(ToolError::new("`to` has no recipient address"));
    }
    if let Some(address) = to.iter().find(|address| !address.contains('@')) {
        return Err(ToolError::new(format!(
            "{address:?} is not an email address"
        )));
    }
    let message = OutgoingMessage {
        to,
        subject: &input.subject,
        body: &input.body,
        content_type: if input.html {
            "text/html"
        } else {
            "text/plain"
        },
        passphrase: input.passphrase.as_deref().filter(|p| !p.is_empty()),
    };

    let mut request = ctx
        .http()
        .post(format!(
            "{}/v2/email/mailboxes/{mailbox}/messages",
            base_url(ctx)
        ))
        .header(API_KEY_HEADER, api_key)
        .json(&message);
    if let Some(key) = ctx.secrets.get(ENCRYPTION_KEY) {
        request = request.header("X-Acme-Encryption-Key", key);
    }
    let response = request.send()?.error_for_status()?;
    let sent: SentMessage = response.json()?;
    ctx.logger.info(format!(
        "sent message {} to {} recipients",
        sent.id,
        message.to.len()
    ));
    let output = SendEmailOutput {
        message_id: sent.id,
        status: sent.status,
    };
    Ok(with_request_id(ToolResponse::ok(output), &response))
}

fn default_inbox_limit() -> u32 {
    20
}

/// Input of `list-inbox`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListInboxInput {
    /// The mailbox to read (an id from `list-mailboxes`), e.g. `mb_sales`.
    pub mailbox: String,
    /// Only messages not yet marked as read.
    #[serde(default)]
    pub unread_only: bool,
    /// How many messages to return (1-100), newest first.
    #[serde(default = "default_inbox_limit")]
    #[schemars(range(min = 1, max = 100))]
    pub limit: u32,
}

/// A received message, without its body.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct MessageSummary {
    /// Acme's id of the message.
    pub id: String,
    /// Sender address.
    pub from: String,
    /// Subject line.
    pub subject: String,
    /// The first 200 characters of the body.
    #[serde(default)]
    pub snippet: String,
    /// Arrival time (RFC 3339).
    pub received_at: String,
    /// Not yet marked as read.
    #[serde(default)]
    pub unread: bool,
}

/// A list answer of the email API: `{ "data": [...] }`.
#[derive(Deserialize)]
struct ListPage<T> {
    data: Vec<T>,
}

/// Output of `list-inbox`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ListInboxOutput {
    /// The messages, newest first.
    pub messages: Vec<MessageSummary>,
}

/// Lists the newest messages of a mailbox.
pub fn list_inbox(input: ListInboxInput, ctx: &Context) -> ToolResult<ListInboxOutput> {
    let api_key = require_api_key(&ctx.auth)?;
    let mailbox = path_segment("mailbox", &input.mailbox)?;
    let limit = input.limit.clamp(1, 100).to_string();
    let mut query = vec![("limit", limit.as_str())];
    if input.unread_only {
        query.push(("unreadOnly", "true"));
    }

    let response = ctx
        .http()
        .get(format!(
            "{}/v2/email/mailboxes/{mailbox}/messages",
            base_url(ctx)
        ))
        .header(API_KEY_HEADER, api_key)
        .query(&query)
        .send()?
        .error_for_status()?;
    let page: ListPage<MessageSummary> = response.json()?;
    let output = ListInboxOutput {
        messages: page.data,
    };
    Ok(with_request_id(ToolResponse::ok(output), &response))
}

/// Input of `list-mailboxes` (none).
#[derive(Debug, Deserialize, JsonSchema)]
pub struct ListMailboxesInput {}

/// A mailbox of the organization.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Mailbox {
    /// Acme's id of the mailbox, e.g. `mb_sales`.
    pub id: String,
    /// The address it sends from and receives at.
    pub address: String,
    /// Sender name shown to recipients.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
}

/// Output of `list-mailboxes`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ListMailboxesOutput {
    /// The organization's mailboxes.
    pub mailboxes: Vec<Mailbox>,
}

/// Lists the organization's mailboxes (the options of the block's mailbox combobox).
pub fn list_mailboxes(
    _input: ListMailboxesInput,
    ctx: &Context,
) -> ToolResult<ListMailboxesOutput> {
    let api_key = require_api_key(&ctx.auth)?;
    let response = ctx
        .http()
        .get(format!("{}/v2/email/mailboxes", base_url(ctx)))
        .header(API_KEY_HEADER, api_key)
        .send()?
        .error_for_status()?;
    let page: ListPage<Mailbox> = response.json()?;
    let output = ListMailboxesOutput {
        mailboxes: page.data,
    };
    Ok(with_request_id(ToolResponse::ok(output), &response))
}

/// The `acme-email` product.
pub fn product() -> Product {
    define_product! {
        id: "acme-email",
        name: "Acme Email",
        description: "Send email from shared mailboxes and read their inboxes",
        credential_ref: "apiKey",
        capabilities: capabilities! {
            tools: [
                define_tool! {
                    id: "send-email",
                    name: "Send Email",
                    version: "1.0.0",
                    description: "Sends an email from one of the organization's Acme mailboxes",
                    params: [
                        ("mailbox", param! {
                            kind: "string",
                            required: true,
                            visibility: Visibility::UserOnly,
                        }),
                        ("to", param! {
                            kind: "string",
                            required: true,
                            visibility: Visibility::UserOrLlm,
                        }),
                        ("subject", param! {
                            kind: "string",
                            required: true,
                            visibility: Visibility::UserOrLlm,
                        }),
                        ("body", param! {
                            kind: "string",
                            required: true,
                            visibility: Visibility::UserOrLlm,
                        }),
                        ("html", param! {
                            kind: "boolean",
                            default: false,
                            visibility: Visibility::UserOrLlm,
                        }),
                        ("passphrase", param! {
                            kind: "string",
                            description: "Confidential-mode passphrase; kept from agents",
                            visibility: Visibility::UserOnly,
                        }),
                    ],
                    execute: send_email,
                },
                define_tool! {
                    id: "list-inbox",
                    name: "List Inbox",
                    version: "1.0.0",
                    description: "Lists the newest messages of a mailbox",
                    params: [
                        ("mailbox", param! {
                            kind: "string",
                            required: true,
                            visibility: Visibility::UserOnly,
                        }),
                        ("unreadOnly", param! {
                            kind: "boolean",
                            default: false,
                            visibility: Visibility::UserOrLlm,
                        }),
                        ("limit", param! {
                            kind: "integer",
                            default: 20,
                            visibility: Visibility::UserOrLlm,
                        }),
                    ],
                    execute: list_inbox,
                },
                define_tool! {
                    id: "list-mailboxes",
                    name: "List Mailboxes",
                    version: "1.0.0",
                    description: "Lists the organization's mailboxes",
                    execute: list_mailboxes,
                },
                define_tool! {
                    id: "verify-webhook",
                    name: "Verify Webhook",
                    version: "1.0.0",
                    description: "Checks a webhook's X-Acme-Signature against the signing secret",
                    params: [
                        ("payload", param! {
                            kind: "string",
                            required: true,
                            visibility: Visibility::UserOrLlm,
                        }),
                        ("signature", param! {
                            kind: "string",
                            required: true,
                            visibility: Visibility::UserOrLlm,
                        }),
                    ],
                    execute: verify_webhook,
                },
            ],
        },
        block: block(),
    }
}

/// The `acme_email` block: send a message or list an inbox.
fn block() -> Block {
    define_block! {
        kind: "acme_email",
        name: "Acme Email",
        description: "Send an email or read a mailbox",
        bg_color: "#2563EB",
        auth_mode: "apiKey",
        sub_blocks: [
            sub_block! {
                id: "operation",
                title: "Operation",
                kind: SubBlockType::Dropdown,
                required: true,
                default_value: "send",
                options: [("Send email", "send"), ("List inbox", "list")],
            },
            sub_block! {
                id: "mailbox",
                title: "Mailbox",
                kind: SubBlockType::Combobox,
                required: true,
                placeholder: "Pick a mailbox",
                fetch_options: "acme:acme-email:list-mailboxes",
            },
            sub_block! {
                id: "to",
                title: "To",
                kind: SubBlockType::ShortInput,
                required: true,
                placeholder: "ada@example.com, grace@example.com",
                condition: ("operation", "send"),
            },
            sub_block! {
                id: "subject",
                title: "Subject",
                kind: SubBlockType::ShortInput,
                required: true,
                condition: ("operation", "send"),
            },
            sub_block! {
                id: "body",
                title: "Message",
                kind: SubBlockType::LongInput,
                required: true,
                condition: ("operation", "send"),
            },
            sub_block! {
                id: "html",
                title: "HTML body",
                kind: SubBlockType::Switch,
                layout: Layout::Half,
                default_value: false,
                condition: ("operation", "send"),
            },
            sub_block! {
                id: "passphrase",
                title: "Passphrase",
                kind: SubBlockType::ShortInput,
                layout: Layout::Half,
                password: true,
                description: "Confidential mode: recipients need it to open the message",
                condition: ("operation", "send"),
            },
            sub_block! {
                id: "unreadOnly",
                title: "Unread only",
                kind: SubBlockType::Switch,
                layout: Layout::Half,
                default_value: false,
                condition: ("operation", "list"),
            },
            sub_block! {
                id: "limit",
                title: "Messages",
                kind: SubBlockType::Slider,
                layout: Layout::Half,
                min: 1,
                max: 100,
                step: 1,
                default_value: 20,
                condition: ("operation", "list"),
            },
        ],
        tools: block_tools! {
            access: ["send-email", "list-inbox"],
            select: |params: &Map<String, Value>| {
                match params.get("operation").and_then(Value::as_str) {
                    Some("list") => "list-inbox".to_owned(),
                    _ => "send-email".to_owned(),
                }
            },
        },
        outputs: [
            ("messageId", ("string", "Id of the sent message")),
            ("status", ("string", "Delivery status of the sent message")),
            ("messages", ("json", "The listed messages")),
        ],
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use sdk_authoring::testing::ScriptedHttp;
    use serde_json::json;

    use super::*;

    fn ctx(http: &Arc<ScriptedHttp>) -> Context {
        let auth = Auth::ApiKey {
            api_key: "ak_123".into(),
        };
        Context::new(auth, Execution::default()).with_http(HttpClient::new(http.clone()))
    }

    fn send_input(to: &str) -> SendEmailInput {
        SendEmailInput {
            mailbox: "mb_sales".into(),
            to: to.into(),
            subject: "Welcome".into(),
            body: "Hi Ada!".into(),
            html: false,
            passphrase: None,
        }
    }

    #[test]
    fn sends_with_the_api_key_header_and_encryption_key() {
        let http = Arc::new(ScriptedHttp::new().respond(
            "POST",
            "https://api.acme.example/v2/email/mailboxes/mb_sales/messages",
            202,
            r#"{ "id": "msg_1", "status": "queued" }"#,
        ));
        let ctx = ctx(&http).with_secret(ENCRYPTION_KEY, "k3y");

        let response = send_email(send_input("ada@example.com, grace@example.com"), &ctx).unwrap();

        assert_eq!(response.output.message_id, "msg_1");
        assert_eq!(response.output.status, "queued");
        let request = &http.requests()[0];
        assert!(
            request
                .headers
                .contains(&("X-Acme-Key".into(), "ak_123".into()))
        );
        assert!(
            request
                .headers
                .contains(&("X-Acme-Encryption-Key".into(), "k3y".into()))
        );
        let body: Value = serde_json::from_slice(request.body.as_deref().unwrap()).unwrap();
        assert_eq!(body["to"], json!(["ada@example.com", "grace@example.com"]));
        assert_eq!(body["contentType"], "text/plain");
    }

    #[test]
    fn rejects_bad_recipients_before_sending() {
        let http = Arc::new(ScriptedHttp::new());
        assert!(send_email(send_input(" , "), &ctx(&http)).is_err());
        let error = send_email(send_input("ada@example.com, grace"), &ctx(&http)).unwrap_err();
        assert_eq!(error.message, "\"grace\" is not an email address");
        assert!(http.requests().is_empty());
    }

    #[test]
    fn lists_unread_messages() {
        let http = Arc::new(ScriptedHttp::new().respond(
            "GET",
            "https://api.acme.example/v2/email/mailboxes/mb_sales/messages?limit=5&unreadOnly=true",
            200,
            r#"{ "data": [{ "id": "m1", "from": "ada@example.com", "subject": "Hi",
                            "receivedAt": "2025-05-01T09:30:00Z", "unread": true }] }"#,
        ));
        let input = json!({ "mailbox": "mb_sales", "unreadOnly": true, "limit": 5 });

        let response = crate::vendor()
            .invoke("acme:acme-email:list-inbox", input, &ctx(&http))
            .unwrap();

        assert!(response.success, "{:?}", response.error);
        assert_eq!(response.output["messages"][0]["subject"], "Hi");
        assert_eq!(response.output["messages"][0]["unread"], true);
    }

    #[test]
    fn lists_mailboxes() {
        let http = Arc::new(ScriptedHttp::new().respond(
            "GET",
            "https://api.acme.example/v2/email/mailboxes",
            200,
            r#"{ "data": [{ "id": "mb_sales", "address": "sales@acme.example" }] }"#,
        ));

        let response = list_mailboxes(ListMailboxesInput {}, &ctx(&http)).unwrap();

        assert_eq!(response.output.mailboxes[0].address, "sales@acme.example");
    }

    #[test]
    fn the_block_sends_unless_told_to_list() {
        let select =
            |params: Value| crate::vendor().select_tool("acme_email", params.as_object().unwrap());
        assert_eq!(
            select(json!({ "operation": "list" })).unwrap(),
            "acme:acme-email:list-inbox"
        );
        assert_eq!(
            select(json!({ "operation": "send" })).unwrap(),
            "acme:acme-email:send-email"
        );
    }
}
