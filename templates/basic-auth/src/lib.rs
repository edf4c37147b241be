//! {{vendor_name}}: builds on a self-hosted CI server, authenticated with HTTP basic auth (a
//! user name and a password or API token). Each organization runs its own server, so its
//! address is the `baseUrl` config field; the host of a `url`-typed config field is allowed
//! for the call, so `allowed_hosts` stays empty.

use sdk_authoring::prelude::*;
use serde_json::{Map, Value};

/// The server's address, from the integration profile's `baseUrl`, without a trailing `/`.
fn base_url(ctx: &Context) -> Result<&str, ToolError> {
    ctx.profile_config
        .as_ref()
        .and_then(|config| config.get("baseUrl"))
        .and_then(Value::as_str)
        .map(|url| url.trim().trim_end_matches('/'))
        .filter(|url| !url.is_empty())
        .ok_or_else(|| {
            ToolError::new(
                "the CI server's address is not configured: set baseUrl in the integration \
                 profile, e.g. https://ci.example.com",
            )
        })
}

/// `Authorization: Basic base64(user:password)` (RFC 7617).
fn basic_authorization(ctx: &Context) -> Result<String, ToolError> {
    let credentials = require_basic_auth(&ctx.auth)?;
    let user_pass = format!("{}:{}", credentials.username, credentials.password);
    Ok(format!("Basic {}", base64(user_pass.as_bytes())))
}

/// Standard base64 with padding: enough for basic auth without another dependency.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let mut n = 0u32;
        for (i, byte) in chunk.iter().enumerate() {
            n |= u32::from(*byte) << (16 - 8 * i);
        }
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A job name as it goes into the URL path: letters, digits, '-' and '_'.
fn job_name(job: &str) -> Result<&str, ToolError> {
    let job = job.trim();
    if !job.is_empty()
        && job
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_".contains(c))
    {
        Ok(job)
    } else {
        Err(ToolError::new(format!("{job:?} is not a job name")))
    }
}

/// A build as the server returns it.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Build {
    /// The job the build belongs to.
    pub job: String,
    /// The build number within the job.
    pub number: u32,
    /// `queued`, `running`, `succeeded`, `failed` or `cancelled`.
    pub status: String,
    /// How long it ran, once it has finished.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_seconds: Option<u32>,
    /// The build's page on the server.
    pub url: String,
}

fn default_branch() -> String {
    "main".to_owned()
}

/// Input of `start-build`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct StartBuildInput {
    /// The job to run, e.g. `api-deploy`.
    pub job: String,
    /// The branch to build (default `main`).
    #[serde(default = "default_branch")]
    pub branch: String,
    /// Build parameters, e.g. `{"ENVIRONMENT": "staging"}`.
    #[serde(default)]
    pub parameters: Map<String, Value>,
}

/// Output of both tools.
#[derive(Debug, Serialize, JsonSchema)]
pub struct BuildOutput {
    /// The build.
    pub build: Build,
}

/// Queues a build of a job.
pub fn start_build(input: StartBuildInput, ctx: &Context) -> ToolResult<BuildOutput> {
    let authorization = basic_authorization(ctx)?;
    let job = job_name(&input.job)?;
    let body = serde_json::json!({ "branch": input.branch, "parameters": input.parameters });
    let response = ctx
        .http()
        .post(format!("{}/api/v1/jobs/{job}/builds", base_url(ctx)?))
        .header("Authorization", authorization)
        .json(&body)
        .send()?
        .error_for_status()?;
    let build: Build = response.json()?;
    ctx.logger.info(format!("queued {job} #{}", build.number));
    Ok(ToolResponse::ok(BuildOutput { build }))
}

/// Input of `get-build`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GetBuildInput {
    /// The job, e.g. `api-deploy`.
    pub job: String,
    /// The build number, as `start-build` returned it.
    pub number: u32,
}

