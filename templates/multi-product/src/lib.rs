//! {{vendor_name}}: a small-business API with two products that an organization enables
//! separately but connects once: both use the `apiKey` credential (`credential_ref`).
//!
//! - `customers`: `search-customers`, `create-customer` and the `{{block_prefix}}_customers` block;
//! - `invoices`: `create-invoice`, `get-invoice` and the `{{block_prefix}}_invoices` block.
//!
//! Tool ids are qualified per product: `{{vendor_id}}:customers:search-customers`, ...

use sdk_authoring::prelude::*;
use serde_json::{Map, Value};

/// The API every request goes to; its host is listed in `allowed_hosts`.
const API_BASE: &str = "https://api.ledger.example/v1";

/// An id checked before it goes into a URL path: letters, digits, '-' and '_', so that
/// input like `../admin` cannot change the request.
fn path_id<'a>(what: &str, id: &'a str) -> Result<&'a str, ToolError> {
    let id = id.trim();
    let valid = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    valid
        .then_some(id)
        .ok_or_else(|| ToolError::new(format!("{id:?} is not a valid {what} id")))
}

/// The value of a block's `operation` dropdown, which picks the tool it runs.
fn operation(params: &Map<String, Value>) -> Option<&str> {
    params.get("operation").and_then(Value::as_str)
}

// ---- customers ------------------------------------------------------------------------

/// A customer as the API returns it.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Customer {
    /// The customer's id, e.g. `cus_71Hq`.
    pub id: String,
    /// Person or company name.
    pub name: String,
    /// Billing email address.
    pub email: String,
}

/// Input of `search-customers`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct SearchCustomersInput {
    /// Part of a name or email address.
    pub query: String,
}

/// A list of customers, as the API returns it and as `search-customers` outputs it.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct CustomersOutput {
    /// The 10 best matches, best first.
    pub customers: Vec<Customer>,
}

/// Finds customers by name or email.
pub fn search_customers(input: SearchCustomersInput, ctx: &Context) -> ToolResult<CustomersOutput> {
    let key = require_api_key(&ctx.auth)?;
    let response = ctx
        .http()
        .get(format!("{API_BASE}/customers"))
        .bearer(key)
        .query(&[("query", input.query.trim()), ("limit", "10")])
        .send()?
        .error_for_status()?;
    Ok(ToolResponse::ok(response.json()?))
}

/// Input of `create-customer`; also the body of `POST /v1/customers`.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct CreateCustomerInput {
    /// Person or company name.
    pub name: String,
    /// Billing email address; invoices are sent there.
    pub email: String,
}

/// Adds a customer.
pub fn create_customer(input: CreateCustomerInput, ctx: &Context) -> ToolResult<Customer> {
    let key = require_api_key(&ctx.auth)?;
    let response = ctx
        .http()
        .post(format!("{API_BASE}/customers"))
        .bearer(key)
        .json(&input)
        .send()?
        .error_for_status()?;
    Ok(ToolResponse::ok(response.json()?))
}

// ---- invoices -------------------------------------------------------------------------

/// One line of an invoice.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct InvoiceLine {
    /// What is billed, e.g. `Consulting, May`.
    pub description: String,
    /// How many units.
    pub quantity: u32,
    /// Price of one unit in the currency's smallest unit (cents).
    pub unit_amount: u64,
}

/// An invoice as the API returns it.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Invoice {
    /// The invoice's id, e.g. `inv_3Kp9`.
    pub id: String,
    /// The customer billed.
    pub customer_id: String,
    /// `draft`, `open`, `paid` or `void`.
    pub status: String,
    /// The total in the currency's smallest unit (cents).
    pub total: u64,
    /// ISO 4217 code, e.g. `USD`.
    pub currency: String,
    /// When payment is due (`YYYY-MM-DD`).
    pub due_date: String,
}

fn default_due_in_days() -> u32 {
    30
}

/// Input of `create-invoice`; also the body of `POST /v1/invoices`.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateInvoiceInput {
    /// The customer to bill, e.g. `cus_71Hq`.
    pub customer_id: String,
    /// What is billed; at least one line.
    pub lines: Vec<InvoiceLine>,
    /// Days until payment is due (default 30).
    #[serde(default = "default_due_in_days")]
    pub due_in_days: u32,
}

