//! {{vendor_name}}: a model provider with an OpenAI-compatible API. The `models` product
//! declares capability runtimes - chat models (`define_capability_llm!`) and an embedding
//! model (`define_capability_embedding!`) with their metadata - which the manifest carries as
//! `runtimes.llm`/`runtimes.embedding` and `capabilityMeta`, and the vendor's `llm` section
//! tells the platform's model router about the chat models.
//!
//! The `chat` tool calls `POST /v1/chat/completions` directly, so workflows and agents can
//! use the models as a step, and so the vendor can be tested today.

use sdk_authoring::prelude::*;
use serde_json::json;

/// The API every request goes to; its host is listed in `allowed_hosts`.
const API_BASE: &str = "https://api.models.example/v1";

/// The model `chat` uses unless told otherwise.
const DEFAULT_MODEL: &str = "chat-large";

/// Price list entry of a model, in US dollars per million tokens.
fn pricing(input_per_mtok: f64, output_per_mtok: f64) -> serde_json::Value {
    json!({ "inputPerMTok": input_per_mtok, "outputPerMTok": output_per_mtok, "currency": "USD" })
}

fn default_model() -> String {
    DEFAULT_MODEL.to_owned()
}

fn default_max_tokens() -> u32 {
    1024
}

/// Input of `chat`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChatInput {
    /// The user's message.
    pub prompt: String,
    /// Instructions that frame the answer, e.g. `Answer in one sentence.`
    pub system: Option<String>,
    /// `chat-large` (default) or `chat-small`.
    #[serde(default = "default_model")]
    pub model: String,
    /// Randomness from 0 (focused) to 2 (varied); the model's default when unset.
    #[schemars(range(min = 0.0, max = 2.0))]
    pub temperature: Option<f64>,
    /// Upper bound on the answer's length, in tokens.
    #[serde(default = "default_max_tokens")]
    #[schemars(range(min = 1, max = 8192))]
    pub max_tokens: u32,
}

/// One message of a chat completion request.
#[derive(Serialize)]
struct Message<'a> {
    role: &'static str,
    content: &'a str,
}

/// The body of `POST /v1/chat/completions` (OpenAI's field names).
#[derive(Serialize)]
struct ChatRequest<'a> {
    model: &'a str,
    messages: Vec<Message<'a>>,
    max_tokens: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    temperature: Option<f64>,
}

#[derive(Deserialize)]
struct ChatResponse {
    model: String,
    choices: Vec<Choice>,
    usage: ApiUsage,
}

#[derive(Deserialize)]
struct Choice {
    message: Reply,
    finish_reason: String,
}

#[derive(Deserialize)]
struct Reply {
    content: Option<String>,
}

#[derive(Deserialize)]
struct ApiUsage {
    prompt_tokens: u32,
    completion_tokens: u32,
}

/// Tokens a call consumed.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Usage {
    /// Tokens read (system prompt and prompt).
    pub input_tokens: u32,
    /// Tokens written.
    pub output_tokens: u32,
}

/// Output of `chat`.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChatOutput {
    /// The model's answer.
    pub text: String,
    /// The model that answered (a dated version, e.g. `chat-large-2025-04`).
    pub model: String,
    /// `stop` when the answer is complete, `length` when `maxTokens` cut it off.
    pub finish_reason: String,
    /// What the call consumed, for cost tracking.
    pub usage: Usage,
}

/// Answers a prompt with a chat model.
pub fn chat(input: ChatInput, ctx: &Context) -> ToolResult<ChatOutput> {
    let api_key = require_api_key(&ctx.auth)?;
    if input.prompt.trim().is_empty() {
        return Err(ToolError::new("the prompt is empty"));
    }
    let mut messages = Vec::new();
    if let Some(system) = input.system.as_deref().filter(|s| !s.trim().is_empty()) {
        messages.push(Message {
            role: "system",
            content: system,
        });
    }
    messages.push(Message {
        role: "user",
        content: &input.prompt,
    });
    let request = ChatRequest {
        model: &input.model,
        messages,
        max_tokens: input.max_tokens,
        temperature: input.temperature,
    };
    let response = ctx
        .http()
        .post(format!("{API_BASE}/chat/completions"))
        .bearer(api_key)
        .timeout_ms(120_000)
        .json(&request)
        .send()?
        .error_for_status()?;
    let completion: ChatResponse = response.json()?;
    let Some(choice) = completion.choices.into_iter().next() else {
        return Err(ToolError::new("the model returned no answer"));
    };
    if choice.finish_reason == "length" {
        ctx.logger.warn("the answer was cut off at maxTokens");
    }
    Ok(ToolResponse::ok(ChatOutput {
        text: choice.message.content.unwrap_or_default(),
        model: completion.model,
        finish_reason: choice.finish_reason,
        usage: Usage {
            input_tokens: completion.usage.prompt_tokens,
            output_tokens: completion.usage.completion_tokens,
        },
    }))
}

