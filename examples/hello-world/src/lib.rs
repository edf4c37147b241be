//! Hello World: the smallest complete vendor. No auth, one product with one tool
//! (`hello-world:hello-world:say-hello`) and the block that runs it.

use sdk_authoring::prelude::*;

/// Input of `say-hello`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct SayHelloInput {
    /// Who to greet.
    pub name: String,
}

/// Output of `say-hello`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct SayHelloOutput {
    /// The greeting.
    pub message: String,
}

/// Greets someone by name.
pub fn say_hello(input: SayHelloInput, ctx: &Context) -> ToolResult<SayHelloOutput> {
    ctx.logger.info(format!("greeting {}", input.name));
    Ok(ToolResponse::ok(SayHelloOutput {
        message: format!("Hello, {}!", input.name),
    }))
}

define_vendor! {
    id: "hello-world",
    name: "Hello World",
    version: "1.0.0",
    description: "Says hello. The smallest complete sdk-authoring vendor.",
    color: "#4F46E5",
    icon: include_str!("../assets/icon.svg"),
    categories: ["tools"],
    connectivity: Connectivity::Local,
    auth: auth! {
        credentials: [("none", Credential::None)],
        default: "none",
    },
    products: [define_product! {
        id: "hello-world",
        name: "Hello World",
        description: "Greetings on demand",
        capabilities: capabilities! {
            tools: [define_tool! {
                id: "say-hello",
                name: "Say Hello",
                version: "1.0.0",
                description: "Greets someone by name",
                params: [(
                    "name",
                    param! { kind: "string", required: true, visibility: Visibility::UserOrLlm },
                )],
                execute: say_hello,
            }],
        },
        block: define_block! {
            kind: "hello_world",
            name: "Hello World",
            description: "Say hello to someone",
            bg_color: "#4F46E5",
            auth_mode: "none",
            sub_blocks: [sub_block! {
                id: "name",
                title: "Name",
                kind: SubBlockType::ShortInput,
                placeholder: "Ada",
                required: true,
            }],
            tools: block_tools! { access: ["say-hello"] },
            outputs: [("message", ("string", "The greeting"))],
        },
    }],
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greets_by_name() {
        let ctx = Context::new(Auth::None, Execution::default());
        let response = vendor()
            .invoke(
                "hello-world:hello-world:say-hello",
                serde_json::json!({ "name": "Ada" }),
                &ctx,
            )
            .unwrap();
        assert!(response.success);
        assert_eq!(response.output["message"], "Hello, Ada!");
    }
}