/// Reads the status of a build.
pub fn get_build(input: GetBuildInput, ctx: &Context) -> ToolResult<BuildOutput> {
    let authorization = basic_authorization(ctx)?;
    let job = job_name(&input.job)?;
    let response = ctx
        .http()
        .get(format!(
            "{}/api/v1/jobs/{job}/builds/{}",
            base_url(ctx)?,
            input.number
        ))
        .header("Authorization", authorization)
        .send()?
        .error_for_status()?;
    let build: Build = response.json()?;
    Ok(ToolResponse::ok(BuildOutput { build }))
}

define_vendor! {
    id: "{{vendor_id}}",
    name: "{{vendor_name}}",
    version: "0.1.0",
    description: "Start builds and follow them on your CI server",
    color: "#EA580C",
    icon: include_str!("../assets/icon.svg"),
    categories: ["devops"],
    connectivity: Connectivity::Hybrid,
    auth: auth! {
        credentials: [("basicAuth", basic_auth! {
            label: "CI Server Login",
            description: "A user of the CI server; use an API token as the password",
            username_label: "User name",
            password_label: "API token",
        })],
        default: "basicAuth",
    },
    config_fields: [def!(ConfigField {
        key: "baseUrl",
        label: "Server URL",
        placeholder: "https://ci.example.com",
        description: "The address of your CI server",
        required: true,
        kind: "url",
    })],
    products: [define_product! {
        id: "builds",
        name: "Builds",
        description: "Queue builds and read their status",
        credential_ref: "basicAuth",
        capabilities: capabilities! {
            tools: [
                define_tool! {
                    id: "start-build",
                    name: "Start Build",
                    version: "0.1.0",
                    description: "Queues a build of a job on a branch, with optional parameters",
                    params: [
                        ("job", param! {
                            kind: "string",
                            required: true,
                            visibility: Visibility::UserOnly,
                        }),
                        ("branch", param! {
                            kind: "string",
                            default: "main",
                            visibility: Visibility::UserOrLlm,
                        }),
                        ("parameters", param! { kind: "object", visibility: Visibility::UserOrLlm }),
                    ],
                    execute: start_build,
                },
                define_tool! {
                    id: "get-build",
                    name: "Get Build",
                    version: "0.1.0",
                    description: "Reads a build's status and duration",
                    params: [
                        ("job", param! {
                            kind: "string",
                            required: true,
                            visibility: Visibility::UserOrLlm,
                        }),
                        ("number", param! {
                            kind: "integer",
                            required: true,
                            visibility: Visibility::UserOrLlm,
                        }),
                    ],
                    execute: get_build,
                },
            ],
        },
        block: define_block! {
            kind: "{{block_prefix}}_build",
            name: "{{vendor_name}} Build",
            description: "Start a build on your CI server",
            bg_color: "#EA580C",
            auth_mode: "basicAuth",
            sub_blocks: [
                sub_block! {
                    id: "job",
                    title: "Job",
                    kind: SubBlockType::ShortInput,
                    layout: Layout::Half,
                    required: true,
                    placeholder: "api-deploy",
                },
                sub_block! {
                    id: "branch",
                    title: "Branch",
                    kind: SubBlockType::ShortInput,
                    layout: Layout::Half,
                    default_value: "main",
                },
                sub_block! {
                    id: "parameters",
                    title: "Parameters",
                    kind: SubBlockType::Code,
                    mode: "json",
                    placeholder: "{\n  \"ENVIRONMENT\": \"staging\"\n}",
                },
            ],
            tools: block_tools! { access: ["start-build"] },
            outputs: [("build", ("json", "The queued build: number, status and URL"))],
        },
    }],
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_matches_rfc_7617() {
        assert_eq!(
            super::base64(b"Aladdin:open sesame"),
            "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
        assert_eq!(super::base64(b"ab"), "YWI=");
        assert_eq!(super::base64(b""), "");
    }
}
