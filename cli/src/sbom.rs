//! `meta/sbom.cdx.json`: a CycloneDX 1.6 SBOM of exactly the crates compiled into the
//! vendor's wasm, from `cargo metadata --filter-platform wasm32-wasip2` and `Cargo.lock`.
//!
//! Which crates: everything reachable from the vendor crate through normal dependencies for
//! the wasm target is compiled into the component (`scope: "required"`). Proc-macros, build
//! scripts' dependencies and everything only they depend on run on the build machine and are
//! not in the wasm; they are kept with `scope: "excluded"` because code that runs during the
//! build is part of the supply chain an auditor wants to see. Dev-dependencies are left out.
//!
//! Deterministic: the serial number is a UUID derived from the SBOM's own content and the
//! timestamp is `SOURCE_DATE_EPOCH` (else the Unix epoch), never the clock or a random source.
//!
//! Start at [`CrateGraph::from_metadata`] and [`cyclonedx_json`].

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use sdk_authoring::Manifest;
use sdk_authoring::validate::Problem;

/// The parts of `cargo metadata --format-version 1` we read.
#[derive(Debug, Deserialize)]
pub struct Metadata {
    pub packages: Vec<Package>,
    pub resolve: Option<Resolve>,
    pub workspace_root: PathBuf,
}

#[derive(Debug, Deserialize)]
pub struct Package {
    pub id: String,
    pub name: String,
    pub version: String,
    pub license: Option<String>,
    pub license_file: Option<String>,
    pub repository: Option<String>,
    pub homepage: Option<String>,
    pub documentation: Option<String>,
    pub description: Option<String>,
    /// `None` for path dependencies and workspace members.
    pub source: Option<String>,
    pub manifest_path: PathBuf,
    pub targets: Vec<Target>,
}

#[derive(Debug, Deserialize)]
pub struct Target {
    pub name: String,
    pub kind: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct Resolve {
    pub nodes: Vec<Node>,
    pub root: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Node {
    pub id: String,
    pub deps: Vec<NodeDep>,
}

#[derive(Debug, Deserialize)]
pub struct NodeDep {
    pub pkg: String,
    pub dep_kinds: Vec<DepKind>,
}

#[derive(Debug, Deserialize)]
pub struct DepKind {
    /// `None` for normal, `"dev"`, `"build"`.
    pub kind: Option<String>,
}

/// Whether a crate ends up in the wasm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    /// Compiled into the component.
    Required,
    /// Runs at build time only (proc-macro, build script or their dependencies).
    Excluded,
}

/// One crate of the vendor's graph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Crate {
    pub id: String,
    pub name: String,
    pub version: String,
    pub scope: Scope,
    pub license: Option<String>,
    pub license_file: Option<String>,
    pub repository: Option<String>,
    pub homepage: Option<String>,
    pub documentation: Option<String>,
    pub description: Option<String>,
    /// `registry+...`, `git+...`; `None` for a path dependency.
    pub source: Option<String>,
    /// SHA-256 of the `.crate` file, from `Cargo.lock` (registry crates only).
    pub sha256: Option<String>,
    /// The library's crate name as it appears in symbols (`serde_json`).
    pub lib_name: String,
    /// Ids of the crates it depends on within the graph (normal edges, plus build edges
    /// for build-time crates).
    pub depends_on: Vec<String>,
}

impl Crate {
    /// `name@version`, the key used across the SBOM and metafile.
    pub fn key(&self) -> String {
        format!("{}@{}", self.name, self.version)
    }

    /// `pkg:cargo/name@version`.
    pub fn purl(&self) -> String {
        format!("pkg:cargo/{}@{}", self.name, self.version)
    }
}

/// The vendor crate and its dependencies, classified by scope.
#[derive(Clone, Debug)]
pub struct CrateGraph {
    pub root: Crate,
    /// Dependencies (not the root), sorted by name and version.
    pub crates: Vec<Crate>,
}

