//! Acme AI (`acme-ai`): Acme's models as platform runtimes (LLM and embeddings, with their
//! metadata), its webhook and discovery capabilities, and a `summarize` tool with its block.
//! Authenticated with the `apiKey` credential.

use sdk_authoring::prelude::*;
use serde_json::json;

use crate::api::{API_KEY_HEADER, base_url, with_request_id};

/// The model `summarize` and the vendor's `llm` section default to.
pub const DEFAULT_MODEL: &str = "acme-large";

/// The product's own icon (the other products use the vendor icon).
const ICON: &str = concat!(
    r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="24" height="24">"##,
    r##"<rect width="24" height="24" rx="5" fill="#7C3AED"/>"##,
    r##"<path d="M12 4l1.8 5.2L19 11l-5.2 1.8L12 18l-1.8-5.2L5 11l5.2-1.8z" fill="#fff"/>"##,
    "</svg>",
);

/// Price list entry of a model, in US dollars per million tokens.
fn pricing(input_per_mtok: f64, output_per_mtok: f64) -> serde_json::Value {
    json!({ "inputPerMTok": input_per_mtok, "outputPerMTok": output_per_mtok, "currency": "USD" })
}

fn default_max_words() -> u32 {
    120
}

fn default_model() -> String {
    DEFAULT_MODEL.to_owned()
}

/// Input of `summarize`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SummarizeInput {
    /// The text to summarize (up to about 150,000 words).
    pub text: String,
    /// Upper bound on the summary's length, in words.
    #[serde(default = "default_max_words")]
    #[schemars(range(min = 20, max = 500))]
    pub max_words: u32,
    /// Summarize as a bulleted list instead of a paragraph.
    #[serde(default)]
    pub bullet_points: bool,
    /// The Acme model to use: `acme-large` or `acme-small`.
    #[serde(default = "default_model")]
    pub model: String,
}

/// The body of `POST /v1/ai/summarize`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SummarizeRequest<'a> {
    model: &'a str,
    text: &'a str,
    max_words: u32,
    style: &'static str,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SummarizeResponse {
    summary: String,
    model: String,
    usage: Usage,
}

/// Tokens an Acme model call consumed.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Usage {
    /// Tokens read.
    pub input_tokens: u32,
    /// Tokens written.
    pub output_tokens: u32,
}

/// Output of `summarize`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct SummarizeOutput {
    /// The summary.
    pub summary: String,
    /// The model that wrote it (a dated version, e.g. `acme-large-2025-04`).
    pub model: String,
    /// What the call consumed, for cost tracking.
    pub usage: Usage,
}

/// Summarizes a text with an Acme model.
pub fn summarize(input: SummarizeInput, ctx: &Context) -> ToolResult<SummarizeOutput> {
    let api_key = require_api_key(&ctx.auth)?;
    if input.text.trim().is_empty() {
        return Err(ToolError::new("there is no text to summarize"));
    }
    let request = SummarizeRequest {
        model: &input.model,
        text: &input.text,
        max_words: input.max_words.max(1),
        style: if input.bullet_points {
            "bullets"
        } else {
            "paragraph"
        },
    };

    let response = ctx
        .http()
        .post(format!("{}/v1/ai/summarize", base_url(ctx)))
        .header(API_KEY_HEADER, api_key)
        .timeout_ms(60_000)
        .json(&request)
        .send()?
        .error_for_status()?;
    let summarized: SummarizeResponse = response.json()?;
    ctx.logger.debug(format!(
        "{} used {} input and {} output tokens",
        summarized.model, summarized.usage.input_tokens, summarized.usage.output_tokens
    ));
    let output = SummarizeOutput {
        summary: summarized.summary,
        model: summarized.model,
        usage: summarized.usage,
    };
    Ok(with_request_id(ToolResponse::ok(output), &response))
}

