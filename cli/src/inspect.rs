//! `integrations inspect`: read a bundle defensively, summarize it and verify it.
//!
//! [`read_bundle`] refuses an unsafe archive before anything is used: absolute paths, `..`,
//! links, devices and other non-file entries, duplicates, members over the size cap, data
//! after the end of the tar or of the gzip stream, and entries outside the bundle layout.
//! [`inspect_bundle`] then checks the SHA-256s recorded in the metafile and the SBOM, that
//! the manifest is valid, and that the wasm's own `manifest()` equals `manifest.json`.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use flate2::bufread::GzDecoder;
use serde::Serialize;
use serde_json::Value;

use sdk_authoring::Manifest;
use sdk_authoring::validate::validate_manifest;
use sdk_authoring_runtime::{Runtime, RuntimeConfig};

/// The largest single member accepted (the wasm is by far the biggest).
pub const MAX_MEMBER_BYTES: u64 = 64 << 20;
/// The most decompressed bytes read from one bundle.
pub const MAX_BUNDLE_BYTES: u64 = 256 << 20;
/// The most entries a bundle may have.
pub const MAX_ENTRIES: usize = 256;

/// Why a bundle was refused or failed verification.
#[derive(Debug, thiserror::Error)]
pub enum InspectError {
    #[error("could not read {path}: {error}")]
    Read {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{path}: not a gzip-compressed tar archive: {reason}")]
    NotABundle { path: PathBuf, reason: String },
    #[error("{path}: unsafe archive: {reason}; refusing to use it")]
    Unsafe { path: PathBuf, reason: String },
    #[error("{path}: {reason}")]
    Invalid { path: PathBuf, reason: String },
}

/// The files of a bundle, by archive path.
#[derive(Debug, Default)]
pub struct BundleFiles {
    pub files: BTreeMap<String, Vec<u8>>,
    /// Size of the compressed bundle.
    pub compressed_bytes: u64,
}

fn is_allowed_path(path: &str) -> bool {
    let dir_ok = |prefix: &str| {
        path.strip_prefix(prefix)
            .is_some_and(|name| !name.is_empty() && !name.contains('/'))
    };
    path == "manifest.json" || dir_ok("dist/") || dir_ok("meta/") || dir_ok("assets/")
}

/// Reads and safety-checks every member of the bundle at `path`.
pub fn read_bundle(path: &Path) -> Result<BundleFiles, InspectError> {
    let bytes = std::fs::read(path).map_err(|error| InspectError::Read {
        path: path.to_path_buf(),
        error,
    })?;
    let unsafe_archive = |reason: String| InspectError::Unsafe {
        path: path.to_path_buf(),
        reason,
    };
    let not_a_bundle = |reason: String| InspectError::NotABundle {
        path: path.to_path_buf(),
        reason,
    };

    let mut input: &[u8] = &bytes;
    let mut decoder = GzDecoder::new(&mut input);
    let mut tar_bytes = Vec::new();
    (&mut decoder)
        .take(MAX_BUNDLE_BYTES + 1)
        .read_to_end(&mut tar_bytes)
        .map_err(|error| not_a_bundle(error.to_string()))?;
    if tar_bytes.len() as u64 > MAX_BUNDLE_BYTES {
        return Err(unsafe_archive(format!(
            "it decompresses to more than {} MiB",
            MAX_BUNDLE_BYTES >> 20
        )));
    }
    drop(decoder);
    if !input.is_empty() {
        return Err(unsafe_archive(format!(
            "{} bytes of trailing data after the gzip stream",
            input.len()
        )));
    }

    let mut files = BTreeMap::new();
    let mut end_of_entries = 0u64;
    let mut archive = tar::Archive::new(tar_bytes.as_slice());
    let entries = archive
        .entries()
        .map_err(|error| not_a_bundle(error.to_string()))?;
    for entry in entries {
        let mut entry =
            entry.map_err(|error| not_a_bundle(format!("malformed tar entry: {error}")))?;
        let raw_path = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let kind = entry.header().entry_type();
        if !kind.is_file() {
            return Err(unsafe_archive(format!(
                "entry {raw_path:?} is a {} (only regular files are allowed)",
                entry_kind(kind)
            )));
        }
        if raw_path.starts_with('/')
            || raw_path.starts_with('\\')
            || raw_path.get(1..2) == Some(":")
        {
            return Err(unsafe_archive(format!(
                "entry {raw_path:?} has an absolute path"
            )));
        }
        if raw_path.split(['/', '\\']).any(|part| part == "..") {
            return Err(unsafe_archive(format!(
                "entry {raw_path:?} climbs out of the bundle with `..`"
            )));
        }
        let size = entry
            .header()
            .size()
            .map_err(|error| not_a_bundle(error.to_string()))?;
        if size > MAX_MEMBER_BYTES {
            return Err(unsafe_archive(format!(
                "entry {raw_path:?} is {size} bytes, over the {} MiB cap",
                MAX_MEMBER_BYTES >> 20
            )));
        }
        if files.contains_key(&raw_path) {
            return Err(unsafe_archive(format!("entry {raw_path:?} appears twice")));
        }
        if !is_allowed_path(&raw_path) {
            return Err(unsafe_archive(format!(
                "entry {raw_path:?} is outside the bundle layout (manifest.json, dist/, meta/, assets/)"
            )));
        }
        if files.len() == MAX_ENTRIES {
            return Err(unsafe_archive(format!("more than {MAX_ENTRIES} entries")));
        }
        end_of_entries = entry.raw_file_position() + size.div_ceil(512) * 512;
        let mut content = Vec::with_capacity(size as usize);
        entry
            .read_to_end(&mut content)
            .map_err(|error| not_a_bundle(error.to_string()))?;
        files.insert(raw_path, content);
    }
    let rest = tar_bytes.get(end_of_entries as usize..).unwrap_or_default();
    if rest.iter().any(|byte| *byte != 0) {
        return Err(unsafe_archive(
            "data after the end of the tar archive".into(),
        ));
    }
    Ok(BundleFiles {
        files,
        compressed_bytes: bytes.len() as u64,
    })
}

fn entry_kind(kind: tar::EntryType) -> &'static str {
    match kind {
        tar::EntryType::Symlink => "symbolic link",
        tar::EntryType::Link => "hard link",
        tar::EntryType::Char => "character device",
        tar::EntryType::Block => "block device",
        tar::EntryType::Fifo => "FIFO",
        tar::EntryType::Directory => "directory",
        _ => "special entry",
    }
}

