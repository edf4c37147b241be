//! # sdk-authoring-runtime
//!
//! The host of sdk-authoring vendors: loads a vendor component (`wasm32-wasip2`) into
//! wasmtime with nothing but the host interface of `sdk/wit/vendor.wit` - no files, no
//! environment, no sockets - and calls its exports. Embeddable by a platform; the CLI uses it.
//!
//! Start at [`Runtime`] (one per process: one `Engine`, a compile cache on disk) and
//! [`LoadedVendor`] (one compiled component, instantiated afresh for every call).
//!
//! Not here: the manifest model and its validation (crate `sdk-authoring`, feature `host`).

mod cache;
mod host;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use wasmtime::component::{Component, Linker};
use wasmtime::{Config, Engine, Store};

use sdk_authoring::{Manifest, ManifestParseError};

pub use host::{HostState, LogLine};

/// Limits and caching of a [`Runtime`].
#[derive(Clone, Debug)]
pub struct RuntimeConfig {
    /// Where compiled components are cached (keyed by content hash, wasmtime version and
    /// engine settings); `None` compiles every time.
    pub cache_dir: Option<PathBuf>,
    /// Linear memory a vendor may use.
    pub max_memory_bytes: usize,
    /// Wall time of one call.
    pub timeout: Duration,
}

impl Default for RuntimeConfig {
    fn default() -> RuntimeConfig {
        RuntimeConfig {
            cache_dir: None,
            max_memory_bytes: 64 << 20,
            timeout: Duration::from_secs(30),
        }
    }
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
    #[error("the vendor did not finish within {0:?}")]
    Timeout(Duration),
    #[error("the vendor trapped: {0}")]
    Trap(String),
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

    fn store(&self) -> Store<HostState> {
        let mut store = Store::new(&self.engine, HostState::new(self.config.max_memory_bytes));
        store.limiter(|state| &mut state.limits);
        let ticks = self
            .config
            .timeout
            .as_millis()
            .div_ceil(EPOCH_TICK.as_millis()) as u64;
        store.set_epoch_deadline(ticks.max(1));
        store
    }

    /// Calls the vendor's `manifest()` in a fresh sandbox and parses the result.
    pub fn extract_manifest(
        &self,
        vendor: &LoadedVendor,
    ) -> Result<ExtractedManifest, RuntimeError> {
        let mut store = self.store();
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
        if let Some(message) = store.data().panic_message() {
            return RuntimeError::Panic { message };
        }
        // The wasm backtrace wasmtime attaches is for wasmtime developers, not for authors:
        // report the trap itself.
        match error.downcast_ref::<wasmtime::Trap>() {
            Some(wasmtime::Trap::Interrupt) => RuntimeError::Timeout(self.config.timeout),
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
