//! # sdk-authoring-cli
//!
//! The `sdk-authoring` command line. Commands (`commands/`) only parse arguments and print;
//! the work lives in the library modules here, which tests call directly:
//! [`build`] (compile, extract, validate, pack), [`bundle`] (the reproducible archive) and
//! [`cargo`] (driving cargo for `wasm32-wasip2`), [`sbom`] (CycloneDX 1.6) and [`metafile`]
//! (what each crate contributes to the wasm). Output conventions are in [`report`].

pub mod build;
pub mod bundle;
pub mod cargo;
pub mod commands;
pub mod harness;
pub mod init;
pub mod inspect;
pub mod metafile;
pub mod report;
pub mod sbom;

/// Lowercase hex SHA-256, the digest used across the bundle.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}
