//! The host side of the WIT `host` interface, and the per-call sandbox state.
//!
//! The WASI context is empty on purpose: no preopened directories, no environment, no
//! arguments, no network, stdio discarded. The only way out is `send`, which for now denies
//! every request (the HTTP policies of `test --level sandbox|live` build on this).

use wasmtime::component::ResourceTable;
use wasmtime::{StoreLimits, StoreLimitsBuilder};
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};

use crate::bindings::sdk_authoring::vendor::host;

/// One line the vendor logged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogLine {
    pub level: &'static str,
    pub message: String,
}

/// The state of one store: one call's sandbox.
pub struct HostState {
    wasi: WasiCtx,
    table: ResourceTable,
    pub(crate) limits: StoreLimits,
    pub logs: Vec<LogLine>,
}

impl HostState {
    pub(crate) fn new(max_memory_bytes: usize) -> HostState {
        let wasi = WasiCtx::builder()
            .allow_tcp(false)
            .allow_udp(false)
            .allow_ip_name_lookup(false)
            .build();
        HostState {
            wasi,
            table: ResourceTable::new(),
            limits: StoreLimitsBuilder::new()
                .memory_size(max_memory_bytes)
                .instances(8)
                .tables(32)
                .memories(8)
                .build(),
            logs: Vec::new(),
        }
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
        self.logs.push(LogLine { level, message });
    }

    fn send(&mut self, request: host::HttpRequest) -> Result<host::HttpResponse, host::HttpError> {
        Err(host::HttpError::Denied(format!(
            "{} {}: this sandbox allows no network",
            request.method, request.url
        )))
    }
}
