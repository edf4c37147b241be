//! What the host does with a vendor's HTTP requests: the policies of a run.
//!
//! - [`DenyAll`]: no network (manifest extraction, static checks).
//! - [`Replay`]: answers from recorded exchanges; an unmatched request fails and shows the
//!   request and the nearest recorded one.
//! - [`AllowList`]: wraps another policy and refuses hosts the vendor may not reach. The rule
//!   ([`allowed_hosts`]): the manifest's `vendor.allowedHosts` (exact names or `*.domain`),
//!   the hosts of OAuth `authorizationUrl`/`tokenUrl`, and the hosts of `url`-typed config
//!   fields as configured for the call (e.g. a self-hosted `baseUrl`).
//!
//! Per-call limits (number of requests, response size) are enforced by the host around any
//! policy, so a policy only decides what a request gets.

use std::collections::BTreeMap;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use sdk_authoring::{Credential, HttpError, HttpRequest, HttpResponse, Manifest};

/// Decides what a request gets.
pub trait HttpHandler: Send + Sync {
    fn send(&self, request: &HttpRequest) -> Result<HttpResponse, HttpError>;
}

/// No network at all.
pub struct DenyAll;

impl HttpHandler for DenyAll {
    fn send(&self, request: &HttpRequest) -> Result<HttpResponse, HttpError> {
        Err(HttpError::Denied(format!(
            "{} {}: this sandbox allows no network",
            request.method, request.url
        )))
    }
}

/// A body in a recorded exchange. A JSON string is the raw text of the body (`"slow down"`);
/// any other JSON value is the body as JSON, compared by value, not by formatting.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Body(pub Value);

impl Body {
    /// The body of a request or response as it is best shown and compared.
    pub fn from_bytes(bytes: &[u8]) -> Option<Body> {
        if bytes.is_empty() {
            return None;
        }
        Some(match serde_json::from_slice::<Value>(bytes) {
            Ok(json) if !json.is_string() => Body(json),
            _ => Body(Value::String(String::from_utf8_lossy(bytes).into_owned())),
        })
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        match &self.0 {
            Value::String(text) => text.clone().into_bytes(),
            json => serde_json::to_vec(json).unwrap_or_default(),
        }
    }
}

/// The request half of a recorded exchange. Headers listed here must be present with these
/// values; headers not listed are not compared.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordedRequest {
    pub method: String,
    pub url: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Body>,
}

/// The response half of a recorded exchange.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordedResponse {
    pub status: u16,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Body>,
}

/// One recorded request and its response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Exchange {
    pub request: RecordedRequest,
    pub response: RecordedResponse,
}

impl Exchange {
    /// Whether `request` is this exchange's request.
    pub fn matches(&self, request: &HttpRequest) -> bool {
        self.mismatch(request).is_none()
    }

    /// Why `request` is not this exchange's request (the first difference).
    pub fn mismatch(&self, request: &HttpRequest) -> Option<String> {
        let recorded = &self.request;
        if !recorded.method.eq_ignore_ascii_case(&request.method) {
            return Some(format!(
                "method {} is not {}",
                request.method, recorded.method
            ));
        }
        if recorded.url != request.url {
            return Some(format!("url {} is not {}", request.url, recorded.url));
        }
        for (name, value) in &recorded.headers {
            let sent = request
                .headers
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(name));
            match sent {
                Some((_, sent)) if sent == value => {}
                Some((_, sent)) => {
                    return Some(format!("header {name} is {sent:?}, not {value:?}"));
                }
                None => return Some(format!("header {name} is missing")),
            }
        }
        if let Some(body) = &recorded.body {
            let sent = request.body.as_deref().and_then(Body::from_bytes);
            if sent.as_ref() != Some(body) {
                return Some("the body differs".to_owned());
            }
        }
        None
    }

    /// How far `request` is from this exchange, for "did you mean" messages: 0 for the
    /// same method and URL, growing with the differing characters of the URL.
    fn distance(&self, request: &HttpRequest) -> usize {
        let method = usize::from(!self.request.method.eq_ignore_ascii_case(&request.method)) * 1000;
        let (a, b) = (self.request.url.as_bytes(), request.url.as_bytes());
        let common = a.iter().zip(b).take_while(|(x, y)| x == y).count();
        method + (a.len() - common) + (b.len() - common)
    }

    /// The response as the guest receives it.
    pub fn http_response(&self) -> HttpResponse {
        let response = &self.response;
        HttpResponse {
            status: response.status,
            headers: response
                .headers
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            body: response
                .body
                .as_ref()
                .map(Body::to_bytes)
                .unwrap_or_default(),
        }
    }
}

