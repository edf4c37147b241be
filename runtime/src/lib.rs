//! # sdk-authoring-runtime
//!
//! The host of sdk-authoring vendors: loads a vendor component (`wasm32-wasip2`) into
//! wasmtime with nothing but the host interface of `sdk/wit/vendor.wit` - no files, no
//! environment, no sockets - and calls its exports. Embeddable by a platform; the CLI uses it.
//!
//! Start at [`Runtime`] (one per process: one `Engine`, a compile cache on disk),
//! [`LoadedVendor`] (one compiled component, instantiated afresh for every call) and
//! [`Sandbox`] (a vendor with its manifest: schema-checked tool calls).
//!
//! Not here: the manifest model and its validation (crate `sdk-authoring`, feature `host`).

mod cache;
pub mod guard;
mod host;
pub mod http;
pub mod live;
pub mod sandbox;
pub mod secrets;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;
use wasmtime::component::{Component, Linker};
use wasmtime::{Config, Engine, InstanceAllocationStrategy, PoolingAllocationConfig, Store};

use sdk_authoring::{Manifest, ManifestParseError, ToolResponse};

pub use guard::{CallGuard, GuardConfig, TelemetryEvent, TelemetrySink, health_check};
pub use host::{HostState, LogLine};
pub use http::{AllowList, DenyAll, Exchange, HttpHandler, Replay, allowed_hosts};
pub use live::{Live, Recorder};
pub use sandbox::{ContextPayload, Sandbox};

/// Limits and caching of a [`Runtime`]. Every limit has a default and can be overridden.
#[derive(Clone, Debug)]
pub struct RuntimeConfig {
    /// Where compiled components are cached (keyed by content hash, wasmtime version and
    /// engine settings); `None` compiles every time.
    pub cache_dir: Option<PathBuf>,
    /// Linear memory a vendor may use (default 64 MiB).
    pub max_memory_bytes: usize,
    /// Wall time of one call (default 30 s), enforced by epoch interruption.
    pub timeout: Duration,
    /// CPU budget of one call in wasmtime fuel units (about one per instruction; default
    /// 10 billion); `None` turns fuel metering off.
    pub fuel: Option<u64>,
    /// HTTP requests one call may send (default 32).
    pub max_http_requests: u32,
    /// Size of one HTTP response body (default 8 MiB).
    pub max_http_response_bytes: usize,
    /// Size of a tool's response JSON (default 4 MiB).
    pub max_output_bytes: usize,
    /// Use wasmtime's pooling allocator (fast instantiation for many calls); off, memory is
    /// allocated on demand (cheaper for a single call such as manifest extraction).
    pub pooling: bool,
}

impl Default for RuntimeConfig {
    fn default() -> RuntimeConfig {
        RuntimeConfig {
            cache_dir: None,
            max_memory_bytes: 64 << 20,
            timeout: Duration::from_secs(30),
            fuel: Some(10_000_000_000),
            max_http_requests: 32,
            max_http_response_bytes: 8 << 20,
            max_output_bytes: 4 << 20,
            pooling: true,
        }
    }
}

/// What one call gets besides its input: the HTTP policy and the values to scrub.
#[derive(Clone)]
pub struct CallContext {
    pub http: Arc<dyn HttpHandler>,
    /// Secret and credential values: replaced by `[REDACTED]` in every log line.
    pub redact: Vec<String>,
}

impl Default for CallContext {
    fn default() -> CallContext {
        CallContext {
            http: Arc::new(DenyAll),
            redact: Vec::new(),
        }
    }
}

/// The outcome of one tool call, with what the vendor did on the way.
#[derive(Debug)]
pub struct Invocation {
    pub outcome: Result<ToolResponse<Value>, RuntimeError>,
    /// Log lines, secrets redacted.
    pub logs: Vec<LogLine>,
    pub http_requests: u32,
    pub duration: Duration,
    /// Fuel the call used, when metering is on.
    pub fuel_consumed: Option<u64>,
}

