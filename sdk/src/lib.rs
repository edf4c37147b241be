//! # sdk-authoring
//!
//! Author an integration *vendor* in Rust - its auth, secrets, products, tools, workflow
//! blocks, triggers and capability runtimes - and compile it to a WebAssembly component that
//! `sdk-authoring integrations build` turns into a bundle.
//!
//! Start with the macros ([`define_vendor!`], [`define_product!`], [`define_tool!`],
//! [`define_block!`], [`define_trigger_block!`]) and the [`prelude`]. A tool's `execute`
//! gets its typed input and a [`Context`]; it returns a [`ToolResult`].
//!
//! What this crate is not: the host. Loading and sandboxing a vendor is
//! `sdk-authoring-runtime`; the manifest model and its validation (feature `host`) live here
//! because guest and host share them.
//!
//! The wasm contract is `wit/vendor.wit`; see [`manifest`] for `manifest.json`.

pub mod capability;
pub mod context;
mod define;
mod field;
pub mod http;
pub mod manifest;
pub mod model;
mod platform;
pub mod tool;
mod vendor;

#[cfg(feature = "host")]
pub mod validate;

#[cfg(any(test, feature = "testing"))]
pub mod testing;

#[cfg(target_family = "wasm")]
#[doc(hidden)]
pub mod guest;
#[cfg(target_family = "wasm")]
#[doc(hidden)]
pub use guest as __guest;

/// Without wasm there is nothing to export; `define_vendor!` still defines `vendor()` so
/// tools can be unit-tested natively.
#[cfg(not(target_family = "wasm"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __export_guest {
    ($vendor:ident) => {};
}

pub use capability::{Capability, CapabilityKind, CapabilityMeta, ModelMeta, Runtimes};
pub use context::{
    Auth, BasicAuth, Context, CredentialKindError, Execution, LogLevel, LogSink, Logger,
    OAuthToken, ToolError, ToolResponse, ToolResult, require_api_key, require_basic_auth,
    require_bot_token, require_oauth, require_oauth_token,
};
pub use field::{IntoField, Plain};
pub use http::{HttpClient, HttpError, HttpRequest, HttpResponse, Transport};
pub use manifest::{MANIFEST_VERSION, Manifest, ManifestParseError, ManifestVendor};
pub use model::*;
pub use tool::{Handler, InvokeError, ToolSelector};
pub use vendor::qualify_tool_id;

/// Everything a vendor crate usually needs: `use sdk_authoring::prelude::*;`.
pub mod prelude {
    pub use crate::capability::{Capability, CapabilityKind, ModelMeta};
    pub use crate::context::{
        Auth, Context, CredentialKindError, Execution, Logger, ToolError, ToolResponse, ToolResult,
        require_api_key, require_basic_auth, require_bot_token, require_oauth, require_oauth_token,
    };
    pub use crate::http::{HttpClient, HttpError, HttpResponse};
    pub use crate::model::*;
    pub use crate::{
        api_key, auth, basic_auth, block_tools, bot_token, capabilities, def, define_block,
        define_capability_discovery, define_capability_embedding, define_capability_llm,
        define_capability_ocr, define_capability_stt, define_capability_tts,
        define_capability_video, define_capability_webhook, define_product, define_tool,
        define_trigger_block, define_vendor, oauth, param, sub_block,
    };
    pub use schemars::JsonSchema;
    pub use serde::{Deserialize, Serialize};
}

// Re-exported so that vendor crates and the macros agree on the versions.
#[doc(hidden)]
pub use schemars;
#[doc(hidden)]
pub use serde_json;