#[derive(Debug, thiserror::Error)]
pub enum SbomError {
    #[error("`cargo metadata` output is not what this version of sdk-authoring reads: {0}")]
    Metadata(String),
    #[error("could not read {path}: {error}")]
    Lockfile {
        path: PathBuf,
        error: std::io::Error,
    },
}

fn is_normal(dep: &NodeDep) -> bool {
    dep.dep_kinds.iter().any(|k| k.kind.is_none())
}

fn is_build(dep: &NodeDep) -> bool {
    dep.dep_kinds
        .iter()
        .any(|k| k.kind.as_deref() == Some("build"))
}

impl CrateGraph {
    /// Classifies the resolve graph of `metadata` (run with `--filter-platform
    /// wasm32-wasip2`) starting at the package whose manifest is `manifest_path`.
    pub fn from_metadata(
        metadata: &Metadata,
        manifest_path: &Path,
        lock: &Lockfile,
    ) -> Result<CrateGraph, SbomError> {
        let resolve = metadata
            .resolve
            .as_ref()
            .ok_or_else(|| SbomError::Metadata("no resolve graph".into()))?;
        let packages: HashMap<&str, &Package> = metadata
            .packages
            .iter()
            .map(|p| (p.id.as_str(), p))
            .collect();
        let nodes: HashMap<&str, &Node> =
            resolve.nodes.iter().map(|n| (n.id.as_str(), n)).collect();
        let root = metadata
            .packages
            .iter()
            .find(|p| p.manifest_path == manifest_path)
            .ok_or_else(|| {
                SbomError::Metadata(format!(
                    "no package with manifest {}",
                    manifest_path.display()
                ))
            })?;
        let is_proc_macro = |id: &str| {
            packages.get(id).is_some_and(|p| {
                p.targets
                    .iter()
                    .any(|t| t.kind.iter().any(|k| k == "proc-macro"))
            })
        };
        let deps_of = |id: &str| nodes.get(id).map(|n| n.deps.as_slice()).unwrap_or_default();

        // In the wasm: normal edges from the root, not through proc-macros.
        let mut required: BTreeSet<&str> = BTreeSet::from([root.id.as_str()]);
        let mut build_roots = Vec::new();
        let mut queue = VecDeque::from([root.id.as_str()]);
        while let Some(id) = queue.pop_front() {
            for dep in deps_of(id) {
                if is_normal(dep) && !is_proc_macro(&dep.pkg) {
                    if required.insert(dep.pkg.as_str()) {
                        queue.push_back(dep.pkg.as_str());
                    }
                } else if is_normal(dep) || is_build(dep) {
                    build_roots.push(dep.pkg.as_str());
                }
            }
        }
        // Build time only: proc-macros, build dependencies, and all they depend on.
        let mut excluded: BTreeSet<&str> = BTreeSet::new();
        let mut queue: VecDeque<&str> = build_roots.into_iter().collect();
        while let Some(id) = queue.pop_front() {
            if required.contains(id) || !excluded.insert(id) {
                continue;
            }
            for dep in deps_of(id) {
                if is_normal(dep) || is_build(dep) {
                    queue.push_back(dep.pkg.as_str());
                }
            }
        }

        let make = |id: &str, scope: Scope| -> Result<Crate, SbomError> {
            let package = packages
                .get(id)
                .ok_or_else(|| SbomError::Metadata(format!("unknown package {id}")))?;
            let depends_on = deps_of(id)
                .iter()
                .filter(|dep| match scope {
                    Scope::Required => is_normal(dep) && required.contains(dep.pkg.as_str()),
                    Scope::Excluded => {
                        (is_normal(dep) || is_build(dep))
                            && (required.contains(dep.pkg.as_str())
                                || excluded.contains(dep.pkg.as_str()))
                    }
                })
                .map(|dep| dep.pkg.clone())
                .collect();
            let lib_name = package
                .targets
                .iter()
                .find(|t| {
                    t.kind
                        .iter()
                        .any(|k| k.ends_with("lib") || k == "proc-macro")
                })
                .map_or_else(|| package.name.clone(), |t| t.name.clone())
                .replace('-', "_");
            Ok(Crate {
                id: id.to_owned(),
                name: package.name.clone(),
                version: package.version.clone(),
                scope,
                license: package.license.clone(),
                license_file: package.license_file.clone(),
                repository: package.repository.clone(),
                homepage: package.homepage.clone(),
                documentation: package.documentation.clone(),
                description: package.description.clone(),
                source: package.source.clone(),
                sha256: lock.checksum(&package.name, &package.version),
                lib_name,
                depends_on,
            })
        };
        let root_crate = make(&root.id, Scope::Required)?;
        let mut crates = Vec::new();
        for id in required.iter().filter(|id| **id != root.id) {
            crates.push(make(id, Scope::Required)?);
        }
        for id in &excluded {
            crates.push(make(id, Scope::Excluded)?);
        }
        crates.sort_by(|a, b| (&a.name, &a.version).cmp(&(&b.name, &b.version)));
        Ok(CrateGraph {
            root: root_crate,
            crates,
        })
    }