/// What went wrong loading or calling a vendor.
#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    #[error("could not set up wasmtime: {0}")]
    Engine(String),
    #[error("the wasm file is not a valid vendor component: {0}")]
    Compile(String),
    #[error(
        "the vendor imports `{import}`, which the sandbox does not provide; remove the \
         dependency that needs it (vendors reach the outside only through ctx.http())"
    )]
    MissingImport { import: String },
    #[error(
        "the vendor does not export the sdk-authoring contract ({0}); define the vendor with \
         sdk_authoring::define_vendor! and build it for wasm32-wasip2"
    )]
    NotAVendor(String),
    #[error("the vendor panicked: {message}")]
    Panic { message: String },
    #[error("the vendor did not finish within {0:?} (wall-time limit)")]
    Timeout(Duration),
    #[error("the vendor used up its CPU budget of {0} fuel units (an endless loop?)")]
    FuelExhausted(u64),
    #[error("the vendor exceeded its memory limit of {} MiB", .0 >> 20)]
    MemoryLimit(usize),
    #[error("the vendor overflowed its stack (unbounded recursion?)")]
    StackOverflow,
    #[error("the vendor trapped: {0}")]
    Trap(String),
    #[error("no tool `{0}` in this vendor")]
    UnknownTool(String),
    #[error("the input does not fit the tool's input type: {0}")]
    InvalidInput(String),
    #[error("the host sent a context the vendor cannot read: {0}")]
    InvalidContext(String),
    #[error("the tool's response is {size} bytes, over the {limit} byte limit")]
    OutputTooLarge { size: usize, limit: usize },
    #[error("the tool returned something that is not a ToolResponse: {0}")]
    InvalidResponse(String),
    #[error("the tool's output does not match its output schema: {0}")]
    OutputSchema(String),
    #[error("missing credential: {0}; the call was not made")]
    MissingCredential(String),
    #[error("missing required secret(s): {0}; the call was not made")]
    MissingSecret(String),
    #[error("the vendor returned an invalid manifest: {0}")]
    Manifest(#[from] ManifestParseError),
}

mod bindings {
    wasmtime::component::bindgen!({
        path: "../sdk/wit",
        world: "vendor",
    });
}

/// One wasmtime engine with the sandbox's linker. Cheap to share behind an `Arc`.
pub struct Runtime {
    engine: Engine,
    linker: Linker<HostState>,
    config: RuntimeConfig,
    _ticker: Arc<EpochTicker>,
}

/// Bytes of each linear memory and table kept resident between calls in the pool.
const KEEP_RESIDENT_BYTES: usize = 2 << 20;

/// Deallocated instance slots decommitted together, one TLB flush for all of them.
const DECOMMIT_BATCH: usize = 8;

/// Epochs advance every [`EPOCH_TICK`]; a call's deadline is its timeout in ticks.
const EPOCH_TICK: Duration = Duration::from_millis(10);

struct EpochTicker {
    stop: Arc<std::sync::atomic::AtomicBool>,
}

