//! Acme CRM (`acme-crm`): contacts over `{baseUrl}/v2/contacts`, authenticated with the
//! `oauth` credential. Four tools, the `acme_crm` block that picks one of them from its
//! `operation` dropdown, and the `acme_new_contact` trigger (webhook or polling).

use sdk_authoring::prelude::*;
use serde_json::{Map, Value};

use crate::api::{base_url, path_segment, with_request_id};

/// The OAuth scopes the CRM tools need (a subset of the `oauth` credential's scopes).
const CRM_SCOPES: [&str; 2] = ["contacts.read", "contacts.write"];

/// Acme returns at most this many contacts per page.
const MAX_PAGE_SIZE: u32 = 100;

/// A CRM contact as the Acme API returns it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Contact {
    /// Acme's id of the contact, e.g. `c_8f2k1`.
    pub id: String,
    /// Primary email address.
    pub email: String,
    /// Given name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Family name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Company the contact works for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// Sales stage: `lead`, `prospect`, `customer`, `churned` or a custom stage.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lifecycle_stage: Option<String>,
    /// Creation time (RFC 3339).
    pub created_at: String,
    /// Archived contacts are hidden from lists unless asked for.
    #[serde(default)]
    pub archived: bool,
}

/// One page of `GET /v2/contacts`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ContactPage {
    data: Vec<Contact>,
    next_cursor: Option<String>,
}

fn default_page_size() -> u32 {
    25
}

/// Input of `list-contacts`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListContactsInput {
    /// Free-text search over name, email and company.
    pub query: Option<String>,
    /// How many contacts to return (1-100).
    #[serde(default = "default_page_size")]
    #[schemars(range(min = 1, max = 100))]
    pub limit: u32,
    /// Include archived contacts.
    #[serde(default)]
    pub include_archived: bool,
    /// Where to continue: the `nextCursor` of the previous page. Set by the polling trigger.
    pub cursor: Option<String>,
}

/// Output of `list-contacts`.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListContactsOutput {
    /// The contacts on this page, newest first.
    pub contacts: Vec<Contact>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// Lists contacts, newest first.
pub fn list_contacts(input: ListContactsInput, ctx: &Context) -> ToolResult<ListContactsOutput> {
    let token = require_oauth_token(&ctx.auth)?;
    let limit = input.limit.clamp(1, MAX_PAGE_SIZE).to_string();
    let mut query = vec![("limit", limit.as_str())];
    if let Some(search) = input.query.as_deref().filter(|q| !q.trim().is_empty()) {
        query.push(("query", search.trim()));
    }
    if input.include_archived {
        query.push(("includeArchived", "true"));
    }
    if let Some(cursor) = input.cursor.as_deref() {
        query.push(("cursor", cursor));
    }

    let response = ctx
        .http()
        .get(format!("{}/v2/contacts", base_url(ctx)))
        .bearer(token)
        .query(&query)
        .send()?
        .error_for_status()?;
    let page: ContactPage = response.json()?;
    let count = page.data.len();
    ctx.logger.info(format!("listed {count} contacts"));
    let output = ListContactsOutput {
        contacts: page.data,
        next_cursor: page.next_cursor,
    };
    Ok(with_request_id(ToolResponse::ok(output), &response))
}

fn default_source() -> String {
    "workflow".to_owned()
}

/// Input of `create-contact`; also the request body of `POST /v2/contacts`.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateContactInput {
    /// Primary email address; Acme rejects a second contact with the same address.
    pub email: String,
    /// Given name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Family name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Company the contact works for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// Sales stage: `lead`, `prospect`, `customer`, `churned` or a custom stage.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lifecycle_stage: Option<String>,
    /// Free-form notes shown on the contact's timeline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Where the contact came from, for Acme's attribution reports. Set by the platform.
    #[serde(default = "default_source")]
    pub source: String,
}

/// Output of `create-contact` and `update-contact`.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ContactOutput {
    /// The contact as stored by Acme.
    pub contact: Contact,
}

