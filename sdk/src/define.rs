//! The authoring macros: `define_vendor!`, `define_product!`, `define_tool!`,
//! `define_block!`, `define_trigger_block!`, the capability helpers and small helpers for
//! nested values (credentials, sub-blocks, params).
//!
//! Every macro takes `field: value` pairs named after the model's fields (snake_case of the
//! reference's camelCase: `credential_ref`, `sub_blocks`, `bg_color`); omitted fields keep
//! their defaults, and values convert through [`crate::IntoField`] so literals just work.
//! Field names that would be the keyword `type` are spelled `kind`.

/// Defines the crate's vendor: the one entry point of an integration.
///
/// Expands to `pub fn vendor() -> &'static Vendor` and, when compiling for wasm, to the
/// component exports (`manifest`, `invoke`, `select-tool`) the host calls. Short tool ids are
/// qualified to `{vendor}:{product}:{action}` here.
///
/// ```
/// use sdk_authoring::prelude::*;
///
/// #[derive(Deserialize, JsonSchema)]
/// pub struct Input {
///     /// Who to greet.
///     name: String,
/// }
///
/// #[derive(Serialize, JsonSchema)]
/// pub struct Output {
///     message: String,
/// }
///
/// fn say_hello(input: Input, _ctx: &Context) -> ToolResult<Output> {
///     Ok(ToolResponse::ok(Output { message: format!("Hello, {}!", input.name) }))
/// }
///
/// define_vendor! {
///     id: "hello-world",
///     name: "Hello World",
///     version: "1.0.0",
///     icon: r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"/>"#,
///     auth: auth! { credentials: [("none", Credential::None)], default: "none" },
///     products: [define_product! {
///         id: "greetings",
///         name: "Greetings",
///         capabilities: capabilities! {
///             tools: [define_tool! {
///                 id: "say-hello",
///                 name: "Say Hello",
///                 version: "1.0.0",
///                 execute: say_hello,
///             }],
///         },
///     }],
/// }
///
/// let manifest = vendor().manifest();
/// let tool = &manifest.products[0].capabilities.tools[0];
/// assert_eq!(tool.id, "hello-world:greetings:say-hello");
/// assert_eq!(tool.input["properties"]["name"]["type"], "string");
/// ```
#[macro_export]
macro_rules! define_vendor {
    ($($field:ident : $value:expr),* $(,)?) => {
        /// The vendor this crate defines.
        pub fn vendor() -> &'static $crate::Vendor {
            static VENDOR: ::std::sync::OnceLock<$crate::Vendor> = ::std::sync::OnceLock::new();
            VENDOR.get_or_init(|| {
                $crate::Vendor::finalize($crate::def!(@[$crate::Vendor] { $($field : $value),* }))
            })
        }
        $crate::__export_guest!(vendor);
    };
}

/// Defines a product: tools, triggers, runtimes and a block that an organization enables
/// as one.
///
/// ```
/// use sdk_authoring::prelude::*;
///
/// let product = define_product! {
///     id: "acme-crm",
///     name: "Acme CRM",
///     credential_ref: "oauth",
///     credential_scopes: ["contacts.read"],
///     capabilities: capabilities! {},
///     dependencies: [def!(Dependency {
///         package: "serde_json",
///         version: "1.0.145",
///         reason: "parses API responses",
///     })],
/// };
/// assert_eq!(product.credential_ref.as_deref(), Some("oauth"));
/// ```
#[macro_export]
macro_rules! define_product {
    ($($field:ident : $value:expr),* $(,)?) => {
        $crate::def!(@[$crate::Product] { $($field : $value),* })
    };
}

