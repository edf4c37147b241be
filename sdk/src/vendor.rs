//! What `define_vendor!` does once the author's values are in: qualify ids, fold capability
//! runtimes into manifest flags, and dispatch invocations and block tool selection.

use serde_json::{Map, Value};

use crate::capability::CapabilityKind;
use crate::context::{Context, ToolResponse};
use crate::model::{Block, BlockTools, Product, Tool, TriggerBlock, Vendor};
use crate::tool::InvokeError;

/// `{vendor}:{product}:{action}` for a short id; a full id (with `:`) is kept as written so
/// validation can report a prefix that does not match.
pub fn qualify_tool_id(vendor_id: &str, product_id: &str, id: &str) -> String {
    if id.contains(':') {
        id.to_owned()
    } else {
        format!("{vendor_id}:{product_id}:{id}")
    }
}

impl Tool {
    /// Fills `input` and `output` with the JSON Schemas of the `execute` function's types.
    /// [`Vendor::manifest`] does this; invocations never pay for schema generation.
    pub fn with_schemas(mut self) -> Tool {
        if let Some(handler) = &self.execute {
            self.input = handler.input_schema();
            self.output = handler.output_schema();
        }
        self
    }
}

impl Block {
    /// Sets `category` to `integration` when the author left it empty.
    pub fn with_default_category(mut self) -> Block {
        if self.category.is_empty() {
            self.category = "integration".to_owned();
        }
        self
    }
}

impl TriggerBlock {
    /// Sets `category` to `trigger`, as the reference says trigger blocks always are.
    pub fn with_trigger_category(mut self) -> TriggerBlock {
        self.category = "trigger".to_owned();
        self
    }
}

fn qualify_access(tools: &mut Option<BlockTools>, vendor_id: &str, product_id: &str) {
    if let Some(tools) = tools {
        for id in &mut tools.access {
            *id = qualify_tool_id(vendor_id, product_id, id);
        }
    }
}

impl Vendor {
    /// Qualifies short tool ids (tools, block `tools.access`, polling tools) and turns
    /// capability values into manifest flags and `capabilityMeta`.
    pub fn finalize(mut self) -> Vendor {
        let vendor_id = self.id.clone();
        for product in &mut self.products {
            let product_id = product.id.clone();
            let capabilities = &mut product.capabilities;
            for tool in &mut capabilities.tools {
                tool.id = qualify_tool_id(&vendor_id, &product_id, &tool.id);
            }
            if let Some(block) = &mut product.block {
                qualify_access(&mut block.tools, &vendor_id, &product_id);
            }
            for trigger in &mut capabilities.triggers {
                qualify_access(&mut trigger.tools, &vendor_id, &product_id);
                if let Some(polling) = &mut trigger.runtime.polling {
                    polling.tool = qualify_tool_id(&vendor_id, &product_id, &polling.tool);
                }
            }
            capabilities.capability_meta = capabilities.runtimes.capability_meta();
            capabilities.webhooks |= capabilities.runtimes.declares(CapabilityKind::Webhook);
            capabilities.discovery |= capabilities.runtimes.declares(CapabilityKind::Discovery);
        }
        self
    }

    /// The tool with this fully qualified id.
    pub fn tool(&self, tool_id: &str) -> Option<&Tool> {
        self.products
            .iter()
            .flat_map(|product| &product.capabilities.tools)
            .find(|tool| tool.id == tool_id)
    }

    /// Runs a tool on a JSON input.
    pub fn invoke(
        &self,
        tool_id: &str,
        input: Value,
        ctx: &Context,
    ) -> Result<ToolResponse<Value>, InvokeError> {
        let handler = self
            .tool(tool_id)
            .and_then(|tool| tool.execute.as_ref())
            .ok_or_else(|| InvokeError::UnknownTool(tool_id.to_owned()))?;
        handler.call(input, ctx)
    }

    /// The fully qualified id of the tool a block (regular or trigger) runs for these
    /// sub-block values.
    pub fn select_tool(
        &self,
        block_type: &str,
        params: &Map<String, Value>,
    ) -> Result<String, String> {
        let (product, tools) = self
            .products
            .iter()
            .find_map(|product| block_tools(product, block_type).map(|tools| (product, tools)))
            .ok_or_else(|| format!("no block of type `{block_type}`"))?;
        let chosen = match (&tools.select, tools.access.as_slice()) {
            (Some(select), _) => qualify_tool_id(&self.id, &product.id, &select.select(params)),
            (None, [only]) => only.clone(),
            (None, access) => {
                return Err(format!(
                    "block `{block_type}` can run {} tools but has no `select` function",
                    access.len()
                ));
            }
        };
        if tools.access.contains(&chosen) {
            Ok(chosen)
        } else {
            Err(format!(
                "block `{block_type}` selected `{chosen}`, which is not in its tools.access"
            ))
        }
    }
}

fn block_tools<'a>(product: &'a Product, block_type: &str) -> Option<&'a BlockTools> {
    let block = product
        .block
        .as_ref()
        .filter(|block| block.kind == block_type)
        .and_then(|block| block.tools.as_ref());
    block.or_else(|| {
        product
            .capabilities
            .triggers
            .iter()
            .find(|trigger| trigger.kind == block_type)
            .and_then(|trigger| trigger.tools.as_ref())
    })
}
