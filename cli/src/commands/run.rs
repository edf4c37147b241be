//! `sdk-authoring integrations run`.

use std::path::PathBuf;

use std::sync::Arc;
use std::time::Duration;

use clap::{Args, ValueEnum};
use serde_json::{Map, Value};

use sdk_authoring::{Auth, Execution};
use sdk_authoring_runtime::{
    CallContext, CallGuard, ContextPayload, GuardConfig, Live, Sandbox, allowed_hosts,
};

use crate::build::{BuildOptions, build_bundle};
use crate::inspect::{default_runtime, read_bundle};
use crate::report::Reporter;

/// What `run` does with the tool's HTTP requests.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum HttpMode {
    /// No network.
    Deny,
    /// Real HTTP to the hosts the vendor may reach.
    Live,
}

/// Invoke one tool of a bundle (or of a vendor crate, built first) and print its ToolResponse.
/// Calls go through the call guard: a missing credential or required secret fails fast,
/// retryable failures are retried (3 attempts, 250 ms backoff).
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
    /// A profile config value, KEY=VALUE (repeatable), e.g. baseUrl=https://eu.api.acme.example.
    #[arg(long = "config", value_name = "KEY=VALUE")]
    pub config: Vec<String>,
    /// The tool's HTTP: none, or live to the hosts the vendor may reach.
    #[arg(long, value_enum, default_value_t = HttpMode::Deny)]
    pub http: HttpMode,
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
    let mut config = Map::new();
    for pair in &args.config {
        let (key, value) = pair
            .split_once('=')
            .ok_or_else(|| format!("--config {pair}: write KEY=VALUE"))?;
        config.insert(key.to_owned(), Value::String(value.to_owned()));
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
        profile_config: (!config.is_empty()).then_some(config),
    };
    let call = match args.http {
        HttpMode::Deny => CallContext::default(),
        HttpMode::Live => {
            let hosts = allowed_hosts(sandbox.manifest(), context.profile_config.as_ref());
            CallContext {
                http: Arc::new(Live::new(hosts, Duration::from_secs(30), 8 << 20)),
                redact: Vec::new(),
            }
        }
    };
    let guarded =
        CallGuard::new(GuardConfig::default()).call(&sandbox, &tool_id, &input, &context, &call);
    if guarded.attempts > 1 {
        reporter.status(
            "Retried",
            format!("{tool_id}: {} attempts", guarded.attempts),
        );
    }
    let invocation = guarded.invocation;
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
