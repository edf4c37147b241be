//! {{vendor_name}}: a chat bot. With a bot token (sent as `Authorization: Bot <token>`) it
//! posts messages to channels and threads and lists the channels it is a member of. One
//! product (`bot`), two tools and a block that posts a message.

use sdk_authoring::prelude::*;

/// The API every request goes to; its host is listed in `allowed_hosts`.
const API_BASE: &str = "https://api.chat.example/v1";

/// The chat API refuses longer messages.
const MAX_MESSAGE_CHARS: usize = 4000;

/// The `Authorization` header value for a bot token (the credential's `header_prefix`).
fn bot_authorization(ctx: &Context) -> Result<String, ToolError> {
    Ok(format!("Bot {}", require_bot_token(&ctx.auth)?))
}

/// Input of `send-message`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SendMessageInput {
    /// The channel to post in, e.g. `C024BE91L`; the bot must be a member.
    pub channel_id: String,
    /// The message, in Markdown (up to 4000 characters).
    pub text: String,
    /// Reply in this thread (the id of its first message) instead of the channel.
    pub thread_id: Option<String>,
}

/// The body of `POST /v1/channels/{id}/messages`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NewMessage<'a> {
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    thread_id: Option<&'a str>,
}

/// Output of `send-message`: the posted message as the API returns it.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SendMessageOutput {
    /// The new message's id.
    pub id: String,
    /// The channel it was posted in.
    pub channel_id: String,
    /// When it was posted (RFC 3339).
    pub created_at: String,
    /// A link to the message.
    pub permalink: String,
}

/// Posts a message to a channel or thread.
pub fn send_message(input: SendMessageInput, ctx: &Context) -> ToolResult<SendMessageOutput> {
    let authorization = bot_authorization(ctx)?;
    let channel = input.channel_id.trim();
    if channel.is_empty() || !channel.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(ToolError::new(format!("{channel:?} is not a channel id")));
    }
    let length = input.text.chars().count();
    if input.text.trim().is_empty() || length > MAX_MESSAGE_CHARS {
        return Err(ToolError::new(format!(
            "a message has 1 to {MAX_MESSAGE_CHARS} characters; this one has {length}"
        )));
    }
    let body = NewMessage {
        text: &input.text,
        thread_id: input.thread_id.as_deref(),
    };
    let response = ctx
        .http()
        .post(format!("{API_BASE}/channels/{channel}/messages"))
        .header("Authorization", authorization)
        .json(&body)
        .send()?
        .error_for_status()?;
    let message: SendMessageOutput = response.json()?;
    ctx.logger.info(format!("posted message {}", message.id));
    Ok(ToolResponse::ok(message))
}

/// Input of `list-channels`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListChannelsInput {
    /// Include archived channels (default: active channels only).
    #[serde(default)]
    pub include_archived: bool,
}

/// A channel the bot is a member of.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Channel {
    /// The channel's id, e.g. `C024BE91L`.
    pub id: String,
    /// Its name without the leading `#`.
    pub name: String,
    /// Whether only invited members see it.
    #[serde(default)]
    pub private: bool,
}

/// `GET /v1/channels` as the API returns it.
#[derive(Deserialize)]
struct ChannelList {
    channels: Vec<Channel>,
}

/// Output of `list-channels`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ListChannelsOutput {
    /// The channels, by name.
    pub channels: Vec<Channel>,
}

/// Lists the channels the bot can post in.
pub fn list_channels(input: ListChannelsInput, ctx: &Context) -> ToolResult<ListChannelsOutput> {
    let authorization = bot_authorization(ctx)?;
    let archived = if input.include_archived {
        "true"
    } else {
        "false"
    };
    let response = ctx
        .http()
        .get(format!("{API_BASE}/channels"))
        .header("Authorization", authorization)
        .query(&[("member", "true"), ("archived", archived)])
        .send()?
        .error_for_status()?;
    let list: ChannelList = response.json()?;
    Ok(ToolResponse::ok(ListChannelsOutput {
        channels: list.channels,
    }))
}

define_vendor! {
    id: "{{vendor_id}}",
    name: "{{vendor_name}}",
    version: "0.1.0",
    description: "A chat bot that posts messages to your channels",
    color: "#5865F2",
    icon: include_str!("../assets/icon.svg"),
    categories: ["communication"],
    connectivity: Connectivity::Cloud,
    allowed_hosts: ["api.chat.example"],
    auth: auth! {
        credentials: [("botToken", bot_token! {
            label: "Bot Token",
            description: "The token of your bot, from the chat app's developer portal",
            header_name: "Authorization",
            header_prefix: "Bot",
        })],
        default: "botToken",
    },
    products: [define_product! {
        id: "bot",
        name: "Bot",
        description: "Post messages as your bot",
        credential_ref: "botToken",
        capabilities: capabilities! {
            tools: [
                define_tool! {
                    id: "send-message",
                    name: "Send Message",
                    version: "0.1.0",
                    description: "Posts a Markdown message to a channel, or replies in a thread",
                    params: [
                        ("channelId", param! {
                            kind: "string",
                            required: true,
                            visibility: Visibility::UserOnly,
                        }),
                        ("text", param! {
                            kind: "string",
                            required: true,
                            visibility: Visibility::UserOrLlm,
                        }),
                        ("threadId", param! { kind: "string", visibility: Visibility::UserOrLlm }),
                    ],
                    execute: send_message,
                },
                define_tool! {
                    id: "list-channels",
                    name: "List Channels",
                    version: "0.1.0",
                    description: "Lists the channels the bot is a member of",
                    params: [(
                        "includeArchived",
                        param! { kind: "boolean", default: false, visibility: Visibility::UserOnly },
                    )],
                    execute: list_channels,
                },
            ],
        },
        block: define_block! {
            kind: "{{block_prefix}}_message",
            name: "{{vendor_name}} Message",
            description: "Post a message as your bot",
            bg_color: "#5865F2",
            auth_mode: "botToken",
            sub_blocks: [
                sub_block! {
                    id: "channelId",
                    title: "Channel",
                    kind: SubBlockType::Combobox,
                    required: true,
                    description: "Pick a channel the bot is in, or paste a channel id",
                    fetch_options: "list-channels",
                },
                sub_block! {
                    id: "text",
                    title: "Message",
                    kind: SubBlockType::LongInput,
                    required: true,
                    placeholder: "Deploy of **api** finished in 4m 12s",
                },
                sub_block! {
                    id: "threadId",
                    title: "Reply in thread",
                    kind: SubBlockType::ShortInput,
                    placeholder: "Message id of the thread's first message",
                },
            ],
            tools: block_tools! { access: ["send-message"] },
            outputs: [
                ("id", ("string", "The posted message's id")),
                ("permalink", ("string", "A link to the message")),
            ],
        },
    }],
}