/// Creates a contact.
pub fn create_contact(input: CreateContactInput, ctx: &Context) -> ToolResult<ContactOutput> {
    let token = require_oauth_token(&ctx.auth)?;
    if !input.email.contains('@') {
        return Err(ToolError::new(format!(
            "{:?} is not an email address",
            input.email
        )));
    }
    let org = &ctx.execution.org_id;
    ctx.logger.info(format!("creating contact for org {org}"));

    let response = ctx
        .http()
        .post(format!("{}/v2/contacts", base_url(ctx)))
        .bearer(token)
        .json(&input)
        .send()?
        .error_for_status()?;
    let contact: Contact = response.json()?;
    Ok(with_request_id(
        ToolResponse::ok(ContactOutput { contact }),
        &response,
    ))
}

/// Input of `update-contact`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateContactInput {
    /// The contact to change, e.g. `c_8f2k1`.
    pub contact_id: String,
    /// The fields to change and their new values, e.g. `{"company": "Initech"}`; fields not
    /// listed keep their values.
    pub properties: Map<String, Value>,
}

/// Changes some fields of a contact.
pub fn update_contact(input: UpdateContactInput, ctx: &Context) -> ToolResult<ContactOutput> {
    let token = require_oauth_token(&ctx.auth)?;
    let contact_id = path_segment("contact id", &input.contact_id)?;
    if input.properties.is_empty() {
        return Err(ToolError::new(
            "nothing to update: `properties` is empty; give the fields to change, \
             e.g. {\"company\": \"Initech\"}",
        ));
    }

    let response = ctx
        .http()
        .patch(format!("{}/v2/contacts/{contact_id}", base_url(ctx)))
        .bearer(token)
        .json(&input.properties)
        .send()?
        .error_for_status()?;
    let contact: Contact = response.json()?;
    Ok(with_request_id(
        ToolResponse::ok(ContactOutput { contact }),
        &response,
    ))
}

/// Input of `delete-contact`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeleteContactInput {
    /// The contact to delete, e.g. `c_8f2k1`.
    pub contact_id: String,
}

/// Output of `delete-contact`.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeleteContactOutput {
    /// The contact that was deleted.
    pub contact_id: String,
    /// Always true on success; a contact that does not exist is an error (HTTP 404).
    pub deleted: bool,
}

/// Deletes a contact.
pub fn delete_contact(input: DeleteContactInput, ctx: &Context) -> ToolResult<DeleteContactOutput> {
    let token = require_oauth_token(&ctx.auth)?;
    let contact_id = path_segment("contact id", &input.contact_id)?;

    let response = ctx
        .http()
        .delete(format!("{}/v2/contacts/{contact_id}", base_url(ctx)))
        .bearer(token)
        .send()?
        .error_for_status()?;
    ctx.logger.info(format!("deleted contact {contact_id}"));
    let output = DeleteContactOutput {
        contact_id: contact_id.to_owned(),
        deleted: true,
    };
    Ok(with_request_id(ToolResponse::ok(output), &response))
}

