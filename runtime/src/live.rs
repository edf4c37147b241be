//! Real HTTP for `test --level live` and `run --http live`: rustls only, to the hosts the
//! vendor may reach, with every redirect re-checked against the same allow-list, timeouts,
//! and a response size cap. [`Recorder`] keeps what a live run exchanged, with secret and
//! credential values taken out, to be written back as test cases.

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::Mutex;
use std::time::Duration;

use sdk_authoring::{HttpError, HttpRequest, HttpResponse};

use crate::host::Redactor;
use crate::http::{
    Body, Exchange, HttpHandler, RecordedRequest, RecordedResponse, host_is_allowed,
};

const MAX_REDIRECTS: usize = 5;

/// Live HTTP behind an allow-list.
pub struct Live {
    agent: ureq::Agent,
    hosts: Vec<String>,
    max_response_bytes: usize,
    timeout: Duration,
}

impl Live {
    /// `hosts`: see [`crate::allowed_hosts`]; `timeout` caps every request (a vendor's own
    /// `timeout_ms` may only shorten it).
    pub fn new(hosts: Vec<String>, timeout: Duration, max_response_bytes: usize) -> Live {
        let agent = ureq::Agent::config_builder()
            .max_redirects(0)
            .http_status_as_error(false)
            .timeout_global(Some(timeout))
            .build()
            .into();
        Live {
            agent,
            hosts,
            max_response_bytes,
            timeout,
        }
    }

    fn check_host(&self, method: &str, url: &str) -> Result<url::Url, HttpError> {
        let parsed = url::Url::parse(url)
            .ok()
            .filter(|u| matches!(u.scheme(), "https" | "http"))
            .ok_or_else(|| HttpError::Denied(format!("{method} {url}: not an http(s) URL")))?;
        let host = parsed.host_str().unwrap_or_default();
        if !host_is_allowed(host, &self.hosts) {
            return Err(HttpError::Denied(format!(
                "{method} {url}: {host} is not a host this vendor may reach (allowed: {}); add it to allowed_hosts in define_vendor!",
                self.hosts.join(", ")
            )));
        }
        Ok(parsed)
    }

    fn send_once(
        &self,
        method: &str,
        url: &str,
        headers: &[(String, String)],
        body: Option<&[u8]>,
        timeout: Duration,
    ) -> Result<ureq::http::Response<ureq::Body>, HttpError> {
        let mut builder = ureq::http::Request::builder().method(method).uri(url);
        for (name, value) in headers {
            builder = builder.header(name, value);
        }
        let request = builder
            .body(body.map(<[u8]>::to_vec).unwrap_or_default())
            .map_err(|e| HttpError::InvalidRequest(format!("{method} {url}: {e}")))?;
        let agent = self
            .agent
            .configure_request(request)
            .timeout_global(Some(timeout))
            .build();
        self.agent.run(agent).map_err(|error| match error {
            ureq::Error::Timeout(_) => {
                HttpError::Timeout(format!("{method} {url}: no response within {timeout:?}"))
            }
            other => HttpError::Transport(format!("{method} {url}: {other}")),
        })
    }
}

impl HttpHandler for Live {
    fn send(&self, request: &HttpRequest) -> Result<HttpResponse, HttpError> {
        let timeout = request
            .timeout_ms
            .map(|ms| Duration::from_millis(u64::from(ms)).min(self.timeout))
            .unwrap_or(self.timeout);
        let (mut method, mut url, mut body) = (
            request.method.clone(),
            request.url.clone(),
            request.body.clone(),
        );
        for _ in 0..=MAX_REDIRECTS {
            let current = self.check_host(&method, &url)?;
            let mut response =
                self.send_once(&method, &url, &request.headers, body.as_deref(), timeout)?;
            let status = response.status().as_u16();
            let location = response
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            if let (300..=399, Some(location)) = (status, location) {
                // Every hop is a new request: resolve, then check the allow-list again.
                url = current
                    .join(&location)
                    .map_err(|e| {
                        HttpError::Transport(format!(
                            "{method} {url}: bad redirect {location:?}: {e}"
                        ))
                    })?
                    .to_string();
                if status == 303 || (matches!(status, 301 | 302) && method == "POST") {
                    method = "GET".into();
                    body = None;
                }
                continue;
            }
            let headers = response
                .headers()
                .iter()
                .filter_map(|(name, value)| {
                    Some((name.as_str().to_owned(), value.to_str().ok()?.to_owned()))
                })
                .collect();
            let mut bytes = Vec::new();
            response
                .body_mut()
                .as_reader()
                .take(self.max_response_bytes as u64 + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| {
                    HttpError::Transport(format!("{method} {url}: reading the body: {e}"))
                })?;
            if bytes.len() > self.max_response_bytes {
                return Err(HttpError::LimitExceeded(format!(
                    "{method} {url}: the response body is over the {} byte limit",
                    self.max_response_bytes
                )));
            }
            return Ok(HttpResponse {
                status,
                headers,
                body: bytes,
            });
        }
        Err(HttpError::Transport(format!(
            "{} {}: more than {MAX_REDIRECTS} redirects",
            request.method, request.url
        )))
    }
}

/// Records every exchange of the policy it wraps, redacted.
pub struct Recorder<H> {
    inner: H,
    redactor: Redactor,
    exchanges: Mutex<Vec<Exchange>>,
}

/// Response headers that only describe one transfer; they would make recordings noisy.
const TRANSIENT_HEADERS: [&str; 6] = [
    "date",
    "connection",
    "keep-alive",
    "transfer-encoding",
    "content-length",
    "set-cookie",
];

impl<H> Recorder<H> {
    /// `redact`: secret and credential values. A request header that carries one is left out
    /// of the recording (a replayed case sends its own test credential); anywhere else the
    /// value becomes `[REDACTED]`.
    pub fn new(inner: H, redact: Vec<String>) -> Recorder<H> {
        Recorder {
            inner,
            redactor: Redactor::new(redact),
            exchanges: Mutex::new(Vec::new()),
        }
    }

    pub fn exchanges(&self) -> Vec<Exchange> {
        self.exchanges
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn clean(&self, text: &str) -> String {
        self.redactor.redact(text)
    }

    fn clean_body(&self, bytes: &[u8]) -> Option<Body> {
        let body = Body::from_bytes(bytes)?;
        let text = serde_json::to_string(&body.0).ok()?;
        serde_json::from_str(&self.clean(&text)).ok().map(Body)
    }
}

impl<H: HttpHandler> HttpHandler for Recorder<H> {
    fn send(&self, request: &HttpRequest) -> Result<HttpResponse, HttpError> {
        let response = self.inner.send(request)?;
        let request_headers: BTreeMap<String, String> = request
            .headers
            .iter()
            .filter(|(_, value)| !self.redactor.appears_in(value))
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect();
        let response_headers: BTreeMap<String, String> = response
            .headers
            .iter()
            .filter(|(name, _)| !TRANSIENT_HEADERS.contains(&name.to_ascii_lowercase().as_str()))
            .map(|(name, value)| (name.clone(), self.clean(value)))
            .collect();
        let exchange = Exchange {
            request: RecordedRequest {
                method: request.method.clone(),
                url: self.clean(&request.url),
                headers: request_headers,
                body: request.body.as_deref().and_then(|b| self.clean_body(b)),
            },
            response: RecordedResponse {
                status: response.status,
                headers: response_headers,
                body: self.clean_body(&response.body),
            },
        };
        self.exchanges
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(exchange);
        Ok(response)
    }
}
