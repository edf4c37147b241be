//! {{vendor_name}}: tasks in a task-manager API, authenticated with OAuth 2.0. The
//! authorization code flow uses PKCE, the provider rotates refresh tokens, and the `tasks`
//! product asks for the two scopes its tools need. The platform runs the flow and refreshes
//! tokens; a tool only sends the access token it is given.

use sdk_authoring::prelude::*;
use serde_json::{Map, Value};

/// The API every request goes to; its host is listed in `allowed_hosts`. The hosts of the
/// OAuth URLs are allowed implicitly.
const API_BASE: &str = "https://api.tasks.example/v1";

/// The scopes the `tasks` product needs (a subset of the credential's `scopes`).
const TASK_SCOPES: [&str; 2] = ["tasks.read", "tasks.write"];

/// A task as the API returns it.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Task {
    /// The task's id, e.g. `t_81ka`.
    pub id: String,
    /// The project the task belongs to.
    pub project_id: String,
    /// What needs doing.
    pub title: String,
    /// Details, in Markdown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Due date (`YYYY-MM-DD`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_date: Option<String>,
    /// Whether the task is done.
    #[serde(default)]
    pub completed: bool,
}

fn default_limit() -> u32 {
    50
}

/// Input of `list-tasks`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListTasksInput {
    /// The project whose tasks to list, e.g. `p_launch`.
    pub project_id: String,
    /// Include completed tasks (default: open tasks only).
    #[serde(default)]
    pub include_completed: bool,
    /// How many tasks to return at most (1-100).
    #[serde(default = "default_limit")]
    #[schemars(range(min = 1, max = 100))]
    pub limit: u32,
}

/// `GET /v1/tasks` as the API returns it.
#[derive(Deserialize)]
struct TaskPage {
    data: Vec<Task>,
}

/// Output of `list-tasks`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ListTasksOutput {
    /// The tasks, by due date.
    pub tasks: Vec<Task>,
}

/// Lists the tasks of a project.
pub fn list_tasks(input: ListTasksInput, ctx: &Context) -> ToolResult<ListTasksOutput> {
    let token = require_oauth_token(&ctx.auth)?;
    let limit = input.limit.clamp(1, 100).to_string();
    let mut query = vec![
        ("projectId", input.project_id.trim()),
        ("limit", limit.as_str()),
    ];
    if input.include_completed {
        query.push(("includeCompleted", "true"));
    }
    let response = ctx
        .http()
        .get(format!("{API_BASE}/tasks"))
        .bearer(token)
        .query(&query)
        .send()?
        .error_for_status()?;
    let page: TaskPage = response.json()?;
    ctx.logger.info(format!("listed {} tasks", page.data.len()));
    Ok(ToolResponse::ok(ListTasksOutput { tasks: page.data }))
}

/// Input of `create-task`; also the body of `POST /v1/tasks`.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateTaskInput {
    /// The project to add the task to, e.g. `p_launch`.
    pub project_id: String,
    /// What needs doing.
    pub title: String,
    /// Details, in Markdown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Due date as `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_date: Option<String>,
}

/// Output of `create-task`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CreateTaskOutput {
    /// The task as stored.
    pub task: Task,
}

/// Adds a task to a project.
pub fn create_task(input: CreateTaskInput, ctx: &Context) -> ToolResult<CreateTaskOutput> {
    let token = require_oauth_token(&ctx.auth)?;
    if input.title.trim().is_empty() {
        return Err(ToolError::new("a task needs a title"));
    }
    let response = ctx
        .http()
        .post(format!("{API_BASE}/tasks"))
        .bearer(token)
        .json(&input)
        .send()?
        .error_for_status()?;
    let task: Task = response.json()?;
    ctx.logger.info(format!("created task {}", task.id));
    Ok(ToolResponse::ok(CreateTaskOutput { task }))
}