impl Drop for EpochTicker {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

fn start_epoch_ticker(engine: &Engine) -> EpochTicker {
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let engine = engine.weak();
    let stopped = stop.clone();
    std::thread::spawn(move || {
        while !stopped.load(std::sync::atomic::Ordering::Relaxed) {
            std::thread::sleep(EPOCH_TICK);
            match engine.upgrade() {
                Some(engine) => engine.increment_epoch(),
                None => break,
            }
        }
    });
    EpochTicker { stop }
}

/// A compiled vendor component, ready to instantiate.
pub struct LoadedVendor {
    pre: bindings::VendorPre<HostState>,
    /// SHA-256 of the wasm bytes it was compiled from.
    pub wasm_sha256: String,
}

/// The result of calling `manifest()`.
pub struct ExtractedManifest {
    /// The JSON exactly as the vendor returned it.
    pub json: String,
    pub manifest: Manifest,
    /// Log lines the vendor wrote while building it.
    pub logs: Vec<LogLine>,
}

impl Runtime {
    pub fn new(config: RuntimeConfig) -> Result<Runtime, RuntimeError> {
        let mut wasm_config = Config::new();
        wasm_config.epoch_interruption(true);
        wasm_config.consume_fuel(config.fuel.is_some());
        if config.pooling {
            // Small pools sized for one vendor's components: reserving address space for
            // wasmtime's defaults (1000 instances of 4 GiB) would be wasteful.
            let mut pool = PoolingAllocationConfig::default();
            pool.total_component_instances(64)
                .total_core_instances(512)
                .total_memories(128)
                .total_tables(512)
                .total_stacks(64)
                .max_memories_per_component(8)
                .max_core_instances_per_component(32)
                .max_memory_size(config.max_memory_bytes.next_power_of_two().max(1 << 20))
                // Reset used pages with memset instead of madvise, and batch what is still
                // decommitted: page faults and TLB shootdowns were most of a call's cost.
                // PAGEMAP_SCAN (Linux 6.7+) resets only the pages a call dirtied.
                .linear_memory_keep_resident(KEEP_RESIDENT_BYTES)
                .table_keep_resident(KEEP_RESIDENT_BYTES)
                .pagemap_scan(wasmtime::Enabled::Auto)
                .decommit_batch_size(DECOMMIT_BATCH);
            wasm_config.allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
        }
        let engine =
            Engine::new(&wasm_config).map_err(|e| RuntimeError::Engine(format!("{e:#}")))?;
        let mut linker = Linker::new(&engine);
        // Rust's std on wasip2 imports wasi:cli/io/clocks/random/filesystem/sockets even when
        // unused; they are linked against an empty context (see `host`), so they exist but
        // reach nothing.
        wasmtime_wasi::p2::add_to_linker_sync(&mut linker)
            .map_err(|e| RuntimeError::Engine(format!("{e:#}")))?;
        bindings::Vendor::add_to_linker::<HostState, wasmtime::component::HasSelf<HostState>>(
            &mut linker,
            |state| state,
        )
        .map_err(|e| RuntimeError::Engine(format!("{e:#}")))?;
        let ticker = Arc::new(start_epoch_ticker(&engine));
        Ok(Runtime {
            engine,
            linker,
            config,
            _ticker: ticker,
        })
    }

    /// Compiles (or loads from the cache) a vendor component and checks that the sandbox
    /// provides everything it imports.
    pub fn load(&self, wasm: &[u8]) -> Result<LoadedVendor, RuntimeError> {
        let wasm_sha256 = cache::sha256_hex(wasm);
        let component = match &self.config.cache_dir {
            Some(dir) => cache::load_or_compile(&self.engine, dir, wasm, &wasm_sha256)?,
            None => Component::new(&self.engine, wasm)
                .map_err(|e| RuntimeError::Compile(format!("{e:#}")))?,
        };
        let instance_pre = self.linker.instantiate_pre(&component).map_err(|error| {
            let text = format!("{error:#}");
            match missing_import(&text) {
                Some(import) => RuntimeError::MissingImport { import },
                None => RuntimeError::Compile(text),
            }
        })?;
        let pre = bindings::VendorPre::new(instance_pre)
            .map_err(|e| RuntimeError::NotAVendor(format!("{e:#}")))?;
        Ok(LoadedVendor { pre, wasm_sha256 })
    }

    /// A fresh sandbox for one call: nothing survives from one store to the next.
    fn store(&self, call: &CallContext) -> Result<Store<HostState>, RuntimeError> {
        let state = HostState::new(&self.config, call);
        let mut store = Store::new(&self.engine, state);
        store.limiter(|state| &mut state.limiter);
        let ticks = self
            .config
            .timeout
            .as_millis()
            .div_ceil(EPOCH_TICK.as_millis()) as u64;
        store.set_epoch_deadline(ticks.max(1));
        if let Some(fuel) = self.config.fuel {
            store
                .set_fuel(fuel)
                .map_err(|e| RuntimeError::Engine(format!("{e:#}")))?;
        }
        Ok(store)
    }