/// The `acme-crm` product.
pub fn product() -> Product {
    define_product! {
        id: "acme-crm",
        name: "Acme CRM",
        description: "Contacts: list, create, update and delete, and a trigger for new ones",
        credential_ref: "oauth",
        credential_scopes: CRM_SCOPES,
        capabilities: capabilities! {
            tools: [
                define_tool! {
                    id: "list-contacts",
                    name: "List Contacts",
                    version: "1.0.0",
                    description: "Lists contacts newest first, optionally filtered by a search",
                    params: [
                        ("query", param! {
                            kind: "string",
                            description: "Search over name, email and company",
                            visibility: Visibility::UserOrLlm,
                        }),
                        ("limit", param! {
                            kind: "integer",
                            default: 25,
                            visibility: Visibility::UserOrLlm,
                        }),
                        ("includeArchived", param! {
                            kind: "boolean",
                            default: false,
                            visibility: Visibility::UserOnly,
                        }),
                        ("cursor", param! {
                            kind: "string",
                            description: "Pagination cursor, managed by the platform",
                            visibility: Visibility::Hidden,
                        }),
                    ],
                    execute: list_contacts,
                },
                define_tool! {
                    id: "create-contact",
                    name: "Create Contact",
                    version: "1.0.0",
                    description: "Creates a contact from an email address and optional details",
                    params: [
                        ("email", param! {
                            kind: "string",
                            required: true,
                            visibility: Visibility::UserOrLlm,
                        }),
                        ("firstName", param! { kind: "string", visibility: Visibility::UserOrLlm }),
                        ("lastName", param! { kind: "string", visibility: Visibility::UserOrLlm }),
                        ("company", param! { kind: "string", visibility: Visibility::UserOrLlm }),
                        ("lifecycleStage", param! {
                            kind: "string",
                            default: "lead",
                            visibility: Visibility::UserOrLlm,
                        }),
                        ("notes", param! { kind: "string", visibility: Visibility::UserOrLlm }),
                        ("source", param! {
                            kind: "string",
                            default: "workflow",
                            visibility: Visibility::Hidden,
                        }),
                    ],
                    execute: create_contact,
                },
                define_tool! {
                    id: "update-contact",
                    name: "Update Contact",
                    version: "1.1.0",
                    description: "Changes the given fields of a contact and keeps the others",
                    params: [
                        ("contactId", param! {
                            kind: "string",
                            required: true,
                            visibility: Visibility::UserOrLlm,
                        }),
                        ("properties", param! {
                            kind: "object",
                            required: true,
                            description: "Fields to change, e.g. {\"company\": \"Initech\"}",
                            visibility: Visibility::UserOrLlm,
                        }),
                    ],
                    execute: update_contact,
                },
                define_tool! {
                    id: "delete-contact",
                    name: "Delete Contact",
                    version: "1.0.0",
                    description: "Deletes a contact permanently",
                    params: [(
                        "contactId",
                        param! { kind: "string", required: true, visibility: Visibility::UserOnly },
                    )],
                    execute: delete_contact,
                },
            ],
            triggers: [new_contact_trigger()],
        },
        block: block(),
        dependencies: [def!(Dependency {
            package: "serde_json",
            version: crate::SERDE_JSON_VERSION,
            reason: "parses Acme API responses and builds request bodies",
        })],
        system_mode: def!(SystemMode {
            supported: true,
            permissions: ["contacts.read.all", "contacts.write.all"],
            resources: [
                def!(SystemResource {
                    resource_type: "workspace",
                    display_name: "CRM workspace",
                    description: "The Acme workspaces whose contacts workflows may read and change",
                    required: true,
                    allow_multiple: true,
                }),
                def!(SystemResource {
                    resource_type: "pipeline",
                    display_name: "Sales pipeline",
                    description: "Restricts new contacts to one pipeline",
                    required: false,
                }),
            ],
        }),
    }
}