/// Answers from recorded exchanges, each used at most once, in order.
pub struct Replay {
    exchanges: Vec<Exchange>,
    used: Mutex<Vec<bool>>,
}

impl Replay {
    pub fn new(exchanges: Vec<Exchange>) -> Replay {
        let used = Mutex::new(vec![false; exchanges.len()]);
        Replay { exchanges, used }
    }

    /// Recorded exchanges no request used.
    pub fn unused(&self) -> Vec<&Exchange> {
        let used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        self.exchanges
            .iter()
            .zip(used.iter())
            .filter(|(_, used)| !**used)
            .map(|(e, _)| e)
            .collect()
    }
}

impl HttpHandler for Replay {
    fn send(&self, request: &HttpRequest) -> Result<HttpResponse, HttpError> {
        let mut used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        let found = self
            .exchanges
            .iter()
            .enumerate()
            .find(|(i, e)| !used[*i] && e.matches(request));
        if let Some((index, exchange)) = found {
            used[index] = true;
            return Ok(exchange.http_response());
        }
        let nearest = self.exchanges.iter().min_by_key(|e| e.distance(request));
        let hint = match nearest {
            Some(nearest) => format!(
                "; the nearest recorded request is {} {} ({})",
                nearest.request.method,
                nearest.request.url,
                nearest
                    .mismatch(request)
                    .unwrap_or_else(|| "already used by an earlier request".into())
            ),
            None => "; the case records no exchanges".to_owned(),
        };
        Err(HttpError::Unmatched(format!(
            "{} {}{hint}",
            request.method, request.url
        )))
    }
}

