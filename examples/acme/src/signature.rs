//! Acme webhook signatures and the `verify-webhook` tool.
//!
//! Acme signs every webhook delivery (CRM and email events) with the organization's signing
//! secret and sends the result as `X-Acme-Signature: v1=<16 hex digits>`. The `v1` digest is a
//! keyed 64-bit FNV-1a checksum over `secret`, `.`, the raw body, `.`, `secret`: a
//! self-contained scheme that keeps this example free of extra crates. A production
//! integration verifies an HMAC-SHA256 (the `hmac` and `sha2` crates) instead; the tool
//! around it stays the same.

use sdk_authoring::prelude::*;

/// The vendor secret the signatures are keyed with.
pub const SIGNING_SECRET: &str = "WEBHOOK_SIGNING_SECRET";

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

fn fnv1a(hash: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(hash, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(FNV_PRIME)
    })
}

/// The `X-Acme-Signature` value Acme sends for `payload`.
pub fn sign(secret: &str, payload: &str) -> String {
    let mut hash = FNV_OFFSET;
    for part in [secret, ".", payload, ".", secret] {
        hash = fnv1a(hash, part.as_bytes());
    }
    format!("v1={hash:016x}")
}

/// Whether `signature` is the one Acme sends for `payload`, compared in constant time so the
/// comparison does not reveal how much of a forged signature was right.
pub fn verify(secret: &str, payload: &str, signature: &str) -> bool {
    let expected = sign(secret, payload);
    let signature = signature.trim();
    expected.len() == signature.len()
        && expected
            .bytes()
            .zip(signature.bytes())
            .fold(0u8, |diff, (a, b)| diff | (a ^ b))
            == 0
}

/// Input of `verify-webhook`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct VerifyWebhookInput {
    /// The raw request body, exactly as received (re-serialized JSON does not verify).
    pub payload: String,
    /// The `X-Acme-Signature` header, e.g. `v1=3f0c9a1b5e7d2c84`.
    pub signature: String,
}

/// Output of `verify-webhook`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct VerifyWebhookOutput {
    /// True when Acme signed this payload with the organization's signing secret.
    pub valid: bool,
}

/// Checks that a webhook delivery really comes from Acme. A wrong signature is a successful
/// call with `valid: false`, so a workflow can branch on it; a missing signing secret is an
/// error that tells the admin where to set it.
pub fn verify_webhook(input: VerifyWebhookInput, ctx: &Context) -> ToolResult<VerifyWebhookOutput> {
    let secret = ctx.require_secret(SIGNING_SECRET)?;
    let valid = verify(secret, &input.payload, &input.signature);
    if !valid {
        ctx.logger.warn("webhook signature mismatch");
    }
    Ok(ToolResponse::ok(VerifyWebhookOutput { valid }))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAYLOAD: &str = r#"{"event":"contact.created","data":{"id":"c_1"}}"#;

    fn ctx() -> Context {
        Context::new(Auth::None, Execution::default())
    }

    #[test]
    fn signatures_depend_on_secret_and_payload() {
        let signature = sign("s3cret", PAYLOAD);
        assert!(signature.starts_with("v1=") && signature.len() == 19);
        assert!(verify("s3cret", PAYLOAD, &signature));
        assert!(verify("s3cret", PAYLOAD, &format!(" {signature}\n")));
        assert!(!verify("other", PAYLOAD, &signature));
        assert!(!verify(
            "s3cret",
            &PAYLOAD.replace("c_1", "c_2"),
            &signature
        ));
        assert!(!verify("s3cret", PAYLOAD, "v1=0"));
    }

    #[test]
    fn verifies_with_the_configured_secret() {
        let ctx = ctx().with_secret(SIGNING_SECRET, "s3cret");
        let input = |signature: String| VerifyWebhookInput {
            payload: PAYLOAD.into(),
            signature,
        };

        let good = verify_webhook(input(sign("s3cret", PAYLOAD)), &ctx).unwrap();
        assert!(good.success && good.output.valid);

        let forged = verify_webhook(input(sign("guess", PAYLOAD)), &ctx).unwrap();
        assert!(forged.success && !forged.output.valid);
    }

    #[test]
    fn a_missing_secret_is_an_error_naming_it() {
        let response = crate::vendor()
            .invoke(
                "acme:acme-email:verify-webhook",
                serde_json::json!({ "payload": PAYLOAD, "signature": "v1=0" }),
                &ctx(),
            )
            .unwrap();

        assert!(!response.success);
        let error = response.error.unwrap();
        assert!(error.contains("WEBHOOK_SIGNING_SECRET"), "{error}");
        assert!(error.contains("is not configured"), "{error}");
    }
}
