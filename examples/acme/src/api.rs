//! Pieces every Acme tool shares: where the API lives, how a request authenticates, and how
//! path segments taken from user input are checked before they go into a URL.

use sdk_authoring::prelude::*;

/// The public Acme API; `vendor.allowedHosts` lists its host.
pub const DEFAULT_BASE_URL: &str = "https://api.acme.example";

/// The header an Acme API key travels in (the `apiKey` credential's `headerName`).
pub const API_KEY_HEADER: &str = "X-Acme-Key";

/// The API base URL without a trailing slash: the `baseUrl` config field of the integration
/// profile (EU residency or a private deployment) or [`DEFAULT_BASE_URL`].
pub fn base_url(ctx: &Context) -> &str {
    ctx.profile_config
        .as_ref()
        .and_then(|config| config.get("baseUrl"))
        .and_then(|value| value.as_str())
        .map(|url| url.trim().trim_end_matches('/'))
        .filter(|url| !url.is_empty())
        .unwrap_or(DEFAULT_BASE_URL)
}

/// An id that goes into a URL path, checked so that user input cannot change the path
/// (`../`, `?`, `#`): Acme ids are letters, digits, `-` and `_`.
pub fn path_segment<'a>(what: &str, id: &'a str) -> Result<&'a str, ToolError> {
    let id = id.trim();
    if !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        Ok(id)
    } else {
        Err(ToolError::new(format!(
            "{what} {id:?} is not an Acme id (letters, digits, '-' and '_')"
        )))
    }
}

/// Copies Acme's `X-Request-Id` into the response metadata, for support tickets.
pub fn with_request_id<T>(response: ToolResponse<T>, http: &HttpResponse) -> ToolResponse<T> {
    match http.header("x-request-id") {
        Some(request_id) => response.with_metadata("requestId", request_id),
        None => response,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx_with_config(config: serde_json::Value) -> Context {
        let mut ctx = Context::new(Auth::None, Execution::default());
        ctx.profile_config = config.as_object().cloned();
        ctx
    }

    #[test]
    fn base_url_comes_from_the_profile_or_defaults() {
        let ctx = Context::new(Auth::None, Execution::default());
        assert_eq!(base_url(&ctx), DEFAULT_BASE_URL);

        let eu = ctx_with_config(serde_json::json!({ "baseUrl": "https://eu.acme.example/" }));
        assert_eq!(base_url(&eu), "https://eu.acme.example");

        let blank = ctx_with_config(serde_json::json!({ "baseUrl": "  " }));
        assert_eq!(base_url(&blank), DEFAULT_BASE_URL);
    }

    #[test]
    fn path_segments_cannot_escape_the_path() {
        assert_eq!(path_segment("contact id", " c_123 "), Ok("c_123"));
        assert!(path_segment("contact id", "../admin").is_err());
        assert!(path_segment("contact id", "c1?x=1").is_err());
        assert!(path_segment("contact id", "").is_err());
    }
}
