//! Test doubles for unit-testing tools natively with plain `cargo test` (feature `testing`):
//! a scripted HTTP transport and a log capture.
//!
//! ```
//! use std::sync::Arc;
//! use sdk_authoring::prelude::*;
//! use sdk_authoring::testing::{CapturedLog, ScriptedHttp};
//!
//! let http = Arc::new(ScriptedHttp::new().respond("GET", "https://api.acme.com/me", 200, r#"{"id":"u1"}"#));
//! let log = Arc::new(CapturedLog::default());
//! let ctx = Context::new(Auth::None, Execution::default())
//!     .with_http(HttpClient::new(http.clone()))
//!     .with_logger(Logger::new(log.clone()));
//! let me: serde_json::Value = ctx.http().get("https://api.acme.com/me").send().unwrap().json().unwrap();
//! ctx.logger.info("fetched");
//! assert_eq!(me["id"], "u1");
//! assert_eq!(http.requests().len(), 1);
//! assert_eq!(log.lines(), vec!["info: fetched".to_string()]);
//! ```

use std::sync::Mutex;

use crate::context::{LogLevel, LogSink};
use crate::http::{HttpError, HttpRequest, HttpResponse, Transport};

/// Answers requests from a script of `(method, url) -> response`; an unscripted request is an
/// [`HttpError::Unmatched`] that names it.
#[derive(Default)]
pub struct ScriptedHttp {
    script: Vec<(String, String, HttpResponse)>,
    requests: Mutex<Vec<HttpRequest>>,
}

impl ScriptedHttp {
    pub fn new() -> ScriptedHttp {
        ScriptedHttp::default()
    }

    /// Answers `method url` with `status` and `body` (every time it is asked).
    pub fn respond(mut self, method: &str, url: &str, status: u16, body: &str) -> ScriptedHttp {
        let response = HttpResponse {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
        };
        self.script
            .push((method.to_owned(), url.to_owned(), response));
        self
    }

    /// The requests sent so far, in order.
    pub fn requests(&self) -> Vec<HttpRequest> {
        self.requests.lock().expect("not poisoned").clone()
    }
}

impl Transport for ScriptedHttp {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, HttpError> {
        self.requests
            .lock()
            .expect("not poisoned")
            .push(request.clone());
        self.script
            .iter()
            .find(|(method, url, _)| {
                method.eq_ignore_ascii_case(&request.method) && *url == request.url
            })
            .map(|(_, _, response)| response.clone())
            .ok_or_else(|| HttpError::Unmatched(format!("{} {}", request.method, request.url)))
    }
}

/// Collects log lines as `level: message`.
#[derive(Default)]
pub struct CapturedLog {
    lines: Mutex<Vec<String>>,
}

impl CapturedLog {
    pub fn lines(&self) -> Vec<String> {
        self.lines.lock().expect("not poisoned").clone()
    }
}

impl LogSink for CapturedLog {
    fn log(&self, level: LogLevel, message: &str) {
        let level = format!("{level:?}").to_lowercase();
        self.lines
            .lock()
            .expect("not poisoned")
            .push(format!("{level}: {message}"));
    }
}