define_vendor! {
    id: "{{vendor_id}}",
    name: "{{vendor_name}}",
    version: "0.1.0",
    description: "List and create tasks in your projects",
    color: "#DB2777",
    icon: include_str!("../assets/icon.svg"),
    categories: ["productivity"],
    connectivity: Connectivity::Cloud,
    allowed_hosts: ["api.tasks.example"],
    auth: auth! {
        credentials: [("oauth", oauth! {
            label: "{{vendor_name}} Account",
            description: "Sign in to your task manager and allow access to your projects",
            authorization_url: "https://auth.tasks.example/oauth2/authorize",
            token_url: "https://auth.tasks.example/oauth2/token",
            scopes: ["offline_access", "tasks.read", "tasks.write"],
            pkce: true,
            supports_refresh_token_rotation: true,
        })],
        default: "oauth",
    },
    products: [define_product! {
        id: "tasks",
        name: "Tasks",
        description: "List a project's tasks and add new ones",
        credential_ref: "oauth",
        credential_scopes: TASK_SCOPES,
        capabilities: capabilities! {
            tools: [
                define_tool! {
                    id: "list-tasks",
                    name: "List Tasks",
                    version: "0.1.0",
                    description: "Lists the open (or all) tasks of a project",
                    params: [
                        ("projectId", param! {
                            kind: "string",
                            required: true,
                            visibility: Visibility::UserOrLlm,
                        }),
                        ("includeCompleted", param! {
                            kind: "boolean",
                            default: false,
                            visibility: Visibility::UserOrLlm,
                        }),
                        ("limit", param! {
                            kind: "integer",
                            default: 50,
                            visibility: Visibility::UserOnly,
                        }),
                    ],
                    execute: list_tasks,
                },
                define_tool! {
                    id: "create-task",
                    name: "Create Task",
                    version: "0.1.0",
                    description: "Adds a task to a project, with optional notes and due date",
                    params: [
                        ("projectId", param! {
                            kind: "string",
                            required: true,
                            visibility: Visibility::UserOrLlm,
                        }),
                        ("title", param! {
                            kind: "string",
                            required: true,
                            visibility: Visibility::UserOrLlm,
                        }),
                        ("notes", param! { kind: "string", visibility: Visibility::UserOrLlm }),
                        ("dueDate", param! {
                            kind: "string",
                            description: "YYYY-MM-DD",
                            visibility: Visibility::UserOrLlm,
                        }),
                    ],
                    execute: create_task,
                },
            ],
        },
        block: define_block! {
            kind: "{{block_prefix}}_tasks",
            name: "{{vendor_name}} Tasks",
            description: "List or create tasks",
            bg_color: "#DB2777",
            auth_mode: "oauth",
            sub_blocks: [
                sub_block! {
                    id: "credential",
                    title: "Account",
                    kind: SubBlockType::OauthInput,
                    required: true,
                    service_id: "{{vendor_id}}",
                    required_scopes: TASK_SCOPES,
                },
                sub_block! {
                    id: "operation",
                    title: "Operation",
                    kind: SubBlockType::Dropdown,
                    required: true,
                    default_value: "list",
                    options: [("List tasks", "list"), ("Create task", "create")],
                },
                sub_block! {
                    id: "projectId",
                    title: "Project ID",
                    kind: SubBlockType::ShortInput,
                    required: true,
                    placeholder: "p_launch",
                },
                sub_block! {
                    id: "includeCompleted",
                    title: "Include completed tasks",
                    kind: SubBlockType::Switch,
                    default_value: false,
                    condition: ("operation", "list"),
                },
                sub_block! {
                    id: "title",
                    title: "Title",
                    kind: SubBlockType::ShortInput,
                    required: true,
                    condition: ("operation", "create"),
                },
                sub_block! {
                    id: "dueDate",
                    title: "Due date",
                    kind: SubBlockType::ShortInput,
                    layout: Layout::Half,
                    placeholder: "2025-06-30",
                    condition: ("operation", "create"),
                },
                sub_block! {
                    id: "notes",
                    title: "Notes",
                    kind: SubBlockType::LongInput,
                    condition: ("operation", "create"),
                },
            ],
            tools: block_tools! {
                access: ["list-tasks", "create-task"],
                select: |params: &Map<String, Value>| {
                    match params.get("operation").and_then(Value::as_str) {
                        Some("create") => "create-task".to_owned(),
                        _ => "list-tasks".to_owned(),
                    }
                },
            },
            outputs: [
                ("tasks", ("json", "The listed tasks")),
                ("task", ("json", "The created task")),
            ],
        },
    }],
}