/// Creates an open invoice for a customer.
pub fn create_invoice(input: CreateInvoiceInput, ctx: &Context) -> ToolResult<Invoice> {
    let key = require_api_key(&ctx.auth)?;
    if input.lines.is_empty() {
        return Err(ToolError::new("an invoice needs at least one line"));
    }
    let response = ctx
        .http()
        .post(format!("{API_BASE}/invoices"))
        .bearer(key)
        .json(&input)
        .send()?
        .error_for_status()?;
    let invoice: Invoice = response.json()?;
    ctx.logger.info(format!("created invoice {}", invoice.id));
    Ok(ToolResponse::ok(invoice))
}

/// Input of `get-invoice`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GetInvoiceInput {
    /// The invoice to read, e.g. `inv_3Kp9`.
    pub invoice_id: String,
}

/// Reads an invoice, e.g. to check whether it was paid.
pub fn get_invoice(input: GetInvoiceInput, ctx: &Context) -> ToolResult<Invoice> {
    let key = require_api_key(&ctx.auth)?;
    let id = path_id("invoice", &input.invoice_id)?;
    let response = ctx
        .http()
        .get(format!("{API_BASE}/invoices/{id}"))
        .bearer(key)
        .send()?
        .error_for_status()?;
    Ok(ToolResponse::ok(response.json()?))
}

// ---- the vendor -----------------------------------------------------------------------