/// The `acme-ai` product.
pub fn product() -> Product {
    define_product! {
        id: "acme-ai",
        name: "Acme AI",
        description: "Acme's language and embedding models, and summaries for workflows",
        icon: ICON,
        credential_ref: "apiKey",
        capabilities: capabilities! {
            tools: [define_tool! {
                id: "summarize",
                name: "Summarize",
                version: "1.0.0",
                description: "Summarizes a text as a paragraph or a bulleted list",
                params: [
                    ("text", param! {
                        kind: "string",
                        required: true,
                        visibility: Visibility::UserOrLlm,
                    }),
                    ("maxWords", param! {
                        kind: "integer",
                        default: 120,
                        visibility: Visibility::UserOrLlm,
                    }),
                    ("bulletPoints", param! {
                        kind: "boolean",
                        default: false,
                        visibility: Visibility::UserOrLlm,
                    }),
                    ("model", param! {
                        kind: "string",
                        default: DEFAULT_MODEL,
                        description: "Chosen by the user; agents keep the default",
                        visibility: Visibility::UserOnly,
                    }),
                ],
                execute: summarize,
            }],
            runtimes: [
                define_capability_llm! {
                    models: [
                        def!(ModelMeta {
                            id: "acme-large",
                            name: "Acme Large",
                            realtime: true,
                            benchmarks: json!({ "mmlu": 0.86, "humanEval": 0.81 }),
                            pricing: pricing(3.0, 15.0),
                        }),
                        def!(ModelMeta {
                            id: "acme-small",
                            name: "Acme Small",
                            benchmarks: json!({ "mmlu": 0.74 }),
                            pricing: pricing(0.25, 1.25),
                        }),
                    ],
                },
                define_capability_embedding! {
                    models: [def!(ModelMeta {
                        id: "acme-embed-1",
                        name: "Acme Embed 1",
                        dimensions: 1536,
                        pricing: json!({ "inputPerMTok": 0.02, "currency": "USD" }),
                    })],
                },
                define_capability_webhook! {},
                define_capability_discovery! {},
            ],
        },
        block: define_block! {
            kind: "acme_ai",
            name: "Acme AI Summarize",
            description: "Summarize text with an Acme model",
            bg_color: "#7C3AED",
            auth_mode: "apiKey",
            sub_blocks: [
                sub_block! {
                    id: "text",
                    title: "Text",
                    kind: SubBlockType::LongInput,
                    required: true,
                    placeholder: "Paste a document or connect an upstream block",
                },
                sub_block! {
                    id: "model",
                    title: "Model",
                    kind: SubBlockType::Dropdown,
                    layout: Layout::Half,
                    default_value: DEFAULT_MODEL,
                    options: [("Acme Large", "acme-large"), ("Acme Small", "acme-small")],
                },
                sub_block! {
                    id: "maxWords",
                    title: "Maximum words",
                    kind: SubBlockType::Slider,
                    layout: Layout::Half,
                    min: 20,
                    max: 500,
                    step: 10,
                    default_value: 120,
                },
                sub_block! {
                    id: "bulletPoints",
                    title: "Bullet points",
                    kind: SubBlockType::Switch,
                    default_value: false,
                },
            ],
            tools: block_tools! { access: ["summarize"] },
            inputs: [("text", ("string", "Text from an upstream block"))],
            outputs: [
                ("summary", ("string", "The summary")),
                ("usage", ("json", "Input and output tokens")),
            ],
        },
    }
}

/// The vendor's `llm` section: how the platform's model router reaches Acme's models.
pub fn vendor_llm() -> VendorLlm {
    def!(VendorLlm {
        provider: "acme",
        default_model: DEFAULT_MODEL,
        models: [
            def!(LlmModel {
                id: "acme-large",
                name: "Acme Large",
                context_window: 200_000,
                max_output_tokens: 8_192,
                pricing: pricing(3.0, 15.0),
            }),
            def!(LlmModel {
                id: "acme-small",
                name: "Acme Small",
                context_window: 128_000,
                max_output_tokens: 4_096,
                pricing: pricing(0.25, 1.25),
            }),
        ],
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use sdk_authoring::testing::ScriptedHttp;

    use super::*;

    #[test]
    fn summarizes_with_the_default_model() {
        let http = Arc::new(ScriptedHttp::new().respond(
            "POST",
            "https://api.acme.example/v1/ai/summarize",
            200,
            r#"{ "summary": "Ada wrote the first program.", "model": "acme-large-2025-04",
                 "usage": { "inputTokens": 812, "outputTokens": 9 } }"#,
        ));
        let auth = Auth::ApiKey {
            api_key: "ak_123".into(),
        };
        let ctx = Context::new(auth, Execution::default()).with_http(HttpClient::new(http.clone()));

        let response = crate::vendor()
            .invoke(
                "acme:acme-ai:summarize",
                json!({ "text": "Ada Lovelace ...", "bulletPoints": true }),
                &ctx,
            )
            .unwrap();

        assert!(response.success, "{:?}", response.error);
        assert_eq!(response.output["usage"]["outputTokens"], 9);
        let body: serde_json::Value =
            serde_json::from_slice(http.requests()[0].body.as_deref().unwrap()).unwrap();
        assert_eq!(
            body,
            json!({
                "model": "acme-large",
                "text": "Ada Lovelace ...",
                "maxWords": 120,
                "style": "bullets",
            })
        );
    }

    #[test]
    fn runtimes_become_flags_and_model_metadata() {
        let ai = &crate::vendor().products[2];
        let capabilities = &ai.capabilities;
        assert!(capabilities.runtimes.llm && capabilities.runtimes.embedding);
        assert!(capabilities.webhooks && capabilities.discovery);
        assert_eq!(capabilities.capability_meta.llm_models.len(), 2);
        assert_eq!(
            capabilities.capability_meta.embedding_models[0].dimensions,
            Some(1536)
        );
    }
}
