//! The vendor data model: every field of the reference's `defineVendor`, `defineProduct`,
//! `defineTool`, `defineBlock` and `defineTriggerBlock`, in Rust.
//!
//! These types are both what an author builds (through the `define_*!` macros) and what
//! `manifest.json` is made of: serialized field names follow the reference exactly
//! (`camelCase`, `subBlocks`, `credentialRef`, ...). The only parts that are not data - a
//! tool's `execute` function and a block's tool selector - are skipped by serde, so the same
//! types deserialize on the host from a manifest.
//!
//! Start reading at [`Vendor`] and [`Product`].

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::capability::{CapabilityMeta, Runtimes};
use crate::tool::{Handler, ToolSelector};

fn is_false(value: &bool) -> bool {
    !*value
}

/// Top-level container for an integration: what `define_vendor!` builds.
#[derive(Clone, Debug, Default)]
pub struct Vendor {
    /// Unique vendor ID: lowercase alphanumeric and hyphens, starting with a letter.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Semantic version, e.g. `1.0.0`.
    pub version: String,
    /// Short description.
    pub description: Option<String>,
    /// Hex brand color, e.g. `#FF6B35`.
    pub color: Option<String>,
    /// SVG icon as a string (usually `include_str!("../assets/icon.svg")`).
    pub icon: String,
    /// Vendor website URL.
    pub website: Option<String>,
    /// Documentation URL.
    pub docs_url: Option<String>,
    /// Category tags, e.g. `["tools"]`, `["llm"]`, `["database"]`.
    pub categories: Vec<String>,
    /// Whether this vendor is enabled by default for new orgs.
    pub default_enabled: bool,
    /// Whether this vendor supports system mode (client credentials).
    pub supports_system_mode: bool,
    /// Whether this vendor requires external network connectivity.
    pub connectivity: Option<Connectivity>,
    /// Hosts the vendor's tools may reach over HTTP (e.g. `api.acme.com`, `*.acme.com`).
    /// OAuth URLs and `url`-typed config fields are allowed implicitly.
    pub allowed_hosts: Vec<String>,
    /// Authentication configuration.
    pub auth: AuthConfig,
    /// Admin-configurable fields (e.g. a base URL for self-hosted services).
    pub config_fields: Vec<ConfigField>,
    /// Vendor-level secrets, resolved per invocation into `ctx.secrets`.
    pub secrets: Vec<Secret>,
    /// One or more products.
    pub products: Vec<Product>,
    /// Optional protocol definitions.
    pub protocols: Vec<Protocol>,
    /// LLM provider configuration (for AI model vendors).
    pub llm: Option<VendorLlm>,
}

/// Network requirements of a vendor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Connectivity {
    Cloud,
    Local,
    Hybrid,
}

/// Which credential types a vendor supports, and which one is shown first.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuthConfig {
    /// Credential definitions by key (e.g. `apiKey`, `oauth`); products refer to them with
    /// `credentialRef`.
    pub credentials: IndexMap<String, Credential>,
    /// The key of the credential shown first.
    pub default: String,
}

/// One way of authenticating against the vendor's API.
// A vendor has a handful of credentials, built once: boxing OAuth would only make
// `oauth! { .. }` and pattern matches noisier.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Credential {
    /// No authentication.
    None,
    /// A static API key sent in a header.
    ApiKey(ApiKeyCredential),
    /// OAuth 2.0 authorization code (optionally PKCE) and/or client credentials.
    #[serde(rename = "oauth")]
    OAuth(OAuthCredential),
    /// A bot token sent in a header.
    BotToken(BotTokenCredential),
    /// HTTP basic authentication.
    BasicAuth(BasicAuthCredential),
}

impl Credential {
    /// The `type` tag of this credential as it appears in the manifest.
    pub fn kind(&self) -> &'static str {
        match self {
            Credential::None => "none",
            Credential::ApiKey(_) => "apiKey",
            Credential::OAuth(_) => "oauth",
            Credential::BotToken(_) => "botToken",
            Credential::BasicAuth(_) => "basicAuth",
        }
    }
}

/// `type: "apiKey"`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApiKeyCredential {
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// HTTP header that carries the key, e.g. `Authorization` or `X-Api-Key`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_name: Option<String>,
    /// Prefix before the key value, e.g. `Bearer`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_prefix: Option<String>,
}

/// `type: "botToken"`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct BotTokenCredential {
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_name: Option<String>,
    /// Prefix before the token, e.g. `Bot`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_prefix: Option<String>,
}

/// `type: "basicAuth"`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct BasicAuthCredential {
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Label of the username field (default "Username").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username_label: Option<String>,
    /// Label of the password field (default "Password").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_label: Option<String>,
}