/// Defines a tool. `execute` is a function `fn(Input, &Context) -> ToolResult<Output>` whose
/// `Input: Deserialize + JsonSchema` and `Output: Serialize + JsonSchema` become the tool's
/// `input` and `output` JSON Schemas; doc comments on their fields become descriptions. The
/// schemas are generated when the manifest is built, not on every call.
///
/// ```
/// use sdk_authoring::prelude::*;
///
/// #[derive(Deserialize, JsonSchema)]
/// pub struct Input { query: String, limit: Option<u32> }
///
/// #[derive(Serialize, JsonSchema)]
/// pub struct Output { ids: Vec<String> }
///
/// fn search(input: Input, ctx: &Context) -> ToolResult<Output> {
///     let key = require_api_key(&ctx.auth)?;
///     ctx.logger.info(format!("searching {}", input.query));
///     let _ = (key, input.limit);
///     Ok(ToolResponse::ok(Output { ids: vec![] }))
/// }
///
/// let tool = define_tool! {
///     id: "search",
///     name: "Search",
///     version: "1.0.0",
///     description: "Full-text search",
///     params: [
///         ("query", param! { kind: "string", required: true, visibility: Visibility::UserOrLlm }),
///         ("limit", param! { kind: "integer", default: 10, visibility: Visibility::UserOnly }),
///     ],
///     execute: search,
/// };
/// let tool = tool.with_schemas();
/// assert_eq!(tool.input["required"], serde_json::json!(["query"]));
/// ```
#[macro_export]
macro_rules! define_tool {
    ($($field:ident : $value:expr),* $(,)?) => {
        $crate::def!(@[$crate::Tool] { $($field : $value),* })
    };
}

/// Defines a workflow-editor block. `category` defaults to `integration`.
///
/// ```
/// use sdk_authoring::prelude::*;
///
/// let block = define_block! {
///     kind: "acme_crm",
///     name: "Acme CRM",
///     bg_color: "#FF6B35",
///     auth_mode: "oauth",
///     sub_blocks: [
///         sub_block! {
///             id: "operation",
///             title: "Operation",
///             kind: SubBlockType::Dropdown,
///             options: [("List contacts", "list"), ("Create contact", "create")],
///         },
///         sub_block! {
///             id: "email",
///             title: "Email",
///             kind: SubBlockType::ShortInput,
///             layout: Layout::Half,
///             condition: ("operation", "create"),
///         },
///     ],
///     tools: block_tools! {
///         access: ["list-contacts", "create-contact"],
///         select: |params: &serde_json::Map<String, serde_json::Value>| {
///             format!("{}-contacts", params["operation"].as_str().unwrap_or("list"))
///         },
///     },
///     outputs: [("contacts", ("json", "The contacts"))],
/// };
/// assert_eq!(block.category, "integration");
/// ```
#[macro_export]
macro_rules! define_block {
    ($($field:ident : $value:expr),* $(,)?) => {
        $crate::Block::with_default_category($crate::def!(@[$crate::Block] { $($field : $value),* }))
    };
}

/// Defines a trigger block; `category` is always `trigger` and `runtime` says whether events
/// arrive by webhook, by polling a tool, or both.
///
/// ```
/// use sdk_authoring::prelude::*;
///
/// let trigger = define_trigger_block! {
///     kind: "acme_new_contact",
///     name: "New Contact",
///     runtime: def!(TriggerRuntime {
///         polling: def!(PollingRuntime { tool: "list-contacts", interval_seconds: 300 }),
///     }),
///     outputs: [("contact", "json")],
/// };
/// assert_eq!(trigger.category, "trigger");
/// ```
#[macro_export]
macro_rules! define_trigger_block {
    ($($field:ident : $value:expr),* $(,)?) => {
        $crate::TriggerBlock::with_trigger_category(
            $crate::def!(@[$crate::TriggerBlock] { $($field : $value),* })
        )
    };
}

/// The `capabilities` of a product: `tools`, `triggers`, `runtimes`, `webhooks`, `discovery`.
#[macro_export]
macro_rules! capabilities {
    ($($field:ident : $value:expr),* $(,)?) => {
        $crate::def!(@[$crate::Capabilities] { $($field : $value),* })
    };
}

/// The vendor's `auth`: `credentials` as `[(key, credential), ..]` and the `default` key.
#[macro_export]
macro_rules! auth {
    ($($field:ident : $value:expr),* $(,)?) => {
        $crate::def!(@[$crate::AuthConfig] { $($field : $value),* })
    };
}

/// An API-key credential (`type: "apiKey"`).
#[macro_export]
macro_rules! api_key {
    ($($field:ident : $value:expr),* $(,)?) => {
        $crate::Credential::ApiKey($crate::def!(@[$crate::ApiKeyCredential] { $($field : $value),* }))
    };
}

