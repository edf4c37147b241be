//! `sdk-authoring integrations test`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use serde_json::{Map, Value, json};

use sdk_authoring_runtime::Sandbox;

use crate::build::{BuildOptions, build_bundle};
use crate::harness::{LiveRun, load_cases, run_case};
use crate::inspect::{default_runtime, inspect_bundle};
use crate::report::{Reporter, shown_path};

/// How far `test` goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Level {
    /// Build (or read --bundle), then validate the manifest, schemas, SBOM, metafile, layout
    /// and the case files, without running any tool.
    Static,
    /// Static checks, then every case in the sandbox: recorded HTTP only, output checked
    /// against the tool's output schema and the expected response.
    Sandbox,
    /// Static checks, then every case with real HTTP to the hosts the vendor may reach,
    /// credentials and secrets from the environment or the local secret store.
    Live,
}

/// Validate a vendor's bundle and run its test cases (tests/cases/<action>/<name>.json).
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    sdk-authoring integrations test\n  \
    sdk-authoring integrations test --entry examples/acme --tool list-contacts\n  \
    sdk-authoring integrations test --level static --bundle dist/acme-2.1.0.bundle.tar.gz --entry examples/acme")]
pub struct TestArgs {
    #[arg(long, value_enum, default_value_t = Level::Sandbox)]
    pub level: Level,
    /// Only the cases of this tool (short or full id).
    #[arg(long)]
    pub tool: Option<String>,
    /// Test this bundle instead of building the crate (cases still come from --entry).
    #[arg(long)]
    pub bundle: Option<PathBuf>,
    /// The vendor crate: its directory or its Cargo.toml.
    #[arg(long, default_value = ".")]
    pub entry: PathBuf,
    /// Where the case files are (default: <entry>/tests/cases).
    #[arg(long)]
    pub cases: Option<PathBuf>,
    /// A profile config value for every case, KEY=VALUE (repeatable), e.g. baseUrl=https://staging.acme.example.
    #[arg(long = "config", value_name = "KEY=VALUE")]
    pub config: Vec<String>,
    /// With --level live: write each case's exchanges and response back into its file
    /// (credentials and secrets left out).
    #[arg(long)]
    pub record: bool,
    /// The organization whose secrets a live run uses.
    #[arg(long, default_value = "local")]
    pub org: String,
    /// Append one telemetry event (tool, duration, attempts, outcome) per live call to this file.
    #[arg(long)]
    pub telemetry: Option<PathBuf>,
}

fn parse_config(pairs: &[String]) -> Result<Map<String, Value>, String> {
    pairs
        .iter()
        .map(|pair| {
            let (key, value) = pair
                .split_once('=')
                .ok_or_else(|| format!("--config {pair}: write KEY=VALUE"))?;
            Ok((key.to_owned(), Value::String(value.to_owned())))
        })
        .collect()
}

pub fn run(args: &TestArgs, reporter: &Reporter) -> i32 {
    if args.record && args.level != Level::Live {
        reporter.error("--record records live exchanges: use it with --level live");
        return 2;
    }
    let config = match parse_config(&args.config) {
        Ok(config) => config,
        Err(message) => {
            reporter.error(message);
            return 2;
        }
    };
    let crate_dir = if args.entry.file_name().is_some_and(|n| n == "Cargo.toml") {
        args.entry.parent().map(PathBuf::from).unwrap_or_default()
    } else {
        args.entry.clone()
    };
    let temp = match tempfile::tempdir() {
        Ok(temp) => temp,
        Err(error) => {
            reporter.error(format!("could not create a temporary directory: {error}"));
            return 1;
        }
    };
    let bundle = match &args.bundle {
        Some(bundle) => bundle.clone(),
        None => match build_bundle(
            &BuildOptions {
                entry: args.entry.clone(),
                out_dir: temp.path().to_path_buf(),
            },
            reporter,
        ) {
            Ok(output) => output.bundle_path,
            Err(error) => {
                crate::commands::build::report_build_error(&error, reporter);
                return 1;
            }
        },
    };
    let runtime = match default_runtime() {
        Ok(runtime) => runtime,
        Err(error) => {
            reporter.error(error.to_string());
            return 1;
        }
    };
    let (inspection, files) = match inspect_bundle(&bundle, &runtime) {
        Ok(inspected) => inspected,
        Err(error) => {
            reporter.error(error.to_string());
            return 1;
        }
    };
    reporter.status(
        "Checked",
        format!(
            "{} {}: {}",
            inspection.vendor,
            inspection.version,
            inspection.verified.join("; ")
        ),
    );
    let wasm = &files.files[&inspection.wasm.path];
    let sandbox = match Sandbox::new(runtime, wasm) {
        Ok(sandbox) => sandbox,
        Err(error) => {
            reporter.error(format!("{}: {error}", inspection.wasm.path));
            return 1;
        }
    };
    let manifest = sandbox.manifest().clone();
    let cases_dir = args
        .cases
        .clone()
        .unwrap_or_else(|| crate_dir.join("tests/cases"));
    let mut cases = match load_cases(&cases_dir, &manifest, &sandbox) {
        Ok(cases) => cases,
        Err(errors) => {
            for error in &errors {
                reporter.error(error.to_string());
            }
            return 1;
        }
    };
    if let Some(tool) = &args.tool {
        let Some(tool_id) = sandbox.resolve_tool_id(tool) else {
            reporter.error(format!(
                "--tool {tool}: no such tool in {}",
                inspection.vendor
            ));
            return 2;
        };
        cases.retain(|case| case.tool_id == tool_id);
    }
    if args.level == Level::Static {
        println!(
            "static checks passed; {} case file(s) are well-formed",
            cases.len()
        );
        return 0;
    }

    let live = match args.level {
        Level::Live => match LiveRun::new(&args.org, args.telemetry.as_deref()) {
            Ok(live) => Some(live),
            Err(message) => {
                reporter.error(message);
                return 1;
            }
        },
        _ => None,
    };
    println!(
        "\nrunning {} case{}",
        cases.len(),
        if cases.len() == 1 { "" } else { "s" }
    );
    let mut failures = Vec::new();
    for case in &cases {
        let result = match &live {
            Some(live) => live.run_case(&sandbox, case, &config, args.record),
            None => run_case(&sandbox, case, &config),
        };
        let status = if result.passed { "ok" } else { "FAILED" };
        println!(
            "case {} ... {status} ({:.1} ms)",
            case.name,
            result.duration.as_secs_f64() * 1000.0
        );
        reporter.json(&json!({
            "reason": "case",
            "name": case.name,
            "tool": case.tool_id,
            "passed": result.passed,
            "durationMs": result.duration.as_secs_f64() * 1000.0,
            "failure": result.failure,
        }));
        if !result.passed {
            failures.push((case, result));
        }
    }
    if !failures.is_empty() {
        println!("\nfailures:");
        for (case, result) in &failures {
            println!(
                "\n---- {} ({}) ----",
                case.name,
                shown_path(&case.path).display()
            );
            println!("{}", result.failure.as_deref().unwrap_or_default());
            if !result.logs.is_empty() {
                println!("logs:\n  {}", result.logs.join("\n  "));
            }
        }
    }
    let passed = cases.len() - failures.len();
    println!("\n{passed} passed, {} failed", failures.len());
    i32::from(!failures.is_empty())
}
