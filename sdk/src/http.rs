//! The HTTP client a tool gets from `ctx.http()`.
//!
//! In wasm every request goes to the host's `send` function, which applies the run's policy
//! (deny, replay, allow-list, record). Natively (an author's `cargo test`) requests go to
//! whatever [`Transport`] the test context was given.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;
use serde::de::DeserializeOwned;

/// An HTTP request as the host sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HttpRequest {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
    pub timeout_ms: Option<u32>,
}

/// A complete HTTP response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// True for 2xx statuses.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The body as UTF-8 text (lossy).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body parsed as JSON.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, HttpError> {
        serde_json::from_slice(&self.body).map_err(|error| {
            HttpError::InvalidResponse(format!("response body is not the expected JSON: {error}"))
        })
    }

    /// `Ok(self)` for 2xx; otherwise an [`HttpError::Status`] (retryable for 429 and 5xx).
    pub fn error_for_status(self) -> Result<HttpResponse, HttpError> {
        if self.is_success() {
            Ok(self)
        } else {
            Err(HttpError::Status {
                status: self.status,
                body: String::from_utf8_lossy(&self.body)
                    .chars()
                    .take(512)
                    .collect(),
            })
        }
    }
}

/// Why a request produced no usable response.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum HttpError {
    #[error("request denied by the sandbox: {0}")]
    Denied(String),
    #[error("no recorded exchange matches this request: {0}")]
    Unmatched(String),
    #[error("HTTP limit exceeded: {0}")]
    LimitExceeded(String),
    #[error("request timed out: {0}")]
    Timeout(String),
    #[error("transport error: {0}")]
    Transport(String),
    #[error("HTTP {status}: {body}")]
    Status { status: u16, body: String },
    #[error("{0}")]
    InvalidResponse(String),
    #[error("invalid request: {0}")]
    InvalidRequest(String),
}

impl HttpError {
    /// Whether retrying the same request may succeed.
    pub fn is_retryable(&self) -> bool {
        match self {
            HttpError::Timeout(_) | HttpError::Transport(_) => true,
            HttpError::Status { status, .. } => *status == 429 || *status >= 500,
            _ => false,
        }
    }
}

/// Sends requests. The wasm build uses the host; tests plug in a scripted double.
pub trait Transport: Send + Sync {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, HttpError>;
}

/// The client behind `ctx.http()`.
#[derive(Clone)]
pub struct HttpClient {
    transport: Arc<dyn Transport>,
}

impl HttpClient {
    /// A client sending through `transport`.
    pub fn new(transport: Arc<dyn Transport>) -> HttpClient {
        HttpClient { transport }
    }

    pub fn get(&self, url: impl Into<String>) -> RequestBuilder<'_> {
        self.request("GET", url)
    }
    pub fn post(&self, url: impl Into<String>) -> RequestBuilder<'_> {
        self.request("POST", url)
    }
    pub fn put(&self, url: impl Into<String>) -> RequestBuilder<'_> {
        self.request("PUT", url)
    }
    pub fn patch(&self, url: impl Into<String>) -> RequestBuilder<'_> {
        self.request("PATCH", url)
    }
    pub fn delete(&self, url: impl Into<String>) -> RequestBuilder<'_> {
        self.request("DELETE", url)
    }

    /// A request with any method.
    pub fn request(&self, method: &str, url: impl Into<String>) -> RequestBuilder<'_> {
        RequestBuilder {
            client: self,
            request: HttpRequest {
                method: method.to_owned(),
                url: url.into(),
                headers: Vec::new(),
                body: None,
                timeout_ms: None,
            },
            error: None,
        }
    }

    /// Sends a prepared request.
    pub fn send(&self, request: HttpRequest) -> Result<HttpResponse, HttpError> {
        self.transport.send(request)
    }
}

impl Default for HttpClient {
    fn default() -> HttpClient {
        HttpClient::new(crate::platform::default_transport())
    }
}

impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HttpClient")
    }
}

/// Builds one request; finish with [`RequestBuilder::send`].
#[must_use = "a request does nothing until `.send()`"]
pub struct RequestBuilder<'a> {
    client: &'a HttpClient,
    request: HttpRequest,
    error: Option<HttpError>,
}

impl RequestBuilder<'_> {
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.request.headers.push((name.into(), value.into()));
        self
    }

    /// `Authorization: Bearer <token>`.
    pub fn bearer(self, token: &str) -> Self {
        self.header("Authorization", format!("Bearer {token}"))
    }

    /// Appends `?key=value&...` (percent-encoded).
    pub fn query(mut self, pairs: &[(&str, &str)]) -> Self {
        for (key, value) in pairs {
            let separator = if self.request.url.contains('?') {
                '&'
            } else {
                '?'
            };
            self.request.url.push(separator);
            self.request.url.push_str(&percent_encode(key));
            self.request.url.push('=');
            self.request.url.push_str(&percent_encode(value));
        }
        self
    }

    /// A JSON body with `Content-Type: application/json`.
    pub fn json(mut self, body: &impl Serialize) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => {
                self.request.body = Some(bytes);
                self.header("Content-Type", "application/json")
            }
            Err(error) => {
                self.error = Some(HttpError::InvalidRequest(error.to_string()));
                self
            }
        }
    }

    /// A raw body.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.request.body = Some(body.into());
        self
    }

    /// Per-request timeout (the host caps it).
    pub fn timeout_ms(mut self, timeout_ms: u32) -> Self {
        self.request.timeout_ms = Some(timeout_ms);
        self
    }

    pub fn send(self) -> Result<HttpResponse, HttpError> {
        match self.error {
            Some(error) => Err(error),
            None => self.client.send(self.request),
        }
    }
}

fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_is_percent_encoded() {
        struct Echo;
        impl Transport for Echo {
            fn send(&self, request: HttpRequest) -> Result<HttpResponse, HttpError> {
                Ok(HttpResponse {
                    status: 200,
                    headers: vec![],
                    body: request.url.into_bytes(),
                })
            }
        }
        let client = HttpClient::new(Arc::new(Echo));
        let response = client
            .get("https://api.example.com/search")
            .query(&[("q", "a b&c"), ("n", "1")])
            .send()
            .unwrap();
        assert_eq!(
            response.text(),
            "https://api.example.com/search?q=a%20b%26c&n=1"
        );
    }

    #[test]
    fn statuses_429_and_5xx_are_retryable() {
        let status = |status| HttpError::Status {
            status,
            body: String::new(),
        };
        assert!(status(429).is_retryable());
        assert!(status(503).is_retryable());
        assert!(!status(404).is_retryable());
    }
}