/// The hosts a vendor may reach in a call, from its manifest and the call's profile config.
pub fn allowed_hosts(
    manifest: &Manifest,
    profile_config: Option<&serde_json::Map<String, Value>>,
) -> Vec<String> {
    let mut hosts = manifest.vendor.allowed_hosts.clone();
    let host_of = |url: &str| {
        url::Url::parse(url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
    };
    for credential in manifest.auth.credentials.values() {
        if let Credential::OAuth(oauth) = credential {
            hosts.extend(
                [&oauth.authorization_url, &oauth.token_url]
                    .into_iter()
                    .filter_map(|u| host_of(u)),
            );
        }
    }
    let config = profile_config.into_iter().flatten();
    for (key, value) in config {
        let is_url_field = manifest
            .vendor
            .config_fields
            .iter()
            .any(|f| &f.key == key && f.kind.as_deref() == Some("url"));
        if is_url_field && let Some(host) = value.as_str().and_then(host_of) {
            hosts.push(host);
        }
    }
    hosts.sort();
    hosts.dedup();
    hosts
}

/// Whether `host` is one of `allowed` (`*.domain` covers subdomains, not the domain itself).
pub fn host_is_allowed(host: &str, allowed: &[String]) -> bool {
    let host = host.to_ascii_lowercase();
    allowed.iter().any(|pattern| {
        let pattern = pattern.to_ascii_lowercase();
        match pattern.strip_prefix("*.") {
            Some(domain) => host.ends_with(&format!(".{domain}")),
            None => host == pattern.split(':').next().unwrap_or(&pattern),
        }
    })
}

/// Refuses requests to hosts outside the allow-list, before the inner policy sees them.
pub struct AllowList<H> {
    pub hosts: Vec<String>,
    pub inner: H,
}

impl<H: HttpHandler> HttpHandler for AllowList<H> {
    fn send(&self, request: &HttpRequest) -> Result<HttpResponse, HttpError> {
        let host = url::Url::parse(&request.url)
            .ok()
            .filter(|url| matches!(url.scheme(), "https" | "http"))
            .and_then(|url| url.host_str().map(str::to_owned))
            .ok_or_else(|| {
                HttpError::Denied(format!(
                    "{} {}: not an http(s) URL",
                    request.method, request.url
                ))
            })?;
        if !host_is_allowed(&host, &self.hosts) {
            return Err(HttpError::Denied(format!(
                "{} {}: {host} is not a host this vendor may reach (allowed: {}); add it to allowed_hosts in define_vendor!",
                request.method,
                request.url,
                if self.hosts.is_empty() {
                    "none".to_owned()
                } else {
                    self.hosts.join(", ")
                }
            )));
        }
        self.inner.send(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(method: &str, url: &str) -> HttpRequest {
        HttpRequest {
            method: method.into(),
            url: url.into(),
            headers: vec![],
            body: None,
            timeout_ms: None,
        }
    }

    fn exchange(method: &str, url: &str, status: u16) -> Exchange {
        Exchange {
            request: RecordedRequest {
                method: method.into(),
                url: url.into(),
                headers: BTreeMap::new(),
                body: None,
            },
            response: RecordedResponse {
                status,
                headers: BTreeMap::new(),
                body: Some(Body(serde_json::json!({"ok": true}))),
            },
        }
    }

    #[test]
    fn replay_answers_each_exchange_once_and_names_the_nearest() {
        let replay = Replay::new(vec![exchange("GET", "https://api.x/a?page=1", 200)]);
        assert_eq!(
            replay
                .send(&request("GET", "https://api.x/a?page=1"))
                .unwrap()
                .status,
            200
        );
        let error = replay
            .send(&request("GET", "https://api.x/a?page=2"))
            .unwrap_err()
            .to_string();
        assert!(error.contains("GET https://api.x/a?page=2"), "{error}");
        assert!(
            error.contains("nearest recorded request is GET https://api.x/a?page=1"),
            "{error}"
        );
        assert!(replay.unused().is_empty());
    }

    #[test]
    fn allow_list_matches_exact_hosts_and_subdomain_wildcards() {
        let allowed = vec!["api.acme.com".to_owned(), "*.acme.io".to_owned()];
        assert!(host_is_allowed("api.acme.com", &allowed));
        assert!(host_is_allowed("eu.acme.io", &allowed));
        assert!(!host_is_allowed("acme.io", &allowed));
        assert!(!host_is_allowed("api.acme.com.evil.example", &allowed));
        let policy = AllowList {
            hosts: allowed,
            inner: Replay::new(vec![]),
        };
        let error = policy
            .send(&request("GET", "https://evil.example/x"))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("evil.example is not a host this vendor may reach"),
            "{error}"
        );
    }

    #[test]
    fn recorded_headers_and_bodies_must_match() {
        let mut recorded = exchange("POST", "https://api.x/c", 201);
        recorded.request.headers.insert("X-Key".into(), "k".into());
        recorded.request.body = Some(Body(serde_json::json!({"n": 1})));
        let mut sent = request("POST", "https://api.x/c");
        sent.headers.push(("x-key".into(), "k".into()));
        sent.body = Some(br#"{ "n": 1 }"#.to_vec());
        assert_eq!(recorded.mismatch(&sent), None);
        sent.body = Some(br#"{"n": 2}"#.to_vec());
        assert_eq!(
            recorded.mismatch(&sent).as_deref(),
            Some("the body differs")
        );
    }
}