/// `type: "oauth"`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct OAuthCredential {
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// May contain `{configKey}` placeholders listed in `requiredConfig`.
    pub authorization_url: String,
    /// May contain `{configKey}` placeholders listed in `requiredConfig`.
    pub token_url: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<String>,
    /// Use PKCE (RFC 7636) in the authorization code flow.
    #[serde(default, skip_serializing_if = "is_false")]
    pub pkce: bool,
    /// Send client id and secret as HTTP basic auth to the token endpoint.
    #[serde(default, skip_serializing_if = "is_false")]
    pub use_basic_auth: bool,
    /// The provider issues a new refresh token on each refresh.
    #[serde(default, skip_serializing_if = "is_false")]
    pub supports_refresh_token_rotation: bool,
    /// Organization config keys (from `configFields`) the URLs need.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required_config: Vec<String>,
    /// The provider supports the client credentials grant (system mode).
    #[serde(default, skip_serializing_if = "is_false")]
    pub supports_client_credentials: bool,
    /// Scopes requested in the client credentials grant.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub client_credential_scopes: Vec<String>,
    /// Provider-specific setup flows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extensions: Option<OAuthExtensions>,
}

/// Manifest-safe extension points of an OAuth credential.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct OAuthExtensions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_consent: Option<SystemConsent>,
}

/// How an admin grants organization-wide consent (e.g. Microsoft admin consent).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum SystemConsent {
    /// The platform builds the URL from a template; the supported path today.
    RedirectTemplate(RedirectTemplateConsent),
    /// The vendor runtime builds the URL (manifest metadata only until a host wires it).
    Handler(HandlerConsent),
}

/// `kind: "redirect-template"`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RedirectTemplateConsent {
    /// URL with placeholders: `{clientId}`, `{redirectUri}`, `{scope}`, `{state}` or a
    /// `requiredConfig` key.
    pub url_template: String,
    /// Query parameters, values with the same placeholders.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub params: IndexMap<String, String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required_config: Vec<String>,
    pub callback: ConsentCallback,
}

/// Which callback query parameters carry the result of a redirect-template consent.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConsentCallback {
    pub success_param: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_param: Option<String>,
}

/// `kind: "handler"`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct HandlerConsent {
    /// The vendor method that builds the consent URL, e.g. `microsoft.systemConsent.buildUrl`.
    pub handler_ref: String,
    pub callback: HandlerCallback,
}

/// The vendor method that interprets the consent callback.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct HandlerCallback {
    pub handler_ref: String,
}

/// An admin-configurable field.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConfigField {
    pub key: String,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// Input type, e.g. `text`, `url`, `number`, `password`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// A vendor-level secret, scoped per organization; available as `ctx.secrets[key]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Secret {
    /// Must match `^[a-zA-Z0-9_-]+$`.
    pub key: String,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub required: bool,
}

/// A group of tools and a block that an organization enables as one.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Product {
    /// Unique within the vendor; lowercase alphanumeric and hyphens.
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// SVG icon; falls back to the vendor icon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<String>,
    /// Which credential of `auth.credentials` this product uses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential_ref: Option<String>,
    /// OAuth scopes this product needs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub credential_scopes: Vec<String>,
    pub capabilities: Capabilities,
    /// The block shown in the workflow editor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub block: Option<Block>,
    /// Declared dependencies, with the reason each is needed (for risk assessment).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dependencies: Vec<Dependency>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_mode: Option<SystemMode>,
}

/// What a product can do at runtime.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Capabilities {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tools: Vec<Tool>,
    /// Trigger blocks (category `trigger`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub triggers: Vec<TriggerBlock>,
    /// Capability runtimes. Authors list `define_capability_*!` values; the manifest
    /// carries boolean flags, and the models they declare go to `capabilityMeta`.
    #[serde(default, skip_serializing_if = "Runtimes::is_empty")]
    pub runtimes: Runtimes,
    #[serde(default, skip_serializing_if = "CapabilityMeta::is_empty")]
    pub capability_meta: CapabilityMeta,
    /// Whether the product handles webhooks.
    #[serde(default, skip_serializing_if = "is_false")]
    pub webhooks: bool,
    /// Whether the product supports resource discovery.
    #[serde(default, skip_serializing_if = "is_false")]
    pub discovery: bool,
}

/// A declared dependency of a product.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Dependency {
    /// Package ecosystem; `cargo` for Rust vendors.
    #[serde(rename = "type")]
    pub kind: String,
    pub package: String,
    pub version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Default for Dependency {
    fn default() -> Self {
        Dependency {
            kind: "cargo".to_owned(),
            package: String::new(),
            version: String::new(),
            reason: None,
        }
    }
}

/// System-mode (client credentials) configuration of a product.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SystemMode {
    pub supported: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub permissions: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<SystemResource>,
}

/// A resource an admin picks when enabling system mode.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SystemResource {
    pub resource_type: String,
    pub display_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub required: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub allow_multiple: bool,
}

/// A tool: the runtime logic behind a block, callable by workflows and AI agents.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Tool {
    /// `{vendor}:{product}:{action}`; authors may write the action alone.
    pub id: String,
    pub name: String,
    pub version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// JSON Schema of the input, generated from the input type.
    pub input: Value,
    /// JSON Schema of the output, generated from the output type.
    pub output: Value,
    /// Parameter metadata by input property name.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub params: IndexMap<String, ParamDef>,
    /// Authoring only: the function that runs the tool.
    #[serde(skip)]
    #[schemars(skip)]
    pub execute: Option<Handler>,
}