    /// Runs one tool in a fresh sandbox. `input` is the tool input as JSON, `context` the
    /// serialized `Context` (auth, execution, secrets, profileConfig). Never fails as a
    /// whole: a trap, a limit or a bad response is the `outcome`'s error.
    pub fn invoke(
        &self,
        vendor: &LoadedVendor,
        tool_id: &str,
        input: &str,
        context: &str,
        call: &CallContext,
    ) -> Invocation {
        use bindings::exports::sdk_authoring::vendor::guest::InvokeError;
        let started = Instant::now();
        let mut store = match self.store(call) {
            Ok(store) => store,
            Err(error) => {
                return Invocation {
                    outcome: Err(error),
                    logs: Vec::new(),
                    http_requests: 0,
                    duration: started.elapsed(),
                    fuel_consumed: None,
                };
            }
        };
        let result = vendor.pre.instantiate(&mut store).and_then(|instance| {
            instance
                .sdk_authoring_vendor_guest()
                .call_invoke(&mut store, tool_id, input, context)
        });
        let outcome = match result {
            Err(error) => Err(self.call_error(&store, error)),
            Ok(Err(InvokeError::UnknownTool(id))) => Err(RuntimeError::UnknownTool(id)),
            Ok(Err(InvokeError::InvalidInput(message))) => Err(RuntimeError::InvalidInput(message)),
            Ok(Err(InvokeError::InvalidContext(message))) => {
                Err(RuntimeError::InvalidContext(message))
            }
            Ok(Ok(json)) if json.len() > self.config.max_output_bytes => {
                Err(RuntimeError::OutputTooLarge {
                    size: json.len(),
                    limit: self.config.max_output_bytes,
                })
            }
            Ok(Ok(json)) => serde_json::from_str(&json)
                .map_err(|e| RuntimeError::InvalidResponse(e.to_string())),
        };
        let fuel_consumed = self
            .config
            .fuel
            .and_then(|fuel| store.get_fuel().ok().map(|left| fuel - left));
        let state = store.into_data();
        Invocation {
            outcome,
            logs: state.logs,
            http_requests: state.http_requests,
            duration: started.elapsed(),
            fuel_consumed,
        }
    }

    /// Calls the vendor's `manifest()` in a fresh sandbox and parses the result.
    pub fn extract_manifest(
        &self,
        vendor: &LoadedVendor,
    ) -> Result<ExtractedManifest, RuntimeError> {
        let mut store = self.store(&CallContext::default())?;
        let result = vendor.pre.instantiate(&mut store).and_then(|instance| {
            instance
                .sdk_authoring_vendor_guest()
                .call_manifest(&mut store)
        });
        let json = result.map_err(|error| self.call_error(&store, error))?;
        let manifest = Manifest::from_json(&json)?;
        Ok(ExtractedManifest {
            json,
            manifest,
            logs: store.into_data().logs,
        })
    }

    /// Turns a wasmtime error into the typed error it stands for: a guest panic (its
    /// message came through the log before the trap), a timeout, or a trap.
    fn call_error(&self, store: &Store<HostState>, error: wasmtime::Error) -> RuntimeError {
        let state = store.data();
        if let Some(message) = state.panic_message() {
            return RuntimeError::Panic { message };
        }
        if state.limiter.memory_exceeded {
            return RuntimeError::MemoryLimit(self.config.max_memory_bytes);
        }
        // The wasm backtrace wasmtime attaches is for wasmtime developers, not for authors:
        // report the trap itself.
        match error.downcast_ref::<wasmtime::Trap>() {
            Some(wasmtime::Trap::Interrupt) => RuntimeError::Timeout(self.config.timeout),
            Some(wasmtime::Trap::OutOfFuel) => {
                RuntimeError::FuelExhausted(self.config.fuel.unwrap_or_default())
            }
            // Rust on wasm keeps large frames on a shadow stack at the bottom of linear memory
            // (wasm-ld places it first), so running off its end is an out-of-bounds access:
            // safe Rust reaches neither trap any other way.
            Some(wasmtime::Trap::StackOverflow | wasmtime::Trap::MemoryOutOfBounds) => {
                RuntimeError::StackOverflow
            }
            Some(trap) => RuntimeError::Trap(trap.to_string()),
            None => RuntimeError::Trap(error.root_cause().to_string()),
        }
    }
}

/// The import name out of wasmtime's "matching implementation was not found" message.
fn missing_import(message: &str) -> Option<String> {
    let (_, rest) = message.split_once("component imports ")?;
    let start = rest.find('`')? + 1;
    let end = start + rest[start..].find('`')?;
    if !message.contains("not found") && !message.contains("matching implementation") {
        return None;
    }
    Some(rest[start..end].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_missing_import() {
        let message = "component imports instance `wasi:http/outgoing-handler@0.2.0`, but a matching implementation was not found in the linker";
        assert_eq!(
            missing_import(message).as_deref(),
            Some("wasi:http/outgoing-handler@0.2.0")
        );
        assert_eq!(missing_import("some other failure"), None);
    }
}
