//! `manifest.json` (`manifestVersion: 1`): the JSON snapshot of a vendor a platform reads at
//! boot, with no executable code. Built in the guest by [`Vendor::manifest`], parsed on the
//! host by [`Manifest::from_json`], checked by `validate::validate_manifest` (feature `host`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::{
    AuthConfig, ConfigField, Connectivity, Product, Protocol, Secret, Tool, Vendor, VendorLlm,
};

/// The only manifest version this SDK writes and reads.
pub const MANIFEST_VERSION: u32 = 1;

/// The `$schema` URL written into every manifest.
pub const MANIFEST_SCHEMA_URL: &str = "https://sdk-authoring.dev/schemas/manifest-v1.schema.json";

/// The whole `manifest.json`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    /// JSON Schema of this document (print it with `sdk-authoring integrations schema`).
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Always 1.
    pub manifest_version: u32,
    /// The vendor's version.
    pub version: String,
    pub vendor: ManifestVendor,
    pub auth: AuthConfig,
    pub products: Vec<Product>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub protocols: Vec<Protocol>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub llm: Option<VendorLlm>,
}

/// The manifest's `vendor` section: display metadata, config fields and secrets.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ManifestVendor {
    /// `^[a-z][a-z0-9-]*$`.
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    /// SVG icon.
    pub icon: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs_url: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
    #[serde(default)]
    pub default_enabled: bool,
    #[serde(default)]
    pub supports_system_mode: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connectivity: Option<Connectivity>,
    /// Extension (platforms may ignore it): hosts the vendor's tools may reach.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed_hosts: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub config_fields: Vec<ConfigField>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secrets: Vec<Secret>,
}

impl Manifest {
    /// Parses a manifest, checking `manifestVersion` first so a future version gets a clear
    /// message rather than a field-by-field failure.
    pub fn from_json(json: &str) -> Result<Manifest, ManifestParseError> {
        let value: serde_json::Value = serde_json::from_str(json)
            .map_err(|error| ManifestParseError::Json(error.to_string()))?;
        match value.get("manifestVersion").and_then(|v| v.as_u64()) {
            Some(version) if version == u64::from(MANIFEST_VERSION) => {}
            other => {
                return Err(ManifestParseError::Version(
                    other.map_or_else(|| "missing".to_owned(), |v| v.to_string()),
                ));
            }
        }
        serde_json::from_value(value).map_err(|error| ManifestParseError::Shape(error.to_string()))
    }

    /// The manifest as pretty JSON (what `manifest.json` holds).
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).expect("the manifest model always serializes")
    }

    /// The JSON Schema of `manifest.json` itself, generated from this model.
    pub fn json_schema() -> serde_json::Value {
        let mut schema = schemars::schema_for!(Manifest).to_value();
        if let Some(object) = schema.as_object_mut() {
            object.insert("$id".into(), MANIFEST_SCHEMA_URL.into());
        }
        schema
    }
}

/// A manifest that is not JSON, not version 1, or not of the manifest's shape.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ManifestParseError {
    #[error("manifest is not valid JSON: {0}")]
    Json(String),
    #[error(
        "manifestVersion is {0}, this sdk-authoring reads manifestVersion 1; \
         rebuild the vendor with a matching sdk-authoring version"
    )]
    Version(String),
    #[error("manifest does not have the manifest's shape: {0}")]
    Shape(String),
}

impl Vendor {
    /// The manifest of this vendor (call on a finalized vendor, as `define_vendor!` makes).
    pub fn manifest(&self) -> Manifest {
        Manifest {
            schema: Some(MANIFEST_SCHEMA_URL.to_owned()),
            manifest_version: MANIFEST_VERSION,
            version: self.version.clone(),
            vendor: ManifestVendor {
                id: self.id.clone(),
                name: self.name.clone(),
                description: self.description.clone(),
                color: self.color.clone(),
                icon: self.icon.clone(),
                website: self.website.clone(),
                docs_url: self.docs_url.clone(),
                categories: self.categories.clone(),
                default_enabled: self.default_enabled,
                supports_system_mode: self.supports_system_mode,
                connectivity: self.connectivity,
                allowed_hosts: self.allowed_hosts.clone(),
                config_fields: self.config_fields.clone(),
                secrets: self.secrets.clone(),
            },
            auth: self.auth.clone(),
            products: self
                .products
                .iter()
                .cloned()
                .map(|mut product| {
                    let tools = std::mem::take(&mut product.capabilities.tools);
                    product.capabilities.tools =
                        tools.into_iter().map(Tool::with_schemas).collect();
                    product
                })
                .collect(),
            protocols: self.protocols.clone(),
            llm: self.llm.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_future_manifest_version_is_named_before_any_field() {
        let error = Manifest::from_json(r#"{"manifestVersion": 2, "vendor": 7}"#).unwrap_err();
        assert_eq!(error, ManifestParseError::Version("2".into()));
        assert!(
            error
                .to_string()
                .contains("this sdk-authoring reads manifestVersion 1")
        );
        assert!(matches!(
            Manifest::from_json("not json"),
            Err(ManifestParseError::Json(_))
        ));
        assert!(matches!(
            Manifest::from_json(r#"{"manifestVersion": 1}"#),
            Err(ManifestParseError::Shape(_))
        ));
    }
}
