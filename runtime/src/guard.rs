//! The call guard, telemetry and health check of the contractspec runtime contract:
//! fail fast when a required credential or secret is missing, retry with backoff only what
//! the tool marked retryable (default 3 attempts, 250 ms doubling), emit one telemetry event
//! per guarded call (tool, duration, attempts, outcome), and report health as a structured
//! result rather than an error.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::Value;

use sdk_authoring::{Auth, Credential};

use crate::sandbox::{ContextPayload, Sandbox};
use crate::{CallContext, Invocation, RuntimeError};

/// Retry policy.
#[derive(Clone, Copy, Debug)]
pub struct GuardConfig {
    pub attempts: u32,
    /// Wait before the second attempt; doubled before each further one.
    pub backoff: Duration,
}

impl Default for GuardConfig {
    fn default() -> GuardConfig {
        GuardConfig {
            attempts: 3,
            backoff: Duration::from_millis(250),
        }
    }
}

/// One guarded call, as a JSON line.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TelemetryEvent {
    pub tool: String,
    pub duration_ms: f64,
    pub attempts: u32,
    /// `success`, `failure` (the tool reported an error), `error` (it could not run), or
    /// `rejected` (failed fast before running).
    pub outcome: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Where telemetry events go.
pub trait TelemetrySink: Send + Sync {
    fn emit(&self, event: &TelemetryEvent);
}

/// Writes each event as one JSON line.
pub struct JsonLines<W: Write + Send>(pub Mutex<W>);

impl<W: Write + Send> TelemetrySink for JsonLines<W> {
    fn emit(&self, event: &TelemetryEvent) {
        if let (Ok(mut out), Ok(line)) = (self.0.lock(), serde_json::to_string(event)) {
            let _ = writeln!(out, "{line}");
        }
    }
}

/// Keeps events in memory (for tests and embedding).
#[derive(Default)]
pub struct CollectedEvents(pub Mutex<Vec<TelemetryEvent>>);

impl TelemetrySink for CollectedEvents {
    fn emit(&self, event: &TelemetryEvent) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(event.clone());
    }
}

/// Guards calls into one sandbox.
pub struct CallGuard {
    pub config: GuardConfig,
    pub telemetry: Option<Arc<dyn TelemetrySink>>,
}

/// A guarded call's result.
#[derive(Debug)]
pub struct GuardedCall {
    /// The last attempt (or the fail-fast rejection).
    pub invocation: Invocation,
    pub attempts: u32,
}

impl CallGuard {
    pub fn new(config: GuardConfig) -> CallGuard {
        CallGuard {
            config,
            telemetry: None,
        }
    }

    pub fn with_telemetry(mut self, sink: Arc<dyn TelemetrySink>) -> CallGuard {
        self.telemetry = Some(sink);
        self
    }

    /// Calls `tool_id`, failing fast on a missing credential or secret and retrying
    /// retryable failures.
    pub fn call(
        &self,
        sandbox: &Sandbox,
        tool_id: &str,
        input: &Value,
        context: &ContextPayload,
        http: &CallContext,
    ) -> GuardedCall {
        let started = Instant::now();
        if let Some(missing) = missing_requirement(sandbox, tool_id, context) {
            let invocation = Invocation {
                outcome: Err(missing),
                logs: Vec::new(),
                http_requests: 0,
                duration: started.elapsed(),
                fuel_consumed: None,
            };
            self.emit(tool_id, started, 0, &invocation);
            return GuardedCall {
                invocation,
                attempts: 0,
            };
        }
        let mut attempts = 0;
        let mut backoff = self.config.backoff;
        loop {
            attempts += 1;
            let invocation = sandbox.call(tool_id, input, context, http);
            let retryable = matches!(&invocation.outcome, Ok(response) if !response.success && response.retryable);
            if !retryable || attempts >= self.config.attempts.max(1) {
                self.emit(tool_id, started, attempts, &invocation);
                return GuardedCall {
                    invocation,
                    attempts,
                };
            }
            std::thread::sleep(backoff);
            backoff *= 2;
        }
    }

