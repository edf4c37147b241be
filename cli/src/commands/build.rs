//! `sdk-authoring integrations build`.

use std::path::PathBuf;

use clap::Args;
use serde_json::json;

use crate::build::{BuildError, BuildOptions, build_bundle, display_path};
use crate::report::Reporter;

/// Compile a vendor crate to wasm, extract and validate its manifest, and pack
/// <out-dir>/<vendor-id>-<version>.bundle.tar.gz.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    sdk-authoring integrations build\n  \
    sdk-authoring integrations build --entry examples/hello-world\n  \
    sdk-authoring integrations build --entry path/to/Cargo.toml --out-dir bundles --message-format json")]
pub struct BuildArgs {
    /// The vendor crate: its directory or its Cargo.toml.
    #[arg(long, default_value = ".")]
    pub entry: PathBuf,
    /// Where to write the bundle.
    #[arg(long, default_value = "dist")]
    pub out_dir: PathBuf,
}

pub fn run(args: &BuildArgs, reporter: &Reporter) -> i32 {
    let options = BuildOptions {
        entry: args.entry.clone(),
        out_dir: args.out_dir.clone(),
    };
    match build_bundle(&options, reporter) {
        Ok(output) => {
            let manifest = &output.manifest;
            reporter.status(
                "Finished",
                format!(
                    "{} {} in {:.2}s",
                    manifest.vendor.id,
                    manifest.version,
                    output.duration.as_secs_f64()
                ),
            );
            reporter.json(&json!({
                "reason": "bundle-finished",
                "success": true,
                "bundle": display_path(&output.bundle_path),
                "vendor": manifest.vendor.id,
                "version": manifest.version,
                "products": manifest.products.len(),
                "tools": manifest.products.iter().map(|p| p.capabilities.tools.len()).sum::<usize>(),
                "wasmBytes": output.wasm_size,
                "bundleBytes": output.bundle_size,
                "durationMs": output.duration.as_millis() as u64,
            }));
            0
        }
        Err(error) => {
            report_build_error(&error, reporter);
            1
        }
    }
}

pub(crate) fn report_build_error(error: &BuildError, reporter: &Reporter) {
    reporter.error(error.to_string());
    let problems = match error {
        BuildError::InvalidManifest { problems, .. } => problems.as_slice(),
        _ => &[],
    };
    for problem in problems {
        reporter.error(format!(
            "[{}] {}: {}\n  = fix: {}",
            problem.code, problem.path, problem.message, problem.fix
        ));
    }
    reporter.json(&json!({
        "reason": "bundle-finished",
        "success": false,
        "error": error.to_string(),
        "problems": problems,
    }));
}
