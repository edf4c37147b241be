//! `integrations build`: compile the vendor crate to a component, run it in the sandbox to
//! extract `manifest.json`, validate it, and pack the bundle.
//!
//! [`build_bundle`] is the whole operation; it writes nothing until every check has passed.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sdk_authoring::Manifest;
use sdk_authoring::validate::{Problem, validate_manifest};
use sdk_authoring_runtime::{Runtime, RuntimeConfig, RuntimeError};

use crate::bundle::{BundleEntry, PackError, bundle_file_name, pack_bundle, source_date_epoch};
use crate::cargo::{
    CargoError, build_component, cargo_metadata, ensure_wasm_target, locate_manifest,
    remap_path_flags,
};
use crate::metafile::metafile_json;
use crate::report::{Reporter, shown_path};
use crate::sbom::{CrateGraph, Lockfile, SbomError, check_declared_dependencies, cyclonedx_json};

/// Arguments of a build.
#[derive(Clone, Debug)]
pub struct BuildOptions {
    /// The vendor crate directory or its `Cargo.toml`.
    pub entry: PathBuf,
    /// Where the bundle goes.
    pub out_dir: PathBuf,
}

/// What a successful build produced.
#[derive(Clone, Debug)]
pub struct BuildOutput {
    pub bundle_path: PathBuf,
    pub manifest: Manifest,
    pub wasm_path: PathBuf,
    pub wasm_size: usize,
    pub bundle_size: u64,
    pub duration: Duration,
}

/// Why a build failed. Each message names the file or field and the fix.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Cargo(#[from] CargoError),
    #[error("could not read {path}: {error}")]
    Read {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{wasm}: {error}")]
    Runtime { wasm: PathBuf, error: RuntimeError },
    #[error(
        "{src}: the vendor definition has {} problem{} (listed below); no bundle was written",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    )]
    InvalidManifest {
        src: PathBuf,
        problems: Vec<Problem>,
    },
    #[error(transparent)]
    Sbom(#[from] SbomError),
    #[error(transparent)]
    Pack(#[from] PackError),
}

/// How long manifest extraction may run: a vendor that loops in `define_vendor!` fails the
/// build instead of hanging it.
const EXTRACT_TIMEOUT: Duration = Duration::from_secs(10);

/// Builds the bundle of the vendor crate at `options.entry`.
pub fn build_bundle(
    options: &BuildOptions,
    reporter: &Reporter,
) -> Result<BuildOutput, BuildError> {
    let started = Instant::now();
    let manifest_path = locate_manifest(&options.entry)?;
    let crate_dir = manifest_path.parent().unwrap_or(Path::new("."));
    // Independent questions to cargo and rustc: ask both at once.
    let (target, metadata) = std::thread::scope(|scope| {
        let metadata = scope.spawn(|| cargo_metadata(&manifest_path));
        let target = ensure_wasm_target(crate_dir, reporter);
        (target, metadata.join())
    });
    target?;
    let metadata = metadata.unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
    let compiled = build_component(&manifest_path, &remap_path_flags(&metadata), reporter)?;

    reporter.status(
        "Extracting",
        format!("manifest from {}", display_path(&compiled.wasm_path)),
    );
    let wasm = std::fs::read(&compiled.wasm_path).map_err(|error| BuildError::Read {
        path: compiled.wasm_path.clone(),
        error,
    })?;
    let runtime_error = |error| BuildError::Runtime {
        wasm: shown_path(&compiled.wasm_path),
        error,
    };
    let runtime = Runtime::new(RuntimeConfig {
        cache_dir: Some(compiled.target_dir.join("sdk-authoring").join("components")),
        timeout: EXTRACT_TIMEOUT,
        // One call: reserving a pool of instance slots would cost more than it saves.
        pooling: false,
        ..RuntimeConfig::default()
    })
    .map_err(runtime_error)?;
    let vendor = runtime.load(&wasm).map_err(runtime_error)?;
    let extracted = runtime.extract_manifest(&vendor).map_err(runtime_error)?;
    for line in &extracted.logs {
        reporter.detail("Log", format!("[{}] {}", line.level, line.message));
    }

    let manifest = extracted.manifest;
    let lock = Lockfile::read(&metadata.workspace_root)?;
    let graph = CrateGraph::from_metadata(&metadata, &manifest_path, &lock)?;
    let mut problems = validate_manifest(&manifest);
    problems.extend(check_declared_dependencies(&manifest, &graph));
    if !problems.is_empty() {
        return Err(BuildError::InvalidManifest {
            src: shown_path(&compiled.src_path),
            problems,
        });
    }
    let vendor_id = manifest.vendor.id.clone();
    let tools: usize = manifest
        .products
        .iter()
        .map(|p| p.capabilities.tools.len())
        .sum();
    reporter.detail(
        "Validated",
        format!(
            "{vendor_id} {} ({} products, {tools} tools)",
            manifest.version,
            manifest.products.len()
        ),
    );

    let wasm_sha256 = crate::sha256_hex(&wasm);
    let sbom = cyclonedx_json(&graph, &manifest, &wasm_sha256, source_date_epoch());
    let components = graph.required().count();
    reporter.detail(
        "SBOM",
        format!(
            "{components} crates in the wasm, {} build-time",
            graph.crates.len() - components
        ),
    );
    let mut manifest_json = extracted.json;
    if !manifest_json.ends_with('\n') {
        manifest_json.push('\n');
    }
    let files = vec![
        ("manifest.json".to_owned(), manifest_json.into_bytes()),
        (
            "assets/icon.svg".to_owned(),
            manifest.vendor.icon.clone().into_bytes(),
        ),
        ("meta/sbom.cdx.json".to_owned(), pretty_json(&sbom)),
    ];
    let wasm_entry = format!("dist/{vendor_id}.wasm");
    let metafile = metafile_json(&graph, &wasm_entry, &wasm, &wasm_sha256, &files);
    let mut entries: Vec<BundleEntry> = files
        .into_iter()
        .map(|(path, bytes)| BundleEntry::new(path, bytes))
        .collect();
    entries.push(BundleEntry::new(
        "meta/metafile.json",
        pretty_json(&metafile),
    ));
    entries.push(BundleEntry::new(wasm_entry, wasm.clone()));

    let file_name = bundle_file_name(&vendor_id, &manifest.version);
    let bundle_path = pack_bundle(&options.out_dir, &file_name, entries)?;
    let bundle_size = std::fs::metadata(&bundle_path)
        .map(|m| m.len())
        .unwrap_or(0);
    reporter.status(
        "Packed",
        format!(
            "{} ({})",
            display_path(&bundle_path),
            human_size(bundle_size)
        ),
    );
    Ok(BuildOutput {
        bundle_path,
        manifest,
        wasm_path: compiled.wasm_path,
        wasm_size: wasm.len(),
        bundle_size,
        duration: started.elapsed(),
    })
}

fn pretty_json(value: &serde_json::Value) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).expect("JSON values serialize");
    bytes.push(b'\n');
    bytes
}

/// A path as users typed it (relative to the current directory when below it).
pub fn display_path(path: &Path) -> String {
    shown_path(path).display().to_string()
}

/// `123.4 KiB`.
pub fn human_size(bytes: u64) -> String {
    match bytes {
        0..1024 => format!("{bytes} B"),
        1024..1_048_576 => format!("{:.1} KiB", bytes as f64 / 1024.0),
        _ => format!("{:.1} MiB", bytes as f64 / 1_048_576.0),
    }
}
