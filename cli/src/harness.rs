//! `integrations test`: a vendor's test cases, run against its built bundle.
//!
//! Cases live in the vendor crate as `tests/cases/<action>/<name>.json`: the input, the
//! credential and secrets the platform would inject, the recorded HTTP exchanges, and the
//! expected response. At the sandbox level every request must match a recorded exchange
//! (behind the vendor's allow-list), the output must match the tool's output schema, and the
//! response must equal the expected one.
//!
//! Start at [`load_cases`] and [`run_case`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;
use serde_json::{Map, Value};

use sdk_authoring::{Auth, Credential, Execution, Manifest};
use sdk_authoring_runtime::{
    AllowList, CallContext, ContextPayload, Exchange, Replay, Sandbox, allowed_hosts,
};

/// One test case file.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CaseFile {
    #[serde(default)]
    pub description: Option<String>,
    /// The tool (short or full id); defaults to the case's directory name.
    #[serde(default)]
    pub tool: Option<String>,
    pub input: Value,
    #[serde(default)]
    pub auth: Auth,
    #[serde(default)]
    pub secrets: BTreeMap<String, String>,
    #[serde(default)]
    pub profile_config: Option<Map<String, Value>>,
    #[serde(default)]
    pub execution: Option<Execution>,
    /// Recorded exchanges, answered in order of first match.
    #[serde(default)]
    pub http: Vec<Exchange>,
    pub expect: Expectation,
}

/// The expected response.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    pub success: bool,
    /// The whole expected output, when given.
    #[serde(default)]
    pub output: Option<Value>,
    /// A substring of the expected error message, when given.
    #[serde(default)]
    pub error: Option<String>,
    /// Whether the failure is retryable (the call guard retries only those), when given.
    #[serde(default)]
    pub retryable: Option<bool>,
}

/// A case ready to run.
#[derive(Clone, Debug)]
pub struct TestCase {
    /// `<action>/<name>`.
    pub name: String,
    pub path: PathBuf,
    pub tool_id: String,
    pub file: CaseFile,
}

/// A case file that cannot be used, with the field and the fix.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct CaseError {
    pub path: PathBuf,
    pub message: String,
}

/// Reads every `tests/cases/<action>/<name>.json` of the crate, sorted by name, and checks
/// each against the manifest (tool exists, credential kind, required secrets).
pub fn load_cases(
    crate_dir: &Path,
    manifest: &Manifest,
    sandbox: &Sandbox,
) -> Result<Vec<TestCase>, Vec<CaseError>> {
    let root = crate_dir.join("tests/cases");
    let mut paths = Vec::new();
    for action in std::fs::read_dir(&root).into_iter().flatten().flatten() {
        if action.path().is_dir() {
            for file in std::fs::read_dir(action.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                if file.path().extension().is_some_and(|e| e == "json") {
                    paths.push(file.path());
                }
            }
        }
    }
    paths.sort();
    let mut cases = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        match load_case(&path, manifest, sandbox) {
            Ok(case) => cases.push(case),
            Err(error) => errors.push(error),
        }
    }
    if errors.is_empty() {
        Ok(cases)
    } else {
        Err(errors)
    }
}

fn load_case(path: &Path, manifest: &Manifest, sandbox: &Sandbox) -> Result<TestCase, CaseError> {
    let shown = crate::report::shown_path(path);
    let fail = |message: String| CaseError {
        path: shown.clone(),
        message,
    };
    let text = std::fs::read_to_string(path).map_err(|e| fail(e.to_string()))?;
    let file: CaseFile = serde_json::from_str(&text)
        .map_err(|error| fail(format!("{error}; see the case format in the README")))?;
    let action = path
        .parent()
        .and_then(Path::file_name)
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = format!(
        "{action}/{}",
        path.file_stem()
            .map(|s| s.to_string_lossy())
            .unwrap_or_default()
    );
    let wanted = file.tool.clone().unwrap_or(action);
    let tool_id = sandbox.resolve_tool_id(&wanted).ok_or_else(|| {
        let tools: Vec<String> = manifest.products.iter().flat_map(|p| &p.capabilities.tools).map(|t| t.id.clone()).collect();
        fail(format!("tool: no tool {wanted:?} in this vendor; name the case directory (or \"tool\") after one of: {}", tools.join(", ")))
    })?;

    let product = manifest
        .products
        .iter()
        .find(|p| p.capabilities.tools.iter().any(|t| t.id == tool_id));
    let credential_key = product
        .and_then(|p| p.credential_ref.clone())
        .unwrap_or_else(|| manifest.auth.default.clone());
    if let Some(credential) = manifest.auth.credentials.get(&credential_key)
        && !matches!(credential, Credential::None)
        && credential.kind() != file.auth.kind()
    {
        return Err(fail(format!(
            "auth.kind: {:?} is not the credential this tool uses; it uses {credential_key:?} (type {:?}), e.g. \"auth\": {}",
            file.auth.kind(),
            credential.kind(),
            auth_example(credential.kind())
        )));
    }
    for secret in manifest.vendor.secrets.iter().filter(|s| s.required) {
        if !file.secrets.contains_key(&secret.key) {
            return Err(fail(format!(
                "secrets.{}: the vendor requires this secret and the platform would refuse to call without it; add \"secrets\": {{ \"{}\": \"test-value\" }}",
                secret.key, secret.key
            )));
        }
    }
    Ok(TestCase {
        name,
        path: shown,
        tool_id,
        file,
    })
}