    /// The crates compiled into the wasm (not the vendor itself).
    pub fn required(&self) -> impl Iterator<Item = &Crate> {
        self.crates.iter().filter(|c| c.scope == Scope::Required)
    }

    fn purl_of(&self, id: &str) -> Option<String> {
        std::iter::once(&self.root)
            .chain(&self.crates)
            .find(|c| c.id == id)
            .map(Crate::purl)
    }
}

/// Checksums of `Cargo.lock`, by `name@version`.
#[derive(Clone, Debug, Default)]
pub struct Lockfile {
    checksums: HashMap<String, String>,
}

impl Lockfile {
    /// Reads `<workspace_root>/Cargo.lock`; a missing lockfile gives no checksums.
    pub fn read(workspace_root: &Path) -> Result<Lockfile, SbomError> {
        let path = workspace_root.join("Cargo.lock");
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(Lockfile::parse(&text)),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(Lockfile::default()),
            Err(error) => Err(SbomError::Lockfile { path, error }),
        }
    }

    /// Parses the `[[package]]` tables of a lockfile (format v3/v4: one `key = "value"` a line).
    pub fn parse(text: &str) -> Lockfile {
        let mut checksums = HashMap::new();
        for table in text.split("[[package]]").skip(1) {
            let field = |key: &str| {
                table.lines().find_map(|line| {
                    let (k, v) = line.split_once(" = ")?;
                    (k.trim() == key).then(|| v.trim().trim_matches('"').to_owned())
                })
            };
            if let (Some(name), Some(version), Some(checksum)) =
                (field("name"), field("version"), field("checksum"))
            {
                checksums.insert(format!("{name}@{version}"), checksum);
            }
        }
        Lockfile { checksums }
    }

    pub fn checksum(&self, name: &str, version: &str) -> Option<String> {
        self.checksums.get(&format!("{name}@{version}")).cloned()
    }
}

/// Cargo's legacy `MIT/Apache-2.0` becomes the SPDX `MIT OR Apache-2.0`.
pub fn spdx_expression(license: &str) -> String {
    license
        .split('/')
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" OR ")
}

fn licenses(krate: &Crate) -> Option<Value> {
    match (&krate.license, &krate.license_file) {
        (Some(license), _) => Some(json!([{ "expression": spdx_expression(license) }])),
        (None, Some(file)) => {
            Some(json!([{ "license": { "name": format!("see {file} in the crate") } }]))
        }
        (None, None) => None,
    }
}

fn external_references(krate: &Crate) -> Vec<Value> {
    let mut refs = Vec::new();
    let vcs = krate.repository.clone().or_else(|| {
        krate
            .source
            .as_deref()
            .and_then(|s| s.strip_prefix("git+"))
            .map(|s| s.split(['?', '#']).next().unwrap_or(s).to_owned())
    });
    for (kind, url) in [
        ("vcs", vcs),
        ("website", krate.homepage.clone()),
        ("documentation", krate.documentation.clone()),
    ] {
        if let Some(url) = url {
            refs.push(json!({ "type": kind, "url": url }));
        }
    }
    if krate
        .source
        .as_deref()
        .is_some_and(|s| s.starts_with("registry+"))
    {
        refs.push(json!({
            "type": "distribution",
            "url": format!("https://crates.io/api/v1/crates/{}/{}/download", krate.name, krate.version),
        }));
    }
    refs
}