/// An OAuth credential (`type: "oauth"`): URLs, scopes, PKCE, refresh rotation,
/// `required_config`, client credentials and `extensions`.
#[macro_export]
macro_rules! oauth {
    ($($field:ident : $value:expr),* $(,)?) => {
        $crate::Credential::OAuth($crate::def!(@[$crate::OAuthCredential] { $($field : $value),* }))
    };
}

/// A bot-token credential (`type: "botToken"`).
#[macro_export]
macro_rules! bot_token {
    ($($field:ident : $value:expr),* $(,)?) => {
        $crate::Credential::BotToken($crate::def!(@[$crate::BotTokenCredential] { $($field : $value),* }))
    };
}

/// A basic-auth credential (`type: "basicAuth"`).
#[macro_export]
macro_rules! basic_auth {
    ($($field:ident : $value:expr),* $(,)?) => {
        $crate::Credential::BasicAuth($crate::def!(@[$crate::BasicAuthCredential] { $($field : $value),* }))
    };
}

/// A block form field; `kind` is one of the 8 [`crate::SubBlockType`]s.
#[macro_export]
macro_rules! sub_block {
    ($($field:ident : $value:expr),* $(,)?) => {
        $crate::def!(@[$crate::SubBlock] { $($field : $value),* })
    };
}

/// Tool parameter metadata (`kind`, `required`, `description`, `default`, `visibility`).
#[macro_export]
macro_rules! param {
    ($($field:ident : $value:expr),* $(,)?) => {
        $crate::def!(@[$crate::ParamDef] { $($field : $value),* })
    };
}

/// A block's `tools`: `access` (tool ids) and an optional `select` closure that picks one
/// from the sub-block values.
#[macro_export]
macro_rules! block_tools {
    ($($field:ident : $value:expr),* $(,)?) => {
        $crate::def!(@[$crate::BlockTools] { $($field : $value),* })
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __capability {
    ($kind:ident { $($field:ident : $value:expr),* $(,)? }) => {{
        let mut capability = $crate::def!(@[$crate::Capability] { $($field : $value),* });
        capability.kind = $crate::CapabilityKind::$kind;
        capability
    }};
}

/// An LLM runtime (chat, completion, streaming): `models` with their metadata.
///
/// ```
/// use sdk_authoring::prelude::*;
/// let llm = define_capability_llm! { models: [def!(ModelMeta { id: "acme-large" })] };
/// assert_eq!(llm.kind, CapabilityKind::Llm);
/// ```
#[macro_export]
macro_rules! define_capability_llm {
    ($($tokens:tt)*) => { $crate::__capability!(Llm { $($tokens)* }) };
}

/// A speech-to-text runtime (batch and realtime); give models their `languages`.
#[macro_export]
macro_rules! define_capability_stt {
    ($($tokens:tt)*) => { $crate::__capability!(Stt { $($tokens)* }) };
}

/// A text-to-speech runtime (batch and realtime); give models their `voices`.
#[macro_export]
macro_rules! define_capability_tts {
    ($($tokens:tt)*) => { $crate::__capability!(Tts { $($tokens)* }) };
}

/// A vector embedding runtime; give each model its `dimensions`.
#[macro_export]
macro_rules! define_capability_embedding {
    ($($tokens:tt)*) => { $crate::__capability!(Embedding { $($tokens)* }) };
}

/// A video generation runtime.
#[macro_export]
macro_rules! define_capability_video {
    ($($tokens:tt)*) => { $crate::__capability!(Video { $($tokens)* }) };
}

/// A document parsing / OCR runtime.
#[macro_export]
macro_rules! define_capability_ocr {
    ($($tokens:tt)*) => { $crate::__capability!(Ocr { $($tokens)* }) };
}

/// Vendor-specific webhook handling (sets `capabilities.webhooks`).
#[macro_export]
macro_rules! define_capability_webhook {
    ($($tokens:tt)*) => { $crate::__capability!(Webhook { $($tokens)* }) };
}

/// Resource browsing, selectors and access scopes (sets `capabilities.discovery`).
#[macro_export]
macro_rules! define_capability_discovery {
    ($($tokens:tt)*) => { $crate::__capability!(Discovery { $($tokens)* }) };
}