fn auth_example(kind: &str) -> &'static str {
    match kind {
        "apiKey" => r#"{ "kind": "apiKey", "apiKey": "test-key" }"#,
        "oauth" => r#"{ "kind": "oauth", "accessToken": "test-token" }"#,
        "basicAuth" => r#"{ "kind": "basicAuth", "username": "u", "password": "p" }"#,
        "botToken" => r#"{ "kind": "botToken", "botToken": "test-token" }"#,
        _ => r#"{ "kind": "none" }"#,
    }
}

/// How a case ended.
#[derive(Debug)]
pub struct CaseResult {
    pub passed: bool,
    /// Why it failed: what was expected and what happened.
    pub failure: Option<String>,
    pub duration: Duration,
    pub logs: Vec<String>,
}

/// Runs one case in the sandbox: recorded HTTP only, behind the vendor's allow-list.
pub fn run_case(sandbox: &Sandbox, case: &TestCase) -> CaseResult {
    let file = &case.file;
    let context = ContextPayload {
        auth: file.auth.clone(),
        execution: file.execution.clone().unwrap_or_else(|| Execution {
            execution_id: format!("test-{}", case.name.replace('/', "-")),
            org_id: "org_test".into(),
            ..Execution::default()
        }),
        secrets: file.secrets.clone(),
        profile_config: file.profile_config.clone(),
    };
    let replay = Arc::new(AllowList {
        hosts: allowed_hosts(sandbox.manifest(), file.profile_config.as_ref()),
        inner: Replay::new(file.http.clone()),
    });
    let call = CallContext {
        http: replay.clone(),
        redact: Vec::new(),
    };
    let invocation = sandbox.call(&case.tool_id, &file.input, &context, &call);
    let logs = invocation
        .logs
        .iter()
        .map(|l| format!("[{}] {}", l.level, l.message))
        .collect();
    let failure = match &invocation.outcome {
        Err(error) => Some(format!("the call failed: {error}")),
        Ok(response) => compare(&file.expect, response, replay.inner.unused().len()),
    };
    CaseResult {
        passed: failure.is_none(),
        failure,
        duration: invocation.duration,
        logs,
    }
}

fn compare(
    expect: &Expectation,
    response: &sdk_authoring::ToolResponse<Value>,
    unused_exchanges: usize,
) -> Option<String> {
    if response.success != expect.success {
        return Some(format!(
            "expected success: {}, got success: {}{}",
            expect.success,
            response.success,
            response
                .error
                .as_ref()
                .map(|e| format!(" with error: {e}"))
                .unwrap_or_default()
        ));
    }
    if let Some(output) = &expect.output
        && output != &response.output
    {
        return Some(format!(
            "the output differs\n  expected: {}\n  actual:   {}",
            serde_json::to_string(output).unwrap_or_default(),
            serde_json::to_string(&response.output).unwrap_or_default()
        ));
    }
    if let Some(fragment) = &expect.error {
        let error = response.error.as_deref().unwrap_or_default();
        if !error.contains(fragment.as_str()) {
            return Some(format!(
                "expected an error containing {fragment:?}, got {error:?}"
            ));
        }
    }
    if let Some(retryable) = expect.retryable
        && retryable != response.retryable
    {
        return Some(format!(
            "expected retryable: {retryable}, got retryable: {}",
            response.retryable
        ));
    }
    if unused_exchanges > 0 && expect.success {
        return Some(format!(
            "{unused_exchanges} recorded exchange(s) were never requested; remove them or fix the tool"
        ));
    }
    None
}
