//! # sdk-authoring-cli
//!
//! The `sdk-authoring` command line. Commands (`commands/`) only parse arguments and print;
//! the work lives in the library modules here, which tests call directly:
//! [`build`] (compile, extract, validate, pack), [`bundle`] (the reproducible archive) and
//! [`cargo`] (driving cargo for `wasm32-wasip2`). Output conventions are in [`report`].

pub mod build;
pub mod bundle;
pub mod cargo;
pub mod commands;
pub mod report;
