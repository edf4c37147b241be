//! The host side of the WIT `host` interface, and the per-call sandbox state.
//!
//! The WASI context is empty on purpose: no preopened directories, no environment, no
//! arguments, no network, stdio discarded. The only way out is `send`, which goes through the
//! call's [`HttpHandler`] policy after the per-call limits (request count, response size).

use std::sync::Arc;

use wasmtime::ResourceLimiter;
use wasmtime::component::ResourceTable;
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};

use sdk_authoring::{HttpError, HttpRequest};

use crate::bindings::sdk_authoring::vendor::host;
use crate::http::HttpHandler;
use crate::{CallContext, RuntimeConfig};

/// One line the vendor logged.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct LogLine {
    pub level: &'static str,
    pub message: String,
}

/// Memory and table limits of one store; remembers whether the memory limit was hit, since
/// the guest only sees a failed `memory.grow` and aborts.
pub(crate) struct Limiter {
    max_memory_bytes: usize,
    pub(crate) memory_exceeded: bool,
}

impl ResourceLimiter for Limiter {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        if desired > self.max_memory_bytes {
            self.memory_exceeded = true;
            return Ok(false);
        }
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        Ok(desired <= 1 << 20)
    }
}

/// The state of one store: one call's sandbox.
pub struct HostState {
    wasi: WasiCtx,
    table: ResourceTable,
    pub(crate) limiter: Limiter,
    http: Arc<dyn HttpHandler>,
    max_http_requests: u32,
    max_http_response_bytes: usize,
    redactor: Redactor,
    pub http_requests: u32,
    pub logs: Vec<LogLine>,
}

impl HostState {
    pub(crate) fn new(config: &RuntimeConfig, call: &CallContext) -> HostState {
        let wasi = WasiCtx::builder()
            .allow_tcp(false)
            .allow_udp(false)
            .allow_ip_name_lookup(false)
            .build();
        HostState {
            wasi,
            table: ResourceTable::new(),
            limiter: Limiter {
                max_memory_bytes: config.max_memory_bytes,
                memory_exceeded: false,
            },
            http: call.http.clone(),
            max_http_requests: config.max_http_requests,
            max_http_response_bytes: config.max_http_response_bytes,
            redactor: Redactor::new(call.redact.iter().cloned()),
            http_requests: 0,
            logs: Vec::new(),
        }
    }

    /// `text` with every secret and credential value replaced by `[REDACTED]`.
    pub fn redacted(&self, text: &str) -> String {
        self.redactor.redact(text)
    }

    /// The message of the guest's panic, when the SDK's panic hook logged one.
    pub fn panic_message(&self) -> Option<String> {
        self.logs
            .iter()
            .rev()
            .find_map(|line| line.message.strip_prefix("panic: "))
            // std formats "panicked at file:line:col:\nmessage"; keep it on one line.
            .map(|message| message.replacen(":\n", ": ", 1))
    }

    fn send_http(
        &mut self,
        request: HttpRequest,
    ) -> Result<sdk_authoring::HttpResponse, HttpError> {
        self.http_requests += 1;
        if self.http_requests > self.max_http_requests {
            return Err(HttpError::LimitExceeded(format!(
                "{} {}: this call already sent {} requests, the limit",
                request.method, request.url, self.max_http_requests
            )));
        }
        let response = self.http.send(&request)?;
        if response.body.len() > self.max_http_response_bytes {
            return Err(HttpError::LimitExceeded(format!(
                "{} {}: the response body is {} bytes, over the {} byte limit",
                request.method,
                request.url,
                response.body.len(),
                self.max_http_response_bytes
            )));
        }
        Ok(response)
    }
}

/// Secret and credential values to take out of text. Values shorter than 4 bytes are left
/// alone (they would redact common words; credentials and secrets are longer), and longer
/// values go first, so one that contains another is replaced whole.
#[derive(Clone, Debug, Default)]
pub(crate) struct Redactor {
    values: Vec<String>,
}

impl Redactor {
    pub(crate) fn new(values: impl IntoIterator<Item = String>) -> Redactor {
        let mut values: Vec<String> = values.into_iter().filter(|v| v.len() >= 4).collect();
        values.sort_by_key(|v| std::cmp::Reverse(v.len()));
        values.dedup();
        Redactor { values }
    }

    /// `text` with every value replaced by `[REDACTED]`.
    pub(crate) fn redact(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for value in &self.values {
            if text.contains(value.as_str()) {
                text = text.replace(value.as_str(), "[REDACTED]");
            }
        }
        text
    }

    /// Whether `text` carries any of the values.
    pub(crate) fn appears_in(&self, text: &str) -> bool {
        self.values
            .iter()
            .any(|value| text.contains(value.as_str()))
    }
}

impl WasiView for HostState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl host::Host for HostState {
    fn log(&mut self, level: host::LogLevel, message: String) {
        let level = match level {
            host::LogLevel::Trace => "trace",
            host::LogLevel::Debug => "debug",
            host::LogLevel::Info => "info",
            host::LogLevel::Warn => "warn",
            host::LogLevel::Error => "error",
        };
        let message = self.redacted(&message);
        self.logs.push(LogLine { level, message });
    }

    fn send(&mut self, request: host::HttpRequest) -> Result<host::HttpResponse, host::HttpError> {
        let request = HttpRequest {
            method: request.method,
            url: request.url,
            headers: request.headers,
            body: request.body,
            timeout_ms: request.timeout_ms,
        };
        match self.send_http(request) {
            Ok(response) => Ok(host::HttpResponse {
                status: response.status,
                headers: response.headers,
                body: response.body,
            }),
            // Messages may quote the request (headers included): never hand a credential back.
            Err(error) => Err(match error {
                HttpError::Denied(m) => host::HttpError::Denied(self.redacted(&m)),
                HttpError::Unmatched(m) => host::HttpError::Unmatched(self.redacted(&m)),
                HttpError::LimitExceeded(m) => host::HttpError::LimitExceeded(self.redacted(&m)),
                HttpError::Timeout(m) => host::HttpError::Timeout(self.redacted(&m)),
                other => host::HttpError::Transport(self.redacted(&other.to_string())),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_replaces_every_value() {
        let redactor = Redactor::new(["sk-live-123456".to_owned(), "hunter22".to_owned()]);
        assert_eq!(
            redactor.redact("key=sk-live-123456 pw=hunter22 again sk-live-123456"),
            "key=[REDACTED] pw=[REDACTED] again [REDACTED]"
        );
        assert!(redactor.appears_in("Bearer hunter22"));
        assert!(!redactor.appears_in("Bearer test-token"));
    }

    #[test]
    fn a_value_containing_another_is_replaced_whole_and_short_values_are_kept() {
        let redactor = Redactor::new([
            "tok-1".to_owned(),
            "tok-1-refresh".to_owned(),
            "ab".to_owned(),
        ]);
        assert_eq!(
            redactor.redact("a tok-1-refresh b tok-1 ab"),
            "a [REDACTED] b [REDACTED] ab"
        );
    }
}
