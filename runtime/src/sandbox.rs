//! A loaded vendor with its manifest: the unit a platform (or `integrations test|run`) calls
//! tools on. Inputs are checked against the tool's input schema before the vendor runs, and
//! successful outputs against its output schema after, so a vendor cannot hand downstream
//! blocks data its manifest does not promise.

use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

use serde::Serialize;
use serde_json::{Map, Value};

use sdk_authoring::{Auth, Execution, Manifest};

use crate::host::Redactor;
use crate::{CallContext, Invocation, LoadedVendor, Runtime, RuntimeError};

/// What the host tells the vendor about one invocation (the guest's `Context`).
#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContextPayload {
    pub auth: Auth,
    pub execution: Execution,
    pub secrets: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile_config: Option<Map<String, Value>>,
}

impl ContextPayload {
    /// Every secret and credential value, for redaction.
    pub fn sensitive_values(&self) -> Vec<String> {
        let mut values: Vec<String> = self.secrets.values().cloned().collect();
        match &self.auth {
            Auth::OAuth {
                access_token,
                refresh_token,
                ..
            } => {
                values.push(access_token.clone());
                values.extend(refresh_token.clone());
            }
            Auth::ApiKey { api_key } => values.push(api_key.clone()),
            Auth::BasicAuth { password, .. } => values.push(password.clone()),
            Auth::BotToken { bot_token } => values.push(bot_token.clone()),
            Auth::None => {}
        }
        values
    }
}

struct ToolSchemas {
    input: jsonschema::Validator,
    output: jsonschema::Validator,
}

/// A vendor ready to run: runtime, compiled component, manifest and schema validators.
pub struct Sandbox {
    runtime: Runtime,
    vendor: LoadedVendor,
    manifest: Manifest,
    schemas: HashMap<String, ToolSchemas>,
}

fn schema_errors(validator: &jsonschema::Validator, value: &Value) -> Option<String> {
    let errors: Vec<String> = validator
        .iter_errors(value)
        .take(5)
        .map(|error| {
            let path = error.instance_path().to_string();
            if path.is_empty() {
                error.to_string()
            } else {
                format!("{path}: {error}")
            }
        })
        .collect();
    (!errors.is_empty()).then(|| errors.join("; "))
}

impl Sandbox {
    /// Loads the component, extracts its manifest and compiles every tool's schemas.
    pub fn new(runtime: Runtime, wasm: &[u8]) -> Result<Sandbox, RuntimeError> {
        let vendor = runtime.load(wasm)?;
        let manifest = runtime.extract_manifest(&vendor)?.manifest;
        let mut schemas = HashMap::new();
        for tool in manifest.products.iter().flat_map(|p| &p.capabilities.tools) {
            let compile = |schema: &Value| {
                jsonschema::validator_for(schema).map_err(|error| {
                    RuntimeError::InvalidResponse(format!(
                        "tool {} has an invalid schema: {error}",
                        tool.id
                    ))
                })
            };
            schemas.insert(
                tool.id.clone(),
                ToolSchemas {
                    input: compile(&tool.input)?,
                    output: compile(&tool.output)?,
                },
            );
        }
        Ok(Sandbox {
            runtime,
            vendor,
            manifest,
            schemas,
        })
    }

    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    pub fn runtime(&self) -> &Runtime {
        &self.runtime
    }

    pub fn vendor(&self) -> &LoadedVendor {
        &self.vendor
    }

    /// A tool's fully qualified id from a short (`say-hello`) or full id, when it exists.
    pub fn resolve_tool_id(&self, id: &str) -> Option<String> {
        let tools = || {
            self.manifest
                .products
                .iter()
                .flat_map(|p| &p.capabilities.tools)
        };
        if let Some(tool) = tools().find(|t| t.id == id) {
            return Some(tool.id.clone());
        }
        let mut matches = tools().filter(|t| t.id.rsplit(':').next() == Some(id));
        match (matches.next(), matches.next()) {
            (Some(tool), None) => Some(tool.id.clone()),
            _ => None,
        }
    }

    /// Runs a tool: input checked, fresh sandbox, output checked.
    pub fn call(
        &self,
        tool_id: &str,
        input: &Value,
        context: &ContextPayload,
        http: &CallContext,
    ) -> Invocation {
        let started = Instant::now();
        let rejected = |error| Invocation {
            outcome: Err(error),
            logs: Vec::new(),
            http_requests: 0,
            duration: started.elapsed(),
            fuel_consumed: None,
        };
        let Some(schemas) = self.schemas.get(tool_id) else {
            return rejected(RuntimeError::UnknownTool(tool_id.to_owned()));
        };
        if let Some(errors) = schema_errors(&schemas.input, input) {
            return rejected(RuntimeError::InvalidInput(errors));
        }
        let mut call = http.clone();
        call.redact.extend(context.sensitive_values());
        let context_json = serde_json::to_string(context).expect("a context serializes");
        let mut invocation = self.runtime.invoke(
            &self.vendor,
            tool_id,
            &input.to_string(),
            &context_json,
            &call,
        );
        if let Ok(response) = &mut invocation.outcome
            && let Some(error) = &response.error
        {
            response.error = Some(Redactor::new(call.redact.iter().cloned()).redact(error));
        }
        if let Ok(response) = &invocation.outcome
            && response.success
            && let Some(errors) = schema_errors(&schemas.output, &response.output)
        {
            invocation.outcome = Err(RuntimeError::OutputSchema(errors));
        }
        invocation
    }
}
