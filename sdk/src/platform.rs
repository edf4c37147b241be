//! Where logs and HTTP go by default: through the host interface in wasm; to stderr and
//! nowhere (a clear error) in native code, where tests give the context a transport.

use std::sync::Arc;

use crate::context::LogSink;
use crate::http::Transport;

#[cfg(target_family = "wasm")]
pub(crate) fn default_log_sink() -> Arc<dyn LogSink> {
    Arc::new(crate::guest::HostLog)
}

#[cfg(target_family = "wasm")]
pub(crate) fn default_transport() -> Arc<dyn Transport> {
    Arc::new(crate::guest::HostTransport)
}

#[cfg(not(target_family = "wasm"))]
pub(crate) fn default_log_sink() -> Arc<dyn LogSink> {
    Arc::new(native::StderrLog)
}

#[cfg(not(target_family = "wasm"))]
pub(crate) fn default_transport() -> Arc<dyn Transport> {
    Arc::new(native::NoTransport)
}

#[cfg(not(target_family = "wasm"))]
mod native {
    use crate::context::{LogLevel, LogSink};
    use crate::http::{HttpError, HttpRequest, HttpResponse, Transport};

    pub(super) struct StderrLog;

    impl LogSink for StderrLog {
        fn log(&self, level: LogLevel, message: &str) {
            eprintln!("[{level:?}] {message}");
        }
    }

    pub(super) struct NoTransport;

    impl Transport for NoTransport {
        fn send(&self, request: HttpRequest) -> Result<HttpResponse, HttpError> {
            Err(HttpError::Denied(format!(
                "{} {}: native code has no network; give the context a transport \
                 (sdk_authoring::testing::ScriptedHttp with Context::with_http)",
                request.method, request.url
            )))
        }
    }
}