/// What `inspect` reports.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Inspection {
    pub bundle: String,
    pub bundle_bytes: u64,
    pub vendor: String,
    pub version: String,
    pub products: Vec<ProductSummary>,
    pub wasm: FileSummary,
    pub files: Vec<FileSummary>,
    /// Crates compiled into the wasm (SBOM components with scope required).
    pub components: usize,
    /// Build-time crates (scope excluded).
    pub build_time_components: usize,
    /// License expression -> number of components.
    pub licenses: BTreeMap<String, usize>,
    /// What was verified.
    pub verified: Vec<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProductSummary {
    pub id: String,
    pub tools: Vec<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FileSummary {
    pub path: String,
    pub bytes: usize,
    pub sha256: String,
}

/// Reads, verifies and summarizes a bundle; also returns its files.
pub fn inspect_bundle(
    path: &Path,
    runtime: &Runtime,
) -> Result<(Inspection, BundleFiles), InspectError> {
    let bundle = read_bundle(path)?;
    let invalid = |reason: String| InspectError::Invalid {
        path: path.to_path_buf(),
        reason,
    };
    let file = |name: &str| {
        bundle
            .files
            .get(name)
            .ok_or_else(|| invalid(format!("the bundle has no {name}")))
    };
    let json_file = |name: &str| -> Result<Value, InspectError> {
        serde_json::from_slice(file(name)?)
            .map_err(|error| invalid(format!("{name} is not JSON: {error}")))
    };

    let manifest_text = std::str::from_utf8(file("manifest.json")?)
        .map_err(|_| invalid("manifest.json is not UTF-8".into()))?;
    let manifest = Manifest::from_json(manifest_text)
        .map_err(|error| invalid(format!("manifest.json: {error}")))?;
    let problems = validate_manifest(&manifest);
    if let Some(problem) = problems.first() {
        return Err(invalid(format!(
            "manifest.json has {} problem(s), the first: [{}] {}: {}",
            problems.len(),
            problem.code,
            problem.path,
            problem.message
        )));
    }
    let wasm_path = format!("dist/{}.wasm", manifest.vendor.id);
    let wasm = file(&wasm_path)?;
    let wasm_sha256 = crate::sha256_hex(wasm);
    let mut verified = Vec::new();

    let metafile = json_file("meta/metafile.json")?;
    let output = &metafile["outputs"][&wasm_path];
    if output["sha256"] != wasm_sha256.as_str() || output["bytes"] != wasm.len() {
        return Err(invalid(format!(
            "the SHA-256 or size of {wasm_path} does not match meta/metafile.json"
        )));
    }
    let recorded = metafile["files"]
        .as_object()
        .ok_or_else(|| invalid("meta/metafile.json has no `files`".into()))?;
    for (name, bytes) in &bundle.files {
        if name == &wasm_path || name == "meta/metafile.json" {
            continue;
        }
        let expected = recorded.get(name).and_then(|f| f["sha256"].as_str());
        if expected != Some(crate::sha256_hex(bytes).as_str()) {
            return Err(invalid(format!(
                "{name} does not match its SHA-256 in meta/metafile.json"
            )));
        }
    }
    verified.push(format!(
        "SHA-256 of {} files against meta/metafile.json",
        bundle.files.len() - 1
    ));

    let sbom = json_file("meta/sbom.cdx.json")?;
    if sbom["specVersion"] != "1.6" || sbom["bomFormat"] != "CycloneDX" {
        return Err(invalid(
            "meta/sbom.cdx.json is not a CycloneDX 1.6 document".into(),
        ));
    }
    let sbom_hash = &sbom["metadata"]["component"]["hashes"][0]["content"];
    if sbom_hash != wasm_sha256.as_str() {
        return Err(invalid(format!(
            "the SBOM's SHA-256 of the vendor does not match {wasm_path}"
        )));
    }
    verified.push("the SBOM describes this wasm (SHA-256)".into());

    let extracted = runtime
        .load(wasm)
        .and_then(|vendor| runtime.extract_manifest(&vendor))
        .map_err(|error| invalid(format!("{wasm_path}: {error}")))?;
    let from_wasm: Value =
        serde_json::from_str(&extracted.json).map_err(|error| invalid(error.to_string()))?;
    let from_file: Value =
        serde_json::from_str(manifest_text).map_err(|error| invalid(error.to_string()))?;
    if from_wasm != from_file {
        return Err(invalid(format!(
            "manifest.json differs from the manifest {wasm_path} returns"
        )));
    }
    verified.push(format!(
        "manifest.json equals the manifest {wasm_path} returns"
    ));

    let components = sbom["components"].as_array().cloned().unwrap_or_default();
    let excluded = components
        .iter()
        .filter(|c| c["scope"] == "excluded")
        .count();
    let mut licenses = BTreeMap::new();
    for component in components.iter().filter(|c| c["scope"] != "excluded") {
        let license = component["licenses"][0]["expression"]
            .as_str()
            .or_else(|| component["licenses"][0]["license"]["name"].as_str())
            .unwrap_or("(none declared)");
        *licenses.entry(license.to_owned()).or_insert(0) += 1;
    }
    let summarize = |name: &String, bytes: &Vec<u8>| FileSummary {
        path: name.clone(),
        bytes: bytes.len(),
        sha256: crate::sha256_hex(bytes),
    };
    let inspection = Inspection {
        bundle: crate::report::shown_path(path).display().to_string(),
        bundle_bytes: bundle.compressed_bytes,
        vendor: manifest.vendor.id.clone(),
        version: manifest.version.clone(),
        products: manifest
            .products
            .iter()
            .map(|p| ProductSummary {
                id: p.id.clone(),
                tools: p.capabilities.tools.iter().map(|t| t.id.clone()).collect(),
            })
            .collect(),
        wasm: FileSummary {
            path: wasm_path.clone(),
            bytes: wasm.len(),
            sha256: wasm_sha256,
        },
        files: bundle
            .files
            .iter()
            .map(|(name, bytes)| summarize(name, bytes))
            .collect(),
        components: components.len() - excluded,
        build_time_components: excluded,
        licenses,
        verified,
    };
    Ok((inspection, bundle))
}

/// A runtime for checking and running bundles, with the compile cache in the user's cache
/// directory so a warm `inspect` or `test` does not recompile the component.
pub fn default_runtime() -> Result<Runtime, sdk_authoring_runtime::RuntimeError> {
    Runtime::new(RuntimeConfig {
        cache_dir: user_cache_dir(),
        ..RuntimeConfig::default()
    })
}

/// `$XDG_CACHE_HOME/sdk-authoring/components`, else `~/.cache/sdk-authoring/components`.
pub fn user_cache_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))?;
    Some(base.join("sdk-authoring").join("components"))
}