/// Parameter metadata: who may provide a value.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ParamDef {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visibility: Option<Visibility>,
}

/// Where a parameter appears.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Visibility {
    /// The user sets it in the UI, or an AI agent generates it.
    UserOrLlm,
    /// Only the user configures it; hidden from LLMs.
    UserOnly,
    /// Not shown in the UI or to LLMs; set programmatically.
    Hidden,
}

/// The workflow-editor block of a product.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Block {
    /// Unique block type: lowercase with underscores, e.g. `acme_crm`.
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Use `integration` for bundle blocks.
    pub category: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bg_color: Option<String>,
    /// `none`, `apiKey`, `oauth`, `botToken` or `basicAuth`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_mode: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sub_blocks: Vec<SubBlock>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools: Option<BlockTools>,
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub inputs: IndexMap<String, PortDef>,
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub outputs: IndexMap<String, PortDef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub triggers: Option<BlockTriggers>,
}

/// Which tools a block may invoke and how it picks one.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct BlockTools {
    /// Tool ids (short or fully qualified).
    pub access: Vec<String>,
    /// Authoring only: picks the tool from the sub-block values (`tools.config.tool` in the
    /// reference). Reached through the guest's `select-tool` export, not the manifest.
    #[serde(skip)]
    #[schemars(skip)]
    pub select: Option<ToolSelector>,
}

/// An input or output connection of a block.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PortDef {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Trigger configuration of a regular block.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct BlockTriggers {
    pub enabled: bool,
    #[serde(default)]
    pub available: Vec<String>,
}

/// A form field of a block.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SubBlock {
    /// Unique within the block.
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(rename = "type")]
    pub kind: SubBlockType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layout: Option<Layout>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<String>,
    /// Mask the value (short-input).
    #[serde(default, skip_serializing_if = "is_false")]
    pub password: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_value: Option<Value>,
    /// Options of a dropdown or combobox.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<SelectOption>,
    /// Combobox: load options at runtime (the id of a tool or discovery endpoint).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fetch_options: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Show this field only when another field has a value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<Condition>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub read_only: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub show_copy_button: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub hidden: bool,
    /// Code editor language (code).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    /// Slider bounds and step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<f64>,
    /// OAuth credential selector: the service and the scopes it must grant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_id: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required_scopes: Vec<String>,
}

/// The 8 kinds of form fields.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum SubBlockType {
    #[default]
    ShortInput,
    LongInput,
    Code,
    Dropdown,
    Combobox,
    Slider,
    Switch,
    OauthInput,
}

impl SubBlockType {
    /// The name as it appears in the manifest.
    pub fn as_str(self) -> &'static str {
        match self {
            SubBlockType::ShortInput => "short-input",
            SubBlockType::LongInput => "long-input",
            SubBlockType::Code => "code",
            SubBlockType::Dropdown => "dropdown",
            SubBlockType::Combobox => "combobox",
            SubBlockType::Slider => "slider",
            SubBlockType::Switch => "switch",
            SubBlockType::OauthInput => "oauth-input",
        }
    }
}

/// `full` (default) or `half` width.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    Full,
    Half,
}

/// A dropdown or combobox option.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SelectOption {
    pub label: String,
    pub id: String,
}

/// Conditional visibility: show the field when `field` (a sibling sub-block) equals `value`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Condition {
    pub field: String,
    pub value: String,
}

/// A trigger block: renders in the "Triggers" section and says how events arrive.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TriggerBlock {
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Always `trigger`.
    pub category: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bg_color: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_mode: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sub_blocks: Vec<SubBlock>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools: Option<BlockTools>,
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub inputs: IndexMap<String, PortDef>,
    /// What data the trigger emits.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub outputs: IndexMap<String, PortDef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// How events reach the workflow engine.
    pub runtime: TriggerRuntime,
}

/// Webhook, polling, or both.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TriggerRuntime {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook: Option<WebhookRuntime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub polling: Option<PollingRuntime>,
}

/// Events arrive as HTTP requests to a platform-provided URL.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct WebhookRuntime {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<HttpMethod>,
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub headers: IndexMap<String, String>,
}

/// HTTP methods a webhook may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Delete,
}

/// The platform calls a tool on a schedule and emits new items as events.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PollingRuntime {
    /// Tool (short or fully qualified id) that fetches new items.
    pub tool: String,
    /// Seconds between polls.
    pub interval_seconds: u32,
    /// Field of each emitted item used to drop items already seen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dedupe_key: Option<String>,
}

/// A protocol the vendor speaks (e.g. MCP, OpenAI-compatible), for platform routing.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Protocol {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// LLM provider configuration of an AI model vendor.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct VendorLlm {
    /// Provider key used by the platform's model router.
    pub provider: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_model: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub models: Vec<LlmModel>,
}

/// One model an LLM vendor offers.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct LlmModel {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_window: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_output_tokens: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pricing: Option<Value>,
}