/// The `acme_crm` block: one form for the four contact tools.
fn block() -> Block {
    define_block! {
        kind: "acme_crm",
        name: "Acme CRM",
        description: "List, create, update or delete Acme contacts",
        bg_color: "#FF6B35",
        auth_mode: "oauth",
        sub_blocks: [
            sub_block! {
                id: "credential",
                title: "Acme account",
                kind: SubBlockType::OauthInput,
                required: true,
                service_id: "acme",
                required_scopes: CRM_SCOPES,
            },
            sub_block! {
                id: "operation",
                title: "Operation",
                kind: SubBlockType::Dropdown,
                required: true,
                default_value: "list",
                options: [
                    ("List contacts", "list"),
                    ("Create contact", "create"),
                    ("Update contact", "update"),
                    ("Delete contact", "delete"),
                ],
            },
            sub_block! {
                id: "query",
                title: "Search",
                kind: SubBlockType::ShortInput,
                layout: Layout::Half,
                placeholder: "Name, email or company",
                condition: ("operation", "list"),
            },
            sub_block! {
                id: "limit",
                title: "Page size",
                kind: SubBlockType::Slider,
                layout: Layout::Half,
                min: 1,
                max: 100,
                step: 1,
                default_value: 25,
                condition: ("operation", "list"),
            },
            sub_block! {
                id: "includeArchived",
                title: "Include archived contacts",
                kind: SubBlockType::Switch,
                default_value: false,
                condition: ("operation", "list"),
            },
            sub_block! {
                id: "email",
                title: "Email",
                kind: SubBlockType::ShortInput,
                layout: Layout::Half,
                required: true,
                placeholder: "ada@example.com",
                condition: ("operation", "create"),
            },
            sub_block! {
                id: "company",
                title: "Company",
                kind: SubBlockType::ShortInput,
                layout: Layout::Half,
                condition: ("operation", "create"),
            },
            sub_block! {
                id: "firstName",
                title: "First name",
                kind: SubBlockType::ShortInput,
                layout: Layout::Half,
                condition: ("operation", "create"),
            },
            sub_block! {
                id: "lastName",
                title: "Last name",
                kind: SubBlockType::ShortInput,
                layout: Layout::Half,
                condition: ("operation", "create"),
            },
            sub_block! {
                id: "lifecycleStage",
                title: "Lifecycle stage",
                kind: SubBlockType::Combobox,
                description: "Pick a stage or type a custom one",
                default_value: "lead",
                options: [
                    ("Lead", "lead"),
                    ("Prospect", "prospect"),
                    ("Customer", "customer"),
                    ("Churned", "churned"),
                ],
                condition: ("operation", "create"),
            },
            sub_block! {
                id: "notes",
                title: "Notes",
                kind: SubBlockType::LongInput,
                layout: Layout::Full,
                placeholder: "Met at the Berlin meetup; interested in the Pro plan",
                condition: ("operation", "create"),
            },
            // A condition matches one value, so the id field shows for every operation and
            // says when it is needed.
            sub_block! {
                id: "contactId",
                title: "Contact ID",
                kind: SubBlockType::ShortInput,
                placeholder: "c_8f2k1",
                description: "Required to update or delete a contact",
            },
            sub_block! {
                id: "properties",
                title: "Fields to change",
                kind: SubBlockType::Code,
                mode: "json",
                required: true,
                placeholder: "{\n  \"company\": \"Initech\"\n}",
                condition: ("operation", "update"),
            },
            sub_block! {
                id: "source",
                kind: SubBlockType::ShortInput,
                hidden: true,
                default_value: "workflow",
            },
        ],
        tools: block_tools! {
            access: ["list-contacts", "create-contact", "update-contact", "delete-contact"],
            // `list` runs the plural `list-contacts`; the other operations `{operation}-contact`.
            select: |params: &Map<String, Value>| {
                match params.get("operation").and_then(Value::as_str) {
                    None | Some("list") => "list-contacts".to_owned(),
                    Some(operation) => format!("{operation}-contact"),
                }
            },
        },
        inputs: [("contact", ("json", "A contact from an upstream block, e.g. a form submission"))],
        outputs: [
            ("contacts", ("json", "The listed contacts")),
            ("nextCursor", ("string", "Cursor of the next page of a list")),
            ("contact", ("json", "The created or updated contact")),
            ("deleted", ("boolean", "Whether the contact was deleted")),
        ],
        triggers: def!(BlockTriggers { enabled: true, available: ["acme_new_contact"] }),
    }
}