define_vendor! {
    id: "{{vendor_id}}",
    name: "{{vendor_name}}",
    version: "0.1.0",
    description: "Chat and embedding models behind an OpenAI-compatible API",
    color: "#111827",
    icon: include_str!("../assets/icon.svg"),
    categories: ["llm"],
    connectivity: Connectivity::Cloud,
    allowed_hosts: ["api.models.example"],
    auth: auth! {
        credentials: [("apiKey", api_key! {
            label: "API Key",
            description: "A key from the provider's console",
            header_name: "Authorization",
            header_prefix: "Bearer",
        })],
        default: "apiKey",
    },
    products: [define_product! {
        id: "models",
        name: "Models",
        description: "Chat and embedding models, and a chat step for workflows",
        credential_ref: "apiKey",
        capabilities: capabilities! {
            tools: [define_tool! {
                id: "chat",
                name: "Chat",
                version: "0.1.0",
                description: "Answers a prompt, optionally framed by a system prompt",
                params: [
                    ("prompt", param! {
                        kind: "string",
                        required: true,
                        visibility: Visibility::UserOrLlm,
                    }),
                    ("system", param! { kind: "string", visibility: Visibility::UserOnly }),
                    ("model", param! {
                        kind: "string",
                        default: DEFAULT_MODEL,
                        visibility: Visibility::UserOnly,
                    }),
                    ("temperature", param! { kind: "number", visibility: Visibility::UserOnly }),
                    ("maxTokens", param! {
                        kind: "integer",
                        default: 1024,
                        visibility: Visibility::UserOnly,
                    }),
                ],
                execute: chat,
            }],
            runtimes: [
                define_capability_llm! {
                    models: [
                        def!(ModelMeta {
                            id: "chat-large",
                            name: "Chat Large",
                            realtime: true,
                            pricing: pricing(2.5, 10.0),
                        }),
                        def!(ModelMeta {
                            id: "chat-small",
                            name: "Chat Small",
                            pricing: pricing(0.15, 0.6),
                        }),
                    ],
                },
                define_capability_embedding! {
                    models: [def!(ModelMeta {
                        id: "embed-small",
                        name: "Embed Small",
                        dimensions: 1024,
                        pricing: json!({ "inputPerMTok": 0.02, "currency": "USD" }),
                    })],
                },
            ],
        },
        block: define_block! {
            kind: "{{block_prefix}}_chat",
            name: "{{vendor_name}} Chat",
            description: "Ask a model",
            bg_color: "#111827",
            auth_mode: "apiKey",
            sub_blocks: [
                sub_block! {
                    id: "prompt",
                    title: "Prompt",
                    kind: SubBlockType::LongInput,
                    required: true,
                    placeholder: "Summarize this support ticket in two sentences: ...",
                },
                sub_block! {
                    id: "system",
                    title: "System prompt",
                    kind: SubBlockType::LongInput,
                    placeholder: "You are a concise assistant.",
                },
                sub_block! {
                    id: "model",
                    title: "Model",
                    kind: SubBlockType::Dropdown,
                    layout: Layout::Half,
                    default_value: DEFAULT_MODEL,
                    options: [("Chat Large", "chat-large"), ("Chat Small", "chat-small")],
                },
                sub_block! {
                    id: "temperature",
                    title: "Temperature",
                    kind: SubBlockType::Slider,
                    layout: Layout::Half,
                    min: 0,
                    max: 2,
                    step: 0.1,
                    default_value: 1,
                },
            ],
            tools: block_tools! { access: ["chat"] },
            outputs: [
                ("text", ("string", "The model's answer")),
                ("usage", ("json", "Input and output tokens")),
            ],
        },
    }],
    protocols: [def!(Protocol {
        id: "openai-chat",
        name: "OpenAI-compatible Chat Completions",
        version: "v1",
    })],
    llm: def!(VendorLlm {
        provider: "{{vendor_id}}",
        default_model: DEFAULT_MODEL,
        models: [
            def!(LlmModel {
                id: "chat-large",
                name: "Chat Large",
                context_window: 128_000,
                max_output_tokens: 8_192,
                pricing: pricing(2.5, 10.0),
            }),
            def!(LlmModel {
                id: "chat-small",
                name: "Chat Small",
                context_window: 128_000,
                max_output_tokens: 4_096,
                pricing: pricing(0.15, 0.6),
            }),
        ],
    }),
}