fn component(krate: &Crate, kind: &str) -> Value {
    let mut component = json!({
        "type": kind,
        "bom-ref": krate.purl(),
        "name": krate.name,
        "version": krate.version,
        "purl": krate.purl(),
    });
    let object = component.as_object_mut().expect("a JSON object");
    if let Some(description) = &krate.description {
        object.insert("description".into(), description.trim().into());
    }
    if krate.scope == Scope::Excluded {
        object.insert("scope".into(), "excluded".into());
    } else if kind == "library" {
        object.insert("scope".into(), "required".into());
    }
    if let Some(licenses) = licenses(krate) {
        object.insert("licenses".into(), licenses);
    }
    if let Some(sha256) = &krate.sha256 {
        object.insert(
            "hashes".into(),
            json!([{ "alg": "SHA-256", "content": sha256 }]),
        );
    }
    let refs = external_references(krate);
    if !refs.is_empty() {
        object.insert("externalReferences".into(), refs.into());
    }
    component
}

/// `YYYY-MM-DDTHH:MM:SSZ` for a Unix time (civil-from-days, proleptic Gregorian).
pub fn rfc3339_utc(unix_seconds: u64) -> String {
    let days = (unix_seconds / 86_400) as i64;
    let seconds = unix_seconds % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        seconds / 3600,
        seconds % 3600 / 60,
        seconds % 60
    )
}

