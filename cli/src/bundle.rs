//! The bundle archive: `<vendor-id>-<version>.bundle.tar.gz`.
//!
//! Reproducible by construction: entries sorted by path, fixed mtime (`SOURCE_DATE_EPOCH`,
//! else 0), uid/gid 0 with no user names, mode 0644, a gzip header with no name and no time.
//! Written to a temp file in the output directory and renamed into place, so a failure never
//! leaves a partial bundle behind.

use std::io::Write;
use std::path::{Path, PathBuf};

use flate2::{Compression, GzBuilder};

/// One file of the bundle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BundleEntry {
    /// Path inside the archive, `/`-separated, relative (e.g. `dist/acme.wasm`).
    pub path: String,
    pub bytes: Vec<u8>,
}

impl BundleEntry {
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> BundleEntry {
        BundleEntry {
            path: path.into(),
            bytes: bytes.into(),
        }
    }
}

/// `<vendor-id>-<version>.bundle.tar.gz`.
pub fn bundle_file_name(vendor_id: &str, version: &str) -> String {
    format!("{vendor_id}-{version}.bundle.tar.gz")
}

/// The mtime of every entry: `SOURCE_DATE_EPOCH` when set to a number, else 0.
pub fn source_date_epoch() -> u64 {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0)
}

#[derive(Debug, thiserror::Error)]
#[error("could not write the bundle {path}: {error}")]
pub struct PackError {
    pub path: PathBuf,
    pub error: std::io::Error,
}

/// The archive bytes for these entries (sorted, normalized, gzipped).
pub fn bundle_bytes(mut entries: Vec<BundleEntry>, mtime: u64) -> std::io::Result<Vec<u8>> {
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    let gzip = GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), Compression::default());
    let mut tar = tar::Builder::new(gzip);
    tar.mode(tar::HeaderMode::Deterministic);
    for entry in &entries {
        let mut header = tar::Header::new_ustar();
        header.set_path(&entry.path)?;
        header.set_size(entry.bytes.len() as u64);
        header.set_mode(0o644);
        header.set_uid(0);
        header.set_gid(0);
        header.set_mtime(mtime);
        header.set_entry_type(tar::EntryType::Regular);
        header.set_cksum();
        tar.append(&header, entry.bytes.as_slice())?;
    }
    tar.into_inner()?.finish()
}

/// Writes the bundle atomically to `out_dir/<file_name>` and returns its path.
pub fn pack_bundle(
    out_dir: &Path,
    file_name: &str,
    entries: Vec<BundleEntry>,
) -> Result<PathBuf, PackError> {
    let path = out_dir.join(file_name);
    let fail = |error| PackError {
        path: path.clone(),
        error,
    };
    let bytes = bundle_bytes(entries, source_date_epoch()).map_err(fail)?;
    std::fs::create_dir_all(out_dir).map_err(fail)?;
    let mut temp = tempfile::Builder::new()
        .prefix(".bundle-")
        .suffix(".partial")
        .tempfile_in(out_dir)
        .map_err(fail)?;
    temp.write_all(&bytes).map_err(fail)?;
    temp.as_file().sync_all().map_err(fail)?;
    // Temp files are created 0600; a bundle is a shareable artifact like cargo's outputs.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        temp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))
            .map_err(fail)?;
    }
    temp.persist(&path).map_err(|error| fail(error.error))?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn entries() -> Vec<BundleEntry> {
        vec![
            BundleEntry::new("manifest.json", "{}"),
            BundleEntry::new("assets/icon.svg", "<svg/>"),
            BundleEntry::new("dist/x.wasm", vec![0u8, 97, 115, 109]),
        ]
    }

    #[test]
    fn same_entries_in_any_order_give_identical_bytes() {
        let mut reversed = entries();
        reversed.reverse();
        assert_eq!(
            bundle_bytes(entries(), 0).unwrap(),
            bundle_bytes(reversed, 0).unwrap()
        );
    }

    #[test]
    fn entries_are_sorted_and_normalized() {
        let bytes = bundle_bytes(entries(), 1_700_000_000).unwrap();
        let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bytes.as_slice()));
        let mut seen = Vec::new();
        for entry in archive.entries().unwrap() {
            let mut entry = entry.unwrap();
            let header = entry.header().clone();
            assert_eq!(header.mode().unwrap(), 0o644);
            assert_eq!(header.uid().unwrap(), 0);
            assert_eq!(header.mtime().unwrap(), 1_700_000_000);
            let mut body = Vec::new();
            entry.read_to_end(&mut body).unwrap();
            seen.push(entry.path().unwrap().display().to_string());
        }
        assert_eq!(seen, ["assets/icon.svg", "dist/x.wasm", "manifest.json"]);
        // gzip header: no file name flag, mtime 0.
        assert_eq!(bytes[3] & 0x08, 0);
        assert_eq!(&bytes[4..8], &[0, 0, 0, 0]);
    }

    #[test]
    fn pack_writes_only_the_final_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = pack_bundle(dir.path(), "x-1.0.0.bundle.tar.gz", entries()).unwrap();
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, [std::ffi::OsString::from("x-1.0.0.bundle.tar.gz")]);
        assert!(path.is_file());
    }
}
