//! The wasm side of the WIT contract (`sdk/wit/vendor.wit`): bindings generated once here, so
//! vendor crates need neither wit-bindgen nor the WIT file; `define_vendor!` expands to the
//! export glue through [`crate::__export_guest`].

use std::sync::Once;

use serde_json::{Map, Value};

use crate::context::{Context, LogLevel, LogSink};
use crate::http::{HttpError, HttpRequest, HttpResponse, Transport};
use crate::model::Vendor;
use crate::tool::InvokeError;

#[doc(hidden)]
pub mod bindings {
    wit_bindgen::generate!({
        path: "wit",
        world: "vendor",
        pub_export_macro: true,
        export_macro_name: "__export_vendor_world",
        default_bindings_module: "sdk_authoring::__guest::bindings",
    });
}

use bindings::sdk_authoring::vendor::host;

pub use bindings::exports::sdk_authoring::vendor::guest::{Guest, InvokeError as WitInvokeError};

/// Sends every panic message to the host log before the trap (wasm panics abort, so this is
/// the only chance to say why). Installed before the vendor is first built, so a panic in
/// the author's `define_vendor!` values is reported too.
fn install_panic_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            host::log(host::LogLevel::Error, &format!("panic: {info}"));
        }));
    });
}

pub fn manifest(vendor: fn() -> &'static Vendor) -> String {
    install_panic_hook();
    vendor().manifest().to_json_pretty()
}

pub fn invoke(
    vendor: fn() -> &'static Vendor,
    tool_id: String,
    input: String,
    context: String,
) -> Result<String, WitInvokeError> {
    install_panic_hook();
    let ctx: Context = serde_json::from_str(&context)
        .map_err(|error| WitInvokeError::InvalidContext(error.to_string()))?;
    let input: Value = serde_json::from_str(&input)
        .map_err(|error| WitInvokeError::InvalidInput(format!("input is not JSON: {error}")))?;
    match vendor().invoke(&tool_id, input, &ctx) {
        Ok(response) => Ok(serde_json::to_string(&response).expect("JSON values serialize")),
        Err(InvokeError::UnknownTool(id)) => Err(WitInvokeError::UnknownTool(id)),
        Err(InvokeError::InvalidInput(message)) => Err(WitInvokeError::InvalidInput(message)),
        Err(InvokeError::InvalidContext(message)) => Err(WitInvokeError::InvalidContext(message)),
    }
}

pub fn select_tool(
    vendor: fn() -> &'static Vendor,
    block_type: String,
    params: String,
) -> Result<String, String> {
    install_panic_hook();
    let params: Map<String, Value> = serde_json::from_str(&params)
        .map_err(|error| format!("params are not a JSON object: {error}"))?;
    vendor().select_tool(&block_type, &params)
}

pub(crate) struct HostLog;

impl LogSink for HostLog {
    fn log(&self, level: LogLevel, message: &str) {
        let level = match level {
            LogLevel::Trace => host::LogLevel::Trace,
            LogLevel::Debug => host::LogLevel::Debug,
            LogLevel::Info => host::LogLevel::Info,
            LogLevel::Warn => host::LogLevel::Warn,
            LogLevel::Error => host::LogLevel::Error,
        };
        host::log(level, message);
    }
}

pub(crate) struct HostTransport;

impl Transport for HostTransport {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, HttpError> {
        let request = host::HttpRequest {
            method: request.method,
            url: request.url,
            headers: request.headers,
            body: request.body,
            timeout_ms: request.timeout_ms,
        };
        match host::send(&request) {
            Ok(response) => Ok(HttpResponse {
                status: response.status,
                headers: response.headers,
                body: response.body,
            }),
            Err(host::HttpError::Denied(message)) => Err(HttpError::Denied(message)),
            Err(host::HttpError::Unmatched(message)) => Err(HttpError::Unmatched(message)),
            Err(host::HttpError::LimitExceeded(message)) => Err(HttpError::LimitExceeded(message)),
            Err(host::HttpError::Timeout(message)) => Err(HttpError::Timeout(message)),
            Err(host::HttpError::Transport(message)) => Err(HttpError::Transport(message)),
        }
    }
}

/// Expands to the component exports of a vendor crate. Used by `define_vendor!`.
#[doc(hidden)]
#[macro_export]
macro_rules! __export_guest {
    ($vendor:ident) => {
        const _: () = {
            struct Component;
            impl $crate::__guest::Guest for Component {
                fn manifest() -> ::std::string::String {
                    $crate::__guest::manifest($vendor)
                }
                fn invoke(
                    tool_id: ::std::string::String,
                    input: ::std::string::String,
                    context: ::std::string::String,
                ) -> ::core::result::Result<::std::string::String, $crate::__guest::WitInvokeError> {
                    $crate::__guest::invoke($vendor, tool_id, input, context)
                }
                fn select_tool(
                    block_type: ::std::string::String,
                    params: ::std::string::String,
                ) -> ::core::result::Result<::std::string::String, ::std::string::String> {
                    $crate::__guest::select_tool($vendor, block_type, params)
                }
            }
            $crate::__guest::bindings::__export_vendor_world!(Component with_types_in $crate::__guest::bindings);
        };
    };
}
