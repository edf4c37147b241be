//! The non-data half of a tool and a block: the `execute` function behind a [`crate::Tool`]
//! and the tool selector behind a block's `tools`.
//!
//! A [`Handler`] erases the tool's input and output types: it takes the input as JSON,
//! deserializes it into the type `execute` declares, and serializes the output back. The
//! same types give the tool's JSON Schemas (`input`, `output` in the manifest).

use std::fmt;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::context::{Context, ToolResponse, ToolResult};
use crate::field::IntoField;

type ErasedExecute =
    dyn Fn(Value, &Context) -> Result<ToolResponse<Value>, InvokeError> + Send + Sync;

/// A tool's `execute` function with its input and output types erased.
#[derive(Clone)]
pub struct Handler {
    execute: Arc<ErasedExecute>,
    input_schema: fn() -> Value,
    output_schema: fn() -> Value,
}

/// Why a tool could not run at all (as opposed to running and failing).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InvokeError {
    #[error("unknown tool `{0}`")]
    UnknownTool(String),
    #[error("invalid input: {0}")]
    InvalidInput(String),
    #[error("invalid context: {0}")]
    InvalidContext(String),
}

fn schema_of<T: JsonSchema>() -> Value {
    schemars::schema_for!(T).to_value()
}

impl Handler {
    /// Wraps a typed `execute` function.
    pub fn new<I, O, F>(execute: F) -> Handler
    where
        I: DeserializeOwned + JsonSchema + 'static,
        O: Serialize + JsonSchema + 'static,
        F: Fn(I, &Context) -> ToolResult<O> + Send + Sync + 'static,
    {
        let execute = move |input: Value, ctx: &Context| {
            let input: I = serde_json::from_value(input)
                .map_err(|error| InvokeError::InvalidInput(error.to_string()))?;
            Ok(match execute(input, ctx) {
                Ok(response) => ToolResponse {
                    output: serde_json::to_value(&response.output).unwrap_or(Value::Null),
                    success: response.success,
                    error: response.error,
                    retryable: response.retryable,
                    metadata: response.metadata,
                },
                Err(error) => ToolResponse {
                    success: false,
                    output: Value::Null,
                    error: Some(error.message),
                    retryable: error.retryable,
                    metadata: Map::new(),
                },
            })
        };
        Handler {
            execute: Arc::new(execute),
            input_schema: schema_of::<I>,
            output_schema: schema_of::<O>,
        }
    }

    /// Runs the tool on a JSON input.
    pub fn call(&self, input: Value, ctx: &Context) -> Result<ToolResponse<Value>, InvokeError> {
        (self.execute)(input, ctx)
    }

    /// JSON Schema of the input type.
    pub fn input_schema(&self) -> Value {
        (self.input_schema)()
    }

    /// JSON Schema of the output type.
    pub fn output_schema(&self) -> Value {
        (self.output_schema)()
    }
}

impl fmt::Debug for Handler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Handler")
    }
}

/// Marks the `IntoField` impl that turns a function into a [`Handler`]; it carries the
/// function's input and output types so that they can be inferred.
pub struct FnMarker<I, O>(std::marker::PhantomData<(I, O)>);

impl<I, O, F> IntoField<Handler, FnMarker<I, O>> for F
where
    I: DeserializeOwned + JsonSchema + 'static,
    O: Serialize + JsonSchema + 'static,
    F: Fn(I, &Context) -> ToolResult<O> + Send + Sync + 'static,
{
    fn into_field(self) -> Handler {
        Handler::new(self)
    }
}

impl<I, O, F> IntoField<Option<Handler>, FnMarker<I, O>> for F
where
    I: DeserializeOwned + JsonSchema + 'static,
    O: Serialize + JsonSchema + 'static,
    F: Fn(I, &Context) -> ToolResult<O> + Send + Sync + 'static,
{
    fn into_field(self) -> Option<Handler> {
        Some(Handler::new(self))
    }
}

/// Picks the tool a block runs from its sub-block values: returns a tool id (short or fully
/// qualified), e.g. `format!("{}-contact", params["operation"])`.
#[derive(Clone)]
pub struct ToolSelector(Arc<SelectFn>);

type SelectFn = dyn Fn(&Map<String, Value>) -> String + Send + Sync;

impl ToolSelector {
    pub fn new(select: impl Fn(&Map<String, Value>) -> String + Send + Sync + 'static) -> Self {
        ToolSelector(Arc::new(select))
    }

    pub fn select(&self, params: &Map<String, Value>) -> String {
        (self.0)(params)
    }
}

impl fmt::Debug for ToolSelector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ToolSelector")
    }
}

/// Marks the `IntoField` impl that turns a closure into a [`ToolSelector`].
pub struct SelectorMarker;

impl<F> IntoField<Option<ToolSelector>, SelectorMarker> for F
where
    F: Fn(&Map<String, Value>) -> String + Send + Sync + 'static,
{
    fn into_field(self) -> Option<ToolSelector> {
        Some(ToolSelector::new(self))
    }
}
