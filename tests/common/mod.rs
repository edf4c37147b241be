//! Helpers shared by the end-to-end tests: run the real binary, read the bundles it writes.
#![allow(dead_code)] // each test file uses a different subset

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("cli/ is in the repo")
        .to_path_buf()
}

/// Runs `sdk-authoring integrations build --entry <entry> --out-dir <out_dir> [extra]`.
pub fn build(entry: &Path, out_dir: &Path, extra: &[&str]) -> Output {
    Command::cargo_bin("sdk-authoring")
        .expect("the binary is built")
        .args(["integrations", "build", "--entry"])
        .arg(entry)
        .arg("--out-dir")
        .arg(out_dir)
        .args(extra)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The entries of a bundle, by path.
pub fn read_bundle(path: &Path) -> Vec<(String, Vec<u8>)> {
    let file = std::fs::File::open(path).expect("bundle exists");
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let mut entries = Vec::new();
    for entry in archive.entries().expect("a tar archive") {
        let mut entry = entry.expect("a tar entry");
        let path = entry.path().expect("a path").display().to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).expect("readable entry");
        entries.push((path, bytes));
    }
    entries
}

pub fn entry<'a>(entries: &'a [(String, Vec<u8>)], path: &str) -> &'a [u8] {
    &entries
        .iter()
        .find(|(p, _)| p == path)
        .unwrap_or_else(|| panic!("{path} is in the bundle"))
        .1
}

/// Builds `examples/<name>` into a fresh out dir: the dir (kept alive), the bundle's
/// manifest and its entries.
pub fn build_example(name: &str) -> (tempfile::TempDir, Value, Vec<(String, Vec<u8>)>) {
    let out = tempfile::tempdir().unwrap();
    let output = build(&repo_root().join("examples").join(name), out.path(), &[]);
    assert!(
        output.status.success(),
        "build of {name} failed:\n{}",
        stderr(&output)
    );
    let bundles: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(
        bundles.len(),
        1,
        "exactly one file in the out dir: {bundles:?}"
    );
    let entries = read_bundle(&bundles[0]);
    let manifest: Value =
        serde_json::from_slice(entry(&entries, "manifest.json")).expect("manifest.json is JSON");
    (out, manifest, entries)
}