    fn emit(&self, tool_id: &str, started: Instant, attempts: u32, invocation: &Invocation) {
        let Some(sink) = &self.telemetry else { return };
        let (outcome, error) = match &invocation.outcome {
            Ok(response) if response.success => ("success", None),
            Ok(response) => ("failure", response.error.clone()),
            Err(error @ (RuntimeError::MissingCredential(_) | RuntimeError::MissingSecret(_))) => {
                ("rejected", Some(error.to_string()))
            }
            Err(error) => ("error", Some(error.to_string())),
        };
        sink.emit(&TelemetryEvent {
            tool: tool_id.to_owned(),
            duration_ms: started.elapsed().as_secs_f64() * 1000.0,
            attempts,
            outcome,
            error,
        });
    }
}

/// The credential or required secret a call lacks, if any.
fn missing_requirement(
    sandbox: &Sandbox,
    tool_id: &str,
    context: &ContextPayload,
) -> Option<RuntimeError> {
    let manifest = sandbox.manifest();
    let product = manifest
        .products
        .iter()
        .find(|p| p.capabilities.tools.iter().any(|t| t.id == tool_id))?;
    let key = product
        .credential_ref
        .as_ref()
        .unwrap_or(&manifest.auth.default);
    if let Some(credential) = manifest.auth.credentials.get(key)
        && !matches!(credential, Credential::None)
    {
        let present = match &context.auth {
            Auth::None => false,
            Auth::OAuth { access_token, .. } => !access_token.is_empty(),
            Auth::ApiKey { api_key } => !api_key.is_empty(),
            Auth::BasicAuth { username, .. } => !username.is_empty(),
            Auth::BotToken { bot_token } => !bot_token.is_empty(),
        };
        if !present || credential.kind() != context.auth.kind() {
            return Some(RuntimeError::MissingCredential(format!(
                "{tool_id} needs the {key:?} credential (type {}), the call has {}",
                credential.kind(),
                if present { context.auth.kind() } else { "none" }
            )));
        }
    }
    let missing: Vec<&str> = manifest
        .vendor
        .secrets
        .iter()
        .filter(|s| s.required && !context.secrets.contains_key(&s.key))
        .map(|s| s.key.as_str())
        .collect();
    (!missing.is_empty()).then(|| RuntimeError::MissingSecret(missing.join(", ")))
}

/// The structured result of a health check.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HealthReport {
    pub healthy: bool,
    pub vendor: String,
    pub checks: Vec<HealthCheck>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HealthCheck {
    pub name: &'static str,
    pub ok: bool,
    pub detail: String,
    pub duration_ms: f64,
}

/// Checks that the vendor instantiates and answers `manifest()` in a fresh sandbox and that
/// its manifest is the one loaded. Never fails: problems are in the report.
pub fn health_check(sandbox: &Sandbox) -> HealthReport {
    let started = Instant::now();
    let runtime = sandbox.runtime();
    let result = runtime.extract_manifest(sandbox.vendor());
    let (ok, detail) = match &result {
        Ok(extracted) if extracted.manifest.vendor.id == sandbox.manifest().vendor.id => {
            (true, "manifest() answers".to_owned())
        }
        Ok(extracted) => (
            false,
            format!("manifest() names vendor {:?}", extracted.manifest.vendor.id),
        ),
        Err(error) => (false, error.to_string()),
    };
    let checks = vec![HealthCheck {
        name: "instantiate",
        ok,
        detail,
        duration_ms: started.elapsed().as_secs_f64() * 1000.0,
    }];
    HealthReport {
        healthy: checks.iter().all(|c| c.ok),
        vendor: sandbox.manifest().vendor.id.clone(),
        checks,
    }
}
