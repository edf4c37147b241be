//! What a tool's `execute` receives and returns: [`Context`] (the reference's `PureContext`)
//! and [`ToolResponse`].
//!
//! The host serializes the context (auth, execution ids, secrets, profile config) to JSON for
//! each invocation; the logger and the HTTP client are the guest's two ways out, both routed
//! through the host interface of the WIT contract.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::http::HttpClient;

/// The credential the platform resolved for this invocation, discriminated by `kind`.
///
/// Narrow it with [`require_api_key`], [`require_oauth_token`] and friends rather than
/// matching by hand: they return an error that tells the user what to fix.
#[derive(Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Auth {
    #[serde(rename = "oauth", rename_all = "camelCase")]
    OAuth {
        access_token: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        refresh_token: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        token_type: Option<String>,
        /// Expiry as Unix time in milliseconds.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        expires_at: Option<i64>,
    },
    #[serde(rename_all = "camelCase")]
    ApiKey {
        api_key: String,
    },
    BasicAuth {
        username: String,
        password: String,
    },
    #[serde(rename_all = "camelCase")]
    BotToken {
        bot_token: String,
    },
    #[default]
    None,
}

impl Auth {
    /// The `kind` tag, as in the manifest's credential `type`.
    pub fn kind(&self) -> &'static str {
        match self {
            Auth::OAuth { .. } => "oauth",
            Auth::ApiKey { .. } => "apiKey",
            Auth::BasicAuth { .. } => "basicAuth",
            Auth::BotToken { .. } => "botToken",
            Auth::None => "none",
        }
    }
}

// Credential values never reach a log line through `{:?}`.
impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Auth::{}(<redacted>)", self.kind())
    }
}

/// The credential was not of the kind the tool needs.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "this tool needs a `{expected}` credential but the connection provides `{actual}`; \
     connect the account with a {expected} credential or set the product's credentialRef \
     to a credential of type {expected}"
)]
pub struct CredentialKindError {
    pub expected: &'static str,
    pub actual: &'static str,
}

fn kind_error(expected: &'static str, auth: &Auth) -> CredentialKindError {
    CredentialKindError {
        expected,
        actual: auth.kind(),
    }
}

/// The OAuth access token.
pub fn require_oauth_token(auth: &Auth) -> Result<&str, CredentialKindError> {
    require_oauth(auth).map(|oauth| oauth.access_token)
}

/// The OAuth credential with its optional fields.
pub fn require_oauth(auth: &Auth) -> Result<OAuthToken<'_>, CredentialKindError> {
    match auth {
        Auth::OAuth {
            access_token,
            refresh_token,
            token_type,
            expires_at,
        } => Ok(OAuthToken {
            access_token,
            refresh_token: refresh_token.as_deref(),
            token_type: token_type.as_deref(),
            expires_at: *expires_at,
        }),
        other => Err(kind_error("oauth", other)),
    }
}

/// The API key.
pub fn require_api_key(auth: &Auth) -> Result<&str, CredentialKindError> {
    match auth {
        Auth::ApiKey { api_key } => Ok(api_key),
        other => Err(kind_error("apiKey", other)),
    }
}

/// Username and password.
pub fn require_basic_auth(auth: &Auth) -> Result<BasicAuth<'_>, CredentialKindError> {
    match auth {
        Auth::BasicAuth { username, password } => Ok(BasicAuth { username, password }),
        other => Err(kind_error("basicAuth", other)),
    }
}

/// The bot token.
pub fn require_bot_token(auth: &Auth) -> Result<&str, CredentialKindError> {
    match auth {
        Auth::BotToken { bot_token } => Ok(bot_token),
        other => Err(kind_error("botToken", other)),
    }
}

/// A borrowed OAuth credential, from [`require_oauth`].
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct OAuthToken<'a> {
    pub access_token: &'a str,
    pub refresh_token: Option<&'a str>,
    pub token_type: Option<&'a str>,
    pub expires_at: Option<i64>,
}

/// Borrowed basic-auth credentials, from [`require_basic_auth`].
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct BasicAuth<'a> {
    pub username: &'a str,
    pub password: &'a str,
}

/// Execution metadata for logging and correlation.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Execution {
    pub execution_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workflow_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_id: Option<String>,
    pub org_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
}

/// Log levels of [`Logger`], as in the WIT `log-level`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogLevel {
    Trace,
    Debug,
    Info,
    Warn,
    Error,
}

/// Where log lines go: the host in wasm, stderr (or a capture, in tests) natively.
pub trait LogSink: Send + Sync {
    fn log(&self, level: LogLevel, message: &str);
}

/// Structured logger; lines show up in the workflow execution log.
#[derive(Clone)]
pub struct Logger {
    sink: Arc<dyn LogSink>,
}

impl Logger {
    /// A logger writing to `sink`.
    pub fn new(sink: Arc<dyn LogSink>) -> Logger {
        Logger { sink }
    }

