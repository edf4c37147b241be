//! `sdk-authoring integrations schema`: print the JSON Schema of `manifest.json`.

use clap::Args;

/// Print the JSON Schema of manifest.json (manifestVersion 1), generated from the SDK's model.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  sdk-authoring integrations schema > manifest.schema.json")]
pub struct SchemaArgs {}

pub fn run(_args: &SchemaArgs) -> i32 {
    let schema = sdk_authoring::Manifest::json_schema();
    println!(
        "{}",
        serde_json::to_string_pretty(&schema).unwrap_or_default()
    );
    0
}