define_vendor! {
    id: "{{vendor_id}}",
    name: "{{vendor_name}}",
    version: "0.1.0",
    description: "Customers and invoices for small businesses",
    color: "#0F766E",
    icon: include_str!("../assets/icon.svg"),
    categories: ["crm", "finance"],
    connectivity: Connectivity::Cloud,
    allowed_hosts: ["api.ledger.example"],
    auth: auth! {
        credentials: [("apiKey", api_key! {
            label: "API Key",
            description: "A secret key from Settings > Developers; it covers both products",
            header_name: "Authorization",
            header_prefix: "Bearer",
        })],
        default: "apiKey",
    },
    products: [
        define_product! {
            id: "customers",
            name: "Customers",
            description: "Find and add customers",
            credential_ref: "apiKey",
            capabilities: capabilities! {
                tools: [
                    define_tool! {
                        id: "search-customers",
                        name: "Search Customers",
                        version: "0.1.0",
                        description: "Finds customers whose name or email contains the query",
                        params: [(
                            "query",
                            param! { kind: "string", required: true, visibility: Visibility::UserOrLlm },
                        )],
                        execute: search_customers,
                    },
                    define_tool! {
                        id: "create-customer",
                        name: "Create Customer",
                        version: "0.1.0",
                        description: "Adds a customer with a name and a billing email",
                        params: [
                            ("name", param! {
                                kind: "string",
                                required: true,
                                visibility: Visibility::UserOrLlm,
                            }),
                            ("email", param! {
                                kind: "string",
                                required: true,
                                visibility: Visibility::UserOrLlm,
                            }),
                        ],
                        execute: create_customer,
                    },
                ],
            },
            block: define_block! {
                kind: "{{block_prefix}}_customers",
                name: "{{vendor_name}} Customers",
                description: "Search or add customers",
                bg_color: "#0F766E",
                auth_mode: "apiKey",
                sub_blocks: [
                    sub_block! {
                        id: "operation",
                        title: "Operation",
                        kind: SubBlockType::Dropdown,
                        default_value: "search",
                        options: [("Search customers", "search"), ("Create customer", "create")],
                    },
                    sub_block! {
                        id: "query",
                        title: "Search",
                        kind: SubBlockType::ShortInput,
                        placeholder: "Name or email",
                        condition: ("operation", "search"),
                    },
                    sub_block! {
                        id: "name",
                        title: "Name",
                        kind: SubBlockType::ShortInput,
                        layout: Layout::Half,
                        condition: ("operation", "create"),
                    },
                    sub_block! {
                        id: "email",
                        title: "Email",
                        kind: SubBlockType::ShortInput,
                        layout: Layout::Half,
                        condition: ("operation", "create"),
                    },
                ],
                tools: block_tools! {
                    access: ["search-customers", "create-customer"],
                    select: |params: &Map<String, Value>| match operation(params) {
                        Some("create") => "create-customer".to_owned(),
                        _ => "search-customers".to_owned(),
                    },
                },
                outputs: [
                    ("customers", ("json", "The customers found")),
                    ("id", ("string", "The created customer's id")),
                ],
            },
        },
        define_product! {
            id: "invoices",
            name: "Invoices",
            description: "Bill customers and follow payment",
            credential_ref: "apiKey",
            capabilities: capabilities! {
                tools: [
                    define_tool! {
                        id: "create-invoice",
                        name: "Create Invoice",
                        version: "0.1.0",
                        description: "Creates an open invoice with one or more lines",
                        params: [
                            ("customerId", param! {
                                kind: "string",
                                required: true,
                                visibility: Visibility::UserOrLlm,
                            }),
                            ("lines", param! {
                                kind: "array",
                                required: true,
                                visibility: Visibility::UserOrLlm,
                            }),
                            ("dueInDays", param! {
                                kind: "integer",
                                default: 30,
                                visibility: Visibility::UserOnly,
                            }),
                        ],
                        execute: create_invoice,
                    },
                    define_tool! {
                        id: "get-invoice",
                        name: "Get Invoice",
                        version: "0.1.0",
                        description: "Reads an invoice's status, total and due date",
                        params: [(
                            "invoiceId",
                            param! { kind: "string", required: true, visibility: Visibility::UserOrLlm },
                        )],
                        execute: get_invoice,
                    },
                ],
            },
            block: define_block! {
                kind: "{{block_prefix}}_invoices",
                name: "{{vendor_name}} Invoices",
                description: "Create an invoice or check one",
                bg_color: "#0F766E",
                auth_mode: "apiKey",
                sub_blocks: [
                    sub_block! {
                        id: "operation",
                        title: "Operation",
                        kind: SubBlockType::Dropdown,
                        default_value: "create",
                        options: [("Create invoice", "create"), ("Get invoice", "get")],
                    },
                    sub_block! {
                        id: "customerId",
                        title: "Customer ID",
                        kind: SubBlockType::ShortInput,
                        placeholder: "cus_71Hq",
                        condition: ("operation", "create"),
                    },
                    sub_block! {
                        id: "lines",
                        title: "Lines",
                        kind: SubBlockType::Code,
                        mode: "json",
                        placeholder: "[{ \"description\": \"Consulting\", \"quantity\": 8, \"unitAmount\": 12000 }]",
                        condition: ("operation", "create"),
                    },
                    sub_block! {
                        id: "invoiceId",
                        title: "Invoice ID",
                        kind: SubBlockType::ShortInput,
                        placeholder: "inv_3Kp9",
                        condition: ("operation", "get"),
                    },
                ],
                tools: block_tools! {
                    access: ["create-invoice", "get-invoice"],
                    select: |params: &Map<String, Value>| match operation(params) {
                        Some("get") => "get-invoice".to_owned(),
                        _ => "create-invoice".to_owned(),
                    },
                },
                outputs: [
                    ("id", ("string", "The invoice's id")),
                    ("status", ("string", "draft, open, paid or void")),
                    ("total", ("number", "The total in cents")),
                ],
            },
        },
    ],
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    /// The tool the block of `products[product]` runs for an `operation`.
    fn selected(product: usize, operation: &str) -> String {
        let vendor = super::vendor();
        let block = vendor.products[product].block.as_ref().unwrap();
        let params = json!({ "operation": operation });
        vendor
            .select_tool(&block.kind, params.as_object().unwrap())
            .unwrap()
    }

    #[test]
    fn each_block_runs_the_tools_of_its_product() {
        assert!(selected(0, "search").ends_with(":customers:search-customers"));
        assert!(selected(0, "create").ends_with(":customers:create-customer"));
        assert!(selected(1, "create").ends_with(":invoices:create-invoice"));
        assert!(selected(1, "get").ends_with(":invoices:get-invoice"));
    }
}
