//! `sdk-authoring integrations inspect`.

use std::path::PathBuf;

use clap::Args;

use crate::build::human_size;
use crate::inspect::{default_runtime, inspect_bundle};
use crate::report::Reporter;

/// Summarize a bundle and verify it: SHA-256s, SBOM, manifest validity, and that the wasm's
/// manifest equals manifest.json. Unsafe archives (absolute paths, `..`, links, devices,
/// duplicates, oversized members, trailing data) are refused.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    sdk-authoring integrations inspect dist/hello-world-1.0.0.bundle.tar.gz\n  \
    sdk-authoring integrations inspect dist/acme-2.1.0.bundle.tar.gz --json")]
pub struct InspectArgs {
    /// The bundle (.bundle.tar.gz) to inspect.
    pub bundle: PathBuf,
    /// Print the summary as one JSON document.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &InspectArgs, reporter: &Reporter) -> i32 {
    let inspected = default_runtime()
        .map_err(|error| error.to_string())
        .and_then(|runtime| {
            inspect_bundle(&args.bundle, &runtime).map_err(|error| error.to_string())
        });
    let inspection = match inspected {
        Ok((inspection, _)) => inspection,
        Err(error) => {
            reporter.error(&error);
            if args.json {
                println!(
                    "{}",
                    serde_json::json!({ "success": false, "error": error })
                );
            }
            return 1;
        }
    };
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&inspection).unwrap_or_default()
        );
        return 0;
    }
    let tools: usize = inspection.products.iter().map(|p| p.tools.len()).sum();
    println!(
        "{} {}  ({}, {})",
        inspection.vendor,
        inspection.version,
        inspection.bundle,
        human_size(inspection.bundle_bytes)
    );
    println!("  products    {}, {tools} tools", inspection.products.len());
    for product in &inspection.products {
        println!("    {}", product.id);
        for tool in &product.tools {
            println!("      {tool}");
        }
    }
    println!("  files");
    for file in &inspection.files {
        println!(
            "    {:<24} {:>10}  sha256:{}",
            file.path,
            human_size(file.bytes as u64),
            file.sha256
        );
    }
    println!(
        "  components  {} crates in the wasm, {} build-time only",
        inspection.components, inspection.build_time_components
    );
    let licenses: Vec<String> = inspection
        .licenses
        .iter()
        .map(|(l, n)| format!("{l} ({n})"))
        .collect();
    println!("  licenses    {}", licenses.join(", "));
    for check in &inspection.verified {
        println!("  verified    {check}");
    }
    0
}
