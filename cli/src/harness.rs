//! `integrations test`: a vendor's test cases, run against its built bundle.
//!
//! Cases live in the vendor crate as `tests/cases/<action>/<name>.json`: the input, the
//! credential and secrets the platform would inject, the recorded HTTP exchanges, and the
//! expected response. At the sandbox level every request must match a recorded exchange
//! (behind the vendor's allow-list), the output must match the tool's output schema, and the
//! response must equal the expected one.
//!
//! Start at [`load_cases`] and [`run_case`]; [`LiveRun`] runs cases with real HTTP.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Deserialize;
use serde_json::{Map, Value};

use sdk_authoring::{Auth, Credential, Execution, Manifest};
use sdk_authoring_runtime::guard::JsonLines;
use sdk_authoring_runtime::secrets::SecretManager;
use sdk_authoring_runtime::{
    AllowList, CallContext, CallGuard, ContextPayload, Exchange, GuardConfig, Live, Recorder,
    Replay, Sandbox, allowed_hosts,
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

/// Reads every `<cases_dir>/<action>/<name>.json` (normally the crate's `tests/cases`),
/// sorted by name, and checks each against the manifest (tool exists, credential kind,
/// required secrets).
pub fn load_cases(
    cases_dir: &Path,
    manifest: &Manifest,
    sandbox: &Sandbox,
) -> Result<Vec<TestCase>, Vec<CaseError>> {
    let root = cases_dir;
    let mut paths = Vec::new();
    for action in std::fs::read_dir(root).into_iter().flatten().flatten() {
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

/// The context a case's call gets: the case's values, with `config` overriding its
/// profile config.
pub fn case_context(case: &TestCase, config: &Map<String, Value>) -> ContextPayload {
    let file = &case.file;
    let mut profile_config = file.profile_config.clone();
    if !config.is_empty() {
        let merged = profile_config.get_or_insert_with(Map::new);
        merged.extend(config.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    ContextPayload {
        auth: file.auth.clone(),
        execution: file.execution.clone().unwrap_or_else(|| Execution {
            execution_id: format!("test-{}", case.name.replace('/', "-")),
            org_id: "org_test".into(),
            ..Execution::default()
        }),
        secrets: file.secrets.clone(),
        profile_config,
    }
}

/// Runs one case in the sandbox: recorded HTTP only, behind the vendor's allow-list.
pub fn run_case(sandbox: &Sandbox, case: &TestCase, config: &Map<String, Value>) -> CaseResult {
    let file = &case.file;
    let context = case_context(case, config);
    let replay = Arc::new(AllowList {
        hosts: allowed_hosts(sandbox.manifest(), context.profile_config.as_ref()),
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

pub fn compare(
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

/// Where live credentials and secrets come from: never the case file (its values are sandbox
/// fakes), always a secret provider.
pub struct LiveSecrets<'a> {
    pub manager: &'a sdk_authoring_runtime::secrets::SecretManager,
    pub org_id: &'a str,
}

/// The secret-store key of the credential field a live call needs.
fn credential_key(auth: &Auth) -> Vec<&'static str> {
    match auth {
        Auth::OAuth { .. } => vec!["auth.accessToken"],
        Auth::ApiKey { .. } => vec!["auth.apiKey"],
        Auth::BasicAuth { .. } => vec!["auth.username", "auth.password"],
        Auth::BotToken { .. } => vec!["auth.botToken"],
        Auth::None => vec![],
    }
}

impl LiveSecrets<'_> {
    fn lookup(&self, vendor_id: &str, key: &str) -> Result<Option<String>, String> {
        let secret_key =
            sdk_authoring_runtime::secrets::SecretKey::new(self.org_id, vendor_id, key);
        self.manager
            .get(&secret_key)
            .map(|found| found.map(|(value, _)| value))
            .map_err(|e| e.to_string())
    }

    /// The case's context with real credentials and secrets from the providers.
    pub fn context(
        &self,
        case: &TestCase,
        config: &Map<String, Value>,
        manifest: &Manifest,
    ) -> Result<ContextPayload, String> {
        let vendor_id = &manifest.vendor.id;
        let mut context = case_context(case, config);
        context.secrets.clear();
        let mut values = Vec::new();
        for key in credential_key(&context.auth) {
            let secret_key =
                sdk_authoring_runtime::secrets::SecretKey::new(self.org_id, vendor_id, key);
            let value = self.lookup(vendor_id, key)?.ok_or_else(|| {
                format!(
                    "{key}: no live value for {secret_key}; set {} or run `sdk-authoring integrations secrets set --vendor {vendor_id} {key}`",
                    secret_key.env_var()
                )
            })?;
            values.push(value);
        }
        let mut values = values.into_iter();
        context.auth = match context.auth {
            Auth::OAuth { .. } => Auth::OAuth {
                access_token: values.next().unwrap_or_default(),
                refresh_token: None,
                token_type: None,
                expires_at: None,
            },
            Auth::ApiKey { .. } => Auth::ApiKey {
                api_key: values.next().unwrap_or_default(),
            },
            Auth::BasicAuth { .. } => Auth::BasicAuth {
                username: values.next().unwrap_or_default(),
                password: values.next().unwrap_or_default(),
            },
            Auth::BotToken { .. } => Auth::BotToken {
                bot_token: values.next().unwrap_or_default(),
            },
            Auth::None => Auth::None,
        };
        for secret in &manifest.vendor.secrets {
            if let Some(value) = self.lookup(vendor_id, &secret.key)? {
                context.secrets.insert(secret.key.clone(), value);
            }
        }
        Ok(context)
    }
}

/// What a live case exchanged, written back into its file: the recorded `http`, the
/// `profileConfig` it ran with, and the response as the new expectation. The case's `auth`
/// and `secrets` (sandbox fakes) are kept; no live value is written.
pub fn record_case(
    case: &TestCase,
    context: &ContextPayload,
    exchanges: Vec<Exchange>,
    response: &sdk_authoring::ToolResponse<Value>,
) -> Result<(), String> {
    let text =
        std::fs::read_to_string(&case.path).map_err(|e| format!("{}: {e}", case.path.display()))?;
    let mut file: Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", case.path.display()))?;
    let object = file
        .as_object_mut()
        .ok_or_else(|| format!("{}: not a JSON object", case.path.display()))?;
    if let Some(config) = &context.profile_config {
        object.insert("profileConfig".into(), Value::Object(config.clone()));
    }
    object.insert(
        "http".into(),
        serde_json::to_value(exchanges).map_err(|e| e.to_string())?,
    );
    let mut expect = Map::new();
    expect.insert("success".into(), response.success.into());
    if response.success {
        expect.insert("output".into(), response.output.clone());
    } else if let Some(error) = &response.error {
        expect.insert("error".into(), error.clone().into());
    }
    object.insert("expect".into(), Value::Object(expect));
    let mut bytes = serde_json::to_vec_pretty(&file).map_err(|e| e.to_string())?;
    bytes.push(b'\n');
    let dir = case.path.parent().unwrap_or(Path::new("."));
    let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(|e| e.to_string())?;
    std::io::Write::write_all(&mut temp, &bytes).map_err(|e| e.to_string())?;
    temp.persist(&case.path)
        .map_err(|e| format!("{}: {}", case.path.display(), e.error))?;
    Ok(())
}

/// What a live run shares across cases: secret providers, the call guard, telemetry.
pub struct LiveRun {
    secrets: SecretManager,
    org: String,
    guard: CallGuard,
}

impl LiveRun {
    /// Secrets from the environment and the local store; telemetry appended to `telemetry`.
    pub fn new(org: &str, telemetry: Option<&Path>) -> Result<LiveRun, String> {
        let mut guard = CallGuard::new(GuardConfig::default());
        if let Some(path) = telemetry {
            let file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .map_err(|e| format!("--telemetry {}: {e}", path.display()))?;
            guard = guard.with_telemetry(Arc::new(JsonLines(Mutex::new(file))));
        }
        Ok(LiveRun {
            secrets: SecretManager::standard(),
            org: org.to_owned(),
            guard,
        })
    }

    /// Real HTTP: success and the output schema are checked, not the exact output (live data
    /// changes); with `record` the case file is rewritten from what happened.
    pub fn run_case(
        &self,
        sandbox: &Sandbox,
        case: &TestCase,
        config: &Map<String, Value>,
        record: bool,
    ) -> CaseResult {
        let manifest = sandbox.manifest();
        let secrets = LiveSecrets {
            manager: &self.secrets,
            org_id: &self.org,
        };
        let context = match secrets.context(case, config, manifest) {
            Ok(context) => context,
            Err(message) => {
                return CaseResult {
                    passed: false,
                    failure: Some(message),
                    duration: Duration::ZERO,
                    logs: Vec::new(),
                };
            }
        };
        let hosts = allowed_hosts(manifest, context.profile_config.as_ref());
        let live = Live::new(hosts, Duration::from_secs(30), 8 << 20);
        let recorder = Arc::new(Recorder::new(live, context.sensitive_values()));
        let call = CallContext {
            http: recorder.clone(),
            redact: Vec::new(),
        };
        let guarded = self
            .guard
            .call(sandbox, &case.tool_id, &case.file.input, &context, &call);
        let invocation = guarded.invocation;
        let logs = invocation
            .logs
            .iter()
            .map(|l| format!("[{}] {}", l.level, l.message))
            .collect();
        let mut expect = case.file.expect.clone();
        expect.output = None;
        let failure = match &invocation.outcome {
            Err(error) => Some(format!("the call failed: {error}")),
            Ok(response) if record => {
                record_case(case, &context, recorder.exchanges(), response).err()
            }
            Ok(response) => compare(&expect, response, 0),
        };
        CaseResult {
            passed: failure.is_none(),
            failure,
            duration: invocation.duration,
            logs,
        }
    }
}