/// The `acme_new_contact` trigger: Acme pushes `contact.created` webhooks; without a webhook
/// the platform polls `list-contacts` and drops contacts it has seen by `id`.
fn new_contact_trigger() -> TriggerBlock {
    define_trigger_block! {
        kind: "acme_new_contact",
        name: "New Acme Contact",
        description: "Starts the workflow when a contact is created in Acme CRM",
        bg_color: "#FF6B35",
        auth_mode: "oauth",
        provider: "acme",
        version: "1.0.0",
        sub_blocks: [
            sub_block! {
                id: "credential",
                title: "Acme account",
                kind: SubBlockType::OauthInput,
                required: true,
                service_id: "acme",
                required_scopes: ["contacts.read"],
            },
            sub_block! {
                id: "webhookUrl",
                title: "Webhook URL",
                kind: SubBlockType::ShortInput,
                description: "Paste into Acme under Settings > Webhooks > contact.created",
                read_only: true,
                show_copy_button: true,
            },
        ],
        tools: block_tools! { access: ["list-contacts"] },
        outputs: [
            ("contact", ("json", "The new contact")),
            ("id", ("string", "The new contact's id")),
        ],
        runtime: def!(TriggerRuntime {
            webhook: def!(WebhookRuntime {
                method: HttpMethod::Post,
                headers: [
                    ("Content-Type", "application/json"),
                    ("X-Acme-Event", "contact.created"),
                ],
            }),
            polling: def!(PollingRuntime {
                tool: "list-contacts",
                interval_seconds: 300,
                dedupe_key: "id",
            }),
        }),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use sdk_authoring::testing::ScriptedHttp;
    use serde_json::json;

    use super::*;

    const CONTACT: &str = r#"{
        "id": "c_1",
        "email": "ada@example.com",
        "firstName": "Ada",
        "lastName": "Lovelace",
        "company": "Analytical Engines",
        "lifecycleStage": "lead",
        "createdAt": "2025-05-01T09:30:00Z"
    }"#;

    fn oauth() -> Auth {
        Auth::OAuth {
            access_token: "tok_123".into(),
            refresh_token: None,
            token_type: Some("Bearer".into()),
            expires_at: None,
        }
    }

    fn ctx(auth: Auth, http: &Arc<ScriptedHttp>) -> Context {
        Context::new(auth, Execution::default()).with_http(HttpClient::new(http.clone()))
    }

    fn header<'a>(request: &'a sdk_authoring::HttpRequest, name: &str) -> Option<&'a str> {
        request
            .headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    #[test]
    fn lists_contacts_with_search_and_paging() {
        let page = format!(r#"{{ "data": [{CONTACT}], "nextCursor": "p2" }}"#);
        let http = Arc::new(ScriptedHttp::new().respond(
            "GET",
            "https://api.acme.example/v2/contacts?limit=10&query=ada%20l&includeArchived=true",
            200,
            &page,
        ));
        let input = ListContactsInput {
            query: Some(" ada l ".into()),
            limit: 10,
            include_archived: true,
            cursor: None,
        };

        let response = list_contacts(input, &ctx(oauth(), &http)).unwrap();

        assert!(response.success);
        assert_eq!(response.output.contacts.len(), 1);
        assert_eq!(
            response.output.contacts[0].first_name.as_deref(),
            Some("Ada")
        );
        assert_eq!(response.output.next_cursor.as_deref(), Some("p2"));
        let requests = http.requests();
        assert_eq!(
            header(&requests[0], "authorization"),
            Some("Bearer tok_123")
        );
    }

    #[test]
    fn list_uses_the_profile_base_url_and_json_defaults() {
        let http = Arc::new(ScriptedHttp::new().respond(
            "GET",
            "https://eu.acme.example/v2/contacts?limit=25",
            200,
            r#"{ "data": [] }"#,
        ));
        let mut ctx = ctx(oauth(), &http);
        ctx.profile_config = json!({ "baseUrl": "https://eu.acme.example" })
            .as_object()
            .cloned();

        let response = crate::vendor()
            .invoke("acme:acme-crm:list-contacts", json!({}), &ctx)
            .unwrap();

        assert!(response.success, "{:?}", response.error);
        assert_eq!(response.output, json!({ "contacts": [] }));
    }

    #[test]
    fn creates_a_contact() {
        let http = Arc::new(ScriptedHttp::new().respond(
            "POST",
            "https://api.acme.example/v2/contacts",
            201,
            CONTACT,
        ));
        let input =
            json!({ "email": "ada@example.com", "firstName": "Ada", "lastName": "Lovelace" });

        let response = crate::vendor()
            .invoke("acme:acme-crm:create-contact", input, &ctx(oauth(), &http))
            .unwrap();

        assert!(response.success, "{:?}", response.error);
        assert_eq!(response.output["contact"]["id"], "c_1");
        let body: Value =
            serde_json::from_slice(http.requests()[0].body.as_deref().unwrap()).unwrap();
        assert_eq!(
            body,
            json!({
                "email": "ada@example.com",
                "firstName": "Ada",
                "lastName": "Lovelace",
                "source": "workflow",
            })
        );
    }

    #[test]
    fn updates_and_deletes_by_id() {
        let http = Arc::new(
            ScriptedHttp::new()
                .respond(
                    "PATCH",
                    "https://api.acme.example/v2/contacts/c_1",
                    200,
                    CONTACT,
                )
                .respond(
                    "DELETE",
                    "https://api.acme.example/v2/contacts/c_1",
                    204,
                    "",
                ),
        );
        let ctx = ctx(oauth(), &http);

        let mut properties = Map::new();
        properties.insert("company".into(), json!("Analytical Engines"));
        let update = UpdateContactInput {
            contact_id: "c_1".into(),
            properties,
        };
        assert_eq!(
            update_contact(update, &ctx).unwrap().output.contact.id,
            "c_1"
        );

        let delete = DeleteContactInput {
            contact_id: "c_1".into(),
        };
        assert!(delete_contact(delete, &ctx).unwrap().output.deleted);
    }

    #[test]
    fn rejects_ids_that_would_change_the_path() {
        let http = Arc::new(ScriptedHttp::new());
        let delete = DeleteContactInput {
            contact_id: "../admin".into(),
        };

        let error = delete_contact(delete, &ctx(oauth(), &http)).unwrap_err();

        assert!(
            error.message.contains("not an Acme id"),
            "{}",
            error.message
        );
        assert!(http.requests().is_empty());
    }

    #[test]
    fn an_api_key_is_the_wrong_credential() {
        let http = Arc::new(ScriptedHttp::new());
        let input = ListContactsInput {
            query: None,
            limit: 25,
            include_archived: false,
            cursor: None,
        };
        let auth = Auth::ApiKey {
            api_key: "ak_123".into(),
        };

        let error = list_contacts(input, &ctx(auth, &http)).unwrap_err();

        assert!(!error.retryable);
        assert!(
            error
                .message
                .contains("needs a `oauth` credential but the connection provides `apiKey`"),
            "{}",
            error.message
        );
        assert!(
            http.requests().is_empty(),
            "no request goes out without a token"
        );
    }

    #[test]
    fn rate_limits_are_retryable_and_client_errors_are_not() {
        let http = Arc::new(
            ScriptedHttp::new()
                .respond(
                    "GET",
                    "https://api.acme.example/v2/contacts?limit=25",
                    429,
                    "slow down",
                )
                .respond(
                    "DELETE",
                    "https://api.acme.example/v2/contacts/c_404",
                    404,
                    "not found",
                ),
        );
        let ctx = ctx(oauth(), &http);

        let input = ListContactsInput {
            query: None,
            limit: 25,
            include_archived: false,
            cursor: None,
        };
        let rate_limited = list_contacts(input, &ctx).unwrap_err();
        assert!(rate_limited.retryable);
        assert_eq!(rate_limited.message, "HTTP 429: slow down");

        let missing = delete_contact(
            DeleteContactInput {
                contact_id: "c_404".into(),
            },
            &ctx,
        )
        .unwrap_err();
        assert!(!missing.retryable);
    }

    #[test]
    fn the_block_selects_a_tool_per_operation() {
        let select = |operation: Option<&str>| {
            let mut params = Map::new();
            if let Some(operation) = operation {
                params.insert("operation".into(), json!(operation));
            }
            crate::vendor().select_tool("acme_crm", &params)
        };

        assert_eq!(select(Some("list")).unwrap(), "acme:acme-crm:list-contacts");
        assert_eq!(select(None).unwrap(), "acme:acme-crm:list-contacts");
        assert_eq!(
            select(Some("create")).unwrap(),
            "acme:acme-crm:create-contact"
        );
        assert_eq!(
            select(Some("update")).unwrap(),
            "acme:acme-crm:update-contact"
        );
        assert_eq!(
            select(Some("delete")).unwrap(),
            "acme:acme-crm:delete-contact"
        );
        let unknown = select(Some("merge")).unwrap_err();
        assert!(unknown.contains("not in its tools.access"), "{unknown}");
    }

    #[test]
    fn the_trigger_polls_list_contacts() {
        let triggers = &crate::vendor().products[0].capabilities.triggers;
        let polling = triggers[0].runtime.polling.as_ref().unwrap();
        assert_eq!(polling.tool, "acme:acme-crm:list-contacts");
        assert_eq!(
            crate::vendor()
                .select_tool("acme_new_contact", &Map::new())
                .unwrap(),
            "acme:acme-crm:list-contacts"
        );
    }
}