    pub fn debug(&self, message: impl AsRef<str>) {
        self.sink.log(LogLevel::Debug, message.as_ref());
    }
    pub fn info(&self, message: impl AsRef<str>) {
        self.sink.log(LogLevel::Info, message.as_ref());
    }
    pub fn warn(&self, message: impl AsRef<str>) {
        self.sink.log(LogLevel::Warn, message.as_ref());
    }
    pub fn error(&self, message: impl AsRef<str>) {
        self.sink.log(LogLevel::Error, message.as_ref());
    }
}

impl Default for Logger {
    fn default() -> Logger {
        Logger::new(crate::platform::default_log_sink())
    }
}

impl fmt::Debug for Logger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Logger")
    }
}

/// Everything a tool gets from the platform besides its input (the reference's `PureContext`).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Context {
    /// The resolved credential; narrow it with a `require_*` helper.
    #[serde(default)]
    pub auth: Auth,
    pub execution: Execution,
    #[serde(skip)]
    pub logger: Logger,
    /// Vendor secrets the org admin configured; absent keys were not set.
    #[serde(default, skip_serializing)]
    pub secrets: BTreeMap<String, String>,
    /// Present when executing via an integration profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_config: Option<Map<String, Value>>,
    #[serde(skip)]
    http: HttpClient,
}

impl Context {
    /// A context with the given credential and execution ids and the default logger and HTTP
    /// client of this platform.
    pub fn new(auth: Auth, execution: Execution) -> Context {
        Context {
            auth,
            execution,
            ..Context::default()
        }
    }

    /// The HTTP client: the only way out of the sandbox.
    pub fn http(&self) -> &HttpClient {
        &self.http
    }

    /// Replaces the HTTP client (tests use a scripted one).
    pub fn with_http(mut self, http: HttpClient) -> Context {
        self.http = http;
        self
    }

    /// Replaces the logger.
    pub fn with_logger(mut self, logger: Logger) -> Context {
        self.logger = logger;
        self
    }

    /// Adds a secret value.
    pub fn with_secret(mut self, key: impl Into<String>, value: impl Into<String>) -> Context {
        self.secrets.insert(key.into(), value.into());
        self
    }

    /// A secret the tool cannot work without: an error naming the key when it is not set.
    pub fn require_secret(&self, key: &str) -> Result<&str, ToolError> {
        self.secrets.get(key).map(String::as_str).ok_or_else(|| {
            ToolError::new(format!(
                "secret `{key}` is not configured; an org admin sets it under \
                 Settings > Integrations > Secrets"
            ))
        })
    }
}

/// What `execute` returns on the happy path, and what the host receives as JSON.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ToolResponse<T = Value> {
    pub success: bool,
    pub output: T,
    /// Shown to the user when `success` is false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The call guard retries a failed call only when this is true.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub retryable: bool,
    /// Logged, not passed to downstream blocks.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub metadata: Map<String, Value>,
}

impl<T> ToolResponse<T> {
    /// A successful response.
    pub fn ok(output: T) -> ToolResponse<T> {
        ToolResponse {
            success: true,
            output,
            error: None,
            retryable: false,
            metadata: Map::new(),
        }
    }

    /// A failed response that still carries an output (e.g. `{ "valid": false }`).
    pub fn failure(output: T, error: impl Into<String>) -> ToolResponse<T> {
        ToolResponse {
            success: false,
            output,
            error: Some(error.into()),
            retryable: false,
            metadata: Map::new(),
        }
    }

    /// Adds a metadata entry.
    pub fn with_metadata(mut self, key: impl Into<String>, value: impl Serialize) -> Self {
        let value = serde_json::to_value(value).unwrap_or(Value::Null);
        self.metadata.insert(key.into(), value);
        self
    }
}

/// A tool failure without an output; the response is `success: false, output: null`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ToolError {
    pub message: String,
    pub retryable: bool,
}

impl ToolError {
    /// A failure the call guard does not retry.
    pub fn new(message: impl Into<String>) -> ToolError {
        ToolError {
            message: message.into(),
            retryable: false,
        }
    }

    /// A transient failure (rate limit, 5xx, timeout) the call guard may retry.
    pub fn retryable(message: impl Into<String>) -> ToolError {
        ToolError {
            message: message.into(),
            retryable: true,
        }
    }
}

impl fmt::Display for ToolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<CredentialKindError> for ToolError {
    fn from(error: CredentialKindError) -> ToolError {
        ToolError::new(error.to_string())
    }
}

impl From<crate::http::HttpError> for ToolError {
    fn from(error: crate::http::HttpError) -> ToolError {
        ToolError {
            retryable: error.is_retryable(),
            message: error.to_string(),
        }
    }
}

impl From<serde_json::Error> for ToolError {
    fn from(error: serde_json::Error) -> ToolError {
        ToolError::new(format!("invalid JSON: {error}"))
    }
}

/// What `execute` returns.
pub type ToolResult<T> = Result<ToolResponse<T>, ToolError>;
