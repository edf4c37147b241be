//! `sdk-authoring integrations run`.

use std::path::PathBuf;

use clap::Args;
use serde_json::Value;

use sdk_authoring::{Auth, Execution};
use sdk_authoring_runtime::{CallContext, ContextPayload, Sandbox};

use crate::build::{BuildOptions, build_bundle};
use crate::inspect::{default_runtime, read_bundle};
use crate::report::Reporter;

/// Invoke one tool of a bundle (or of a vendor crate, built first) and print its ToolResponse.
/// The sandbox allows no network.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    sdk-authoring integrations run dist/hello-world-1.0.0.bundle.tar.gz --tool say-hello --input '{\"name\":\"Ada\"}'\n  \
    sdk-authoring integrations run examples/acme --tool verify-webhook --input @payload.json \\\n      --auth '{\"kind\":\"apiKey\",\"apiKey\":\"k\"}' --secret WEBHOOK_SIGNING_SECRET=s3cret")]
pub struct RunArgs {
    /// A bundle (.bundle.tar.gz) or a vendor crate directory.
    pub target: PathBuf,
    /// The tool: short (`say-hello`) or full (`hello-world:hello-world:say-hello`) id.
    #[arg(long)]
    pub tool: String,
    /// The input as JSON, or @file to read it from a file.
    #[arg(long, default_value = "{}")]
    pub input: String,
    /// The credential as JSON, e.g. {"kind":"apiKey","apiKey":"..."}.
    #[arg(long)]
    pub auth: Option<String>,
    /// A secret, KEY=VALUE (repeatable).
    #[arg(long = "secret")]
    pub secrets: Vec<String>,
}

fn json_argument(name: &str, text: &str) -> Result<Value, String> {
    let text = match text.strip_prefix('@') {
        Some(path) => {
            std::fs::read_to_string(path).map_err(|e| format!("--{name} @{path}: {e}"))?
        }
        None => text.to_owned(),
    };
    serde_json::from_str(&text).map_err(|e| format!("--{name}: not JSON ({e})"))
}

pub fn run(args: &RunArgs, reporter: &Reporter) -> i32 {
    match invoke(args, reporter) {
        Ok(code) => code,
        Err(message) => {
            reporter.error(message);
            1
        }
    }
}

fn invoke(args: &RunArgs, reporter: &Reporter) -> Result<i32, String> {
    let input = json_argument("input", &args.input)?;
    let auth: Auth = match &args.auth {
        Some(text) => serde_json::from_value(json_argument("auth", text)?)
            .map_err(|e| format!("--auth: {e}"))?,
        None => Auth::None,
    };
    let mut secrets = std::collections::BTreeMap::new();
    for pair in &args.secrets {
        let (key, value) = pair
            .split_once('=')
            .ok_or_else(|| format!("--secret {pair}: write KEY=VALUE"))?;
        secrets.insert(key.to_owned(), value.to_owned());
    }
    let temp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let bundle = if args.target.is_dir() {
        let options = BuildOptions {
            entry: args.target.clone(),
            out_dir: temp.path().to_path_buf(),
        };
        build_bundle(&options, reporter)
            .map_err(|e| e.to_string())?
            .bundle_path
    } else {
        args.target.clone()
    };
    let files = read_bundle(&bundle).map_err(|e| e.to_string())?;
    let wasm = files
        .files
        .iter()
        .find(|(path, _)| path.starts_with("dist/") && path.ends_with(".wasm"))
        .map(|(_, bytes)| bytes)
        .ok_or_else(|| format!("{}: the bundle has no dist/*.wasm", bundle.display()))?;
    let runtime = default_runtime().map_err(|e| e.to_string())?;
    let sandbox = Sandbox::new(runtime, wasm).map_err(|e| e.to_string())?;
    let tool_id = sandbox.resolve_tool_id(&args.tool).ok_or_else(|| {
        format!(
            "--tool {}: no such tool (or an ambiguous short id) in this vendor",
            args.tool
        )
    })?;
    let context = ContextPayload {
        auth,
        execution: Execution {
            execution_id: "cli-run".into(),
            org_id: "org_local".into(),
            ..Execution::default()
        },
        secrets,
        profile_config: None,
    };
    let invocation = sandbox.call(&tool_id, &input, &context, &CallContext::default());
    for line in &invocation.logs {
        reporter.status("Log", format!("[{}] {}", line.level, line.message));
    }
    let response = invocation.outcome.map_err(|e| format!("{tool_id}: {e}"))?;
    println!(
        "{}",
        serde_json::to_string_pretty(&response).unwrap_or_default()
    );
    Ok(i32::from(!response.success))
}