/// A UUID (version 5 layout) made of the first 16 bytes of the SHA-256 of `content`.
pub fn content_uuid(content: &[u8]) -> String {
    let digest = Sha256::digest(content);
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    bytes[6] = (bytes[6] & 0x0f) | 0x50;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex = hex::encode(bytes);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// The CycloneDX 1.6 document. `wasm_sha256` identifies the vendor component itself.
pub fn cyclonedx_json(
    graph: &CrateGraph,
    manifest: &Manifest,
    wasm_sha256: &str,
    unix_time: u64,
) -> Value {
    let mut vendor = component(&graph.root, "application");
    let object = vendor.as_object_mut().expect("a JSON object");
    object.insert(
        "hashes".into(),
        json!([{ "alg": "SHA-256", "content": wasm_sha256 }]),
    );
    object.insert(
        "description".into(),
        manifest
            .vendor
            .description
            .clone()
            .unwrap_or_else(|| manifest.vendor.name.clone())
            .into(),
    );
    object.insert(
        "properties".into(),
        json!([
            { "name": "sdk-authoring:vendor-id", "value": manifest.vendor.id },
            { "name": "sdk-authoring:vendor-version", "value": manifest.version },
        ]),
    );
    let components: Vec<Value> = graph
        .crates
        .iter()
        .map(|c| component(c, "library"))
        .collect();
    let dependencies: Vec<Value> = std::iter::once(&graph.root)
        .chain(&graph.crates)
        .map(|krate| {
            let mut depends_on: Vec<String> = krate
                .depends_on
                .iter()
                .filter_map(|id| graph.purl_of(id))
                .collect();
            depends_on.sort();
            depends_on.dedup();
            json!({ "ref": krate.purl(), "dependsOn": depends_on })
        })
        .collect();
    let mut bom = json!({
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "metadata": {
            "timestamp": rfc3339_utc(unix_time),
            "lifecycles": [{ "phase": "build" }],
            "tools": { "components": [{
                "type": "application",
                "name": "sdk-authoring",
                "version": env!("CARGO_PKG_VERSION"),
                "description": "Builds integration bundles from Rust vendor crates",
            }] },
            "component": vendor,
        },
        "components": components,
        "dependencies": dependencies,
    });
    let serial = format!("urn:uuid:{}", content_uuid(bom.to_string().as_bytes()));
    bom.as_object_mut()
        .expect("a JSON object")
        .insert("serialNumber".into(), serial.into());
    bom
}

/// Products' declared `dependencies` checked against the crates in the wasm: a crate that is
/// not compiled in, or whose version does not match, is a problem.
pub fn check_declared_dependencies(manifest: &Manifest, graph: &CrateGraph) -> Vec<Problem> {
    let compiled: BTreeMap<&str, Vec<&str>> =
        graph.required().fold(BTreeMap::new(), |mut map, c| {
            map.entry(c.name.as_str())
                .or_default()
                .push(c.version.as_str());
            map
        });
    let mut problems = Vec::new();
    for (p, product) in manifest.products.iter().enumerate() {
        for (d, dependency) in product.dependencies.iter().enumerate() {
            if dependency.kind != "cargo" {
                continue; // reported by manifest validation
            }
            let path = format!("products[{p}].dependencies[{d}]");
            let Some(versions) = compiled.get(dependency.package.as_str()) else {
                problems.push(Problem {
                    code: "dependency-not-compiled",
                    path: format!("{path}.package"),
                    message: format!(
                        "crate {:?} is not compiled into the wasm",
                        dependency.package
                    ),
                    fix: format!(
                        "add {:?} to the vendor's [dependencies], or remove this declaration",
                        dependency.package
                    ),
                });
                continue;
            };
            if !versions
                .iter()
                .any(|v| version_matches(&dependency.version, v))
            {
                problems.push(Problem {
                    code: "dependency-version",
                    path: format!("{path}.version"),
                    message: format!(
                        "declares {} {:?} but the wasm has {}",
                        dependency.package,
                        dependency.version,
                        versions.join(", ")
                    ),
                    fix: format!(
                        "declare the locked version, e.g. version: \"{}\"",
                        versions[0]
                    ),
                });
            }
        }
    }
    problems
}

/// A plain version must equal the compiled one; a requirement (`^1`, `>=1.2, <2`) must match it.
fn version_matches(declared: &str, compiled: &str) -> bool {
    let declared = declared.trim();
    if declared.starts_with(|c: char| c.is_ascii_digit()) {
        return declared == compiled;
    }
    match (
        semver::VersionReq::parse(declared),
        semver::Version::parse(compiled),
    ) {
        (Ok(requirement), Ok(version)) => requirement.matches(&version),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_unix_time() {
        assert_eq!(rfc3339_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339_utc(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(rfc3339_utc(951_782_400), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn content_uuids_are_stable_version_5_layout() {
        let uuid = content_uuid(b"bom");
        assert_eq!(uuid, content_uuid(b"bom"));
        assert_ne!(uuid, content_uuid(b"other"));
        assert_eq!(uuid.len(), 36);
        assert_eq!(&uuid[14..15], "5");
        assert!(matches!(&uuid[19..20], "8" | "9" | "a" | "b"));
    }

    #[test]
    fn legacy_license_separators_become_spdx() {
        assert_eq!(spdx_expression("MIT/Apache-2.0"), "MIT OR Apache-2.0");
        assert_eq!(spdx_expression("MIT OR Apache-2.0"), "MIT OR Apache-2.0");
    }

    #[test]
    fn lockfile_checksums() {
        let lock = Lockfile::parse(
            "version = 4\n\n[[package]]\nname = \"itoa\"\nversion = \"1.0.15\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"abc\"\n\n[[package]]\nname = \"local\"\nversion = \"0.1.0\"\n",
        );
        assert_eq!(lock.checksum("itoa", "1.0.15").as_deref(), Some("abc"));
        assert_eq!(lock.checksum("local", "0.1.0"), None);
    }

    #[test]
    fn declared_versions_match_exactly_or_by_requirement() {
        assert!(version_matches("1.0.154", "1.0.154"));
        assert!(!version_matches("1.0.153", "1.0.154"));
        assert!(version_matches("^1.0", "1.0.154"));
        assert!(!version_matches(">=2", "1.0.154"));
    }
}
