//! The on-disk cache of compiled components: a compiled artifact loads in well under a
//! millisecond where cranelift takes a hundred or more.
//!
//! Keyed by the wasm's SHA-256, the wasmtime version and the engine's compatibility hash, so
//! an artifact is only ever loaded by an engine that can run it. Written to a temp file and
//! renamed, so a crash never leaves a torn artifact.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;

use sha2::{Digest, Sha256};
use wasmtime::Engine;
use wasmtime::component::Component;

use crate::RuntimeError;

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn artifact_name(engine: &Engine, wasm_sha256: &str) -> String {
    let mut hasher = DefaultHasher::new();
    engine.precompile_compatibility_hash().hash(&mut hasher);
    format!(
        "{wasm_sha256}-wasmtime{WASMTIME_VERSION}-{:016x}.cwasm",
        hasher.finish()
    )
}

/// Pinned with `=` in the workspace manifest; part of the cache key.
const WASMTIME_VERSION: &str = "48.0.8";

pub(crate) fn load_or_compile(
    engine: &Engine,
    dir: &Path,
    wasm: &[u8],
    wasm_sha256: &str,
) -> Result<Component, RuntimeError> {
    let path = dir.join(artifact_name(engine, wasm_sha256));
    if path.is_file() {
        // SAFETY: the file was written by `Component::serialize` of an engine with the same
        // wasmtime version and settings (both are in its name), under a directory we own;
        // wasmtime checks the header and refuses an incompatible artifact.
        if let Ok(component) = unsafe { Component::deserialize_file(engine, &path) } {
            return Ok(component);
        }
    }
    let component =
        Component::new(engine, wasm).map_err(|e| RuntimeError::Compile(format!("{e:#}")))?;
    // The cache is an optimisation: failing to write it never fails the load.
    if let Ok(bytes) = component.serialize()
        && std::fs::create_dir_all(dir).is_ok()
        && let Ok(mut file) = tempfile::NamedTempFile::new_in(dir)
        && std::io::Write::write_all(&mut file, &bytes).is_ok()
    {
        let _ = file.persist(&path);
    }
    Ok(component)
}
