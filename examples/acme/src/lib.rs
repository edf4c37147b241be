//! Acme: a multi-product SaaS vendor (CRM, email and AI at `https://api.acme.example`) whose
//! manifest uses every part of the model - two credentials (OAuth with admin consent and an
//! API key), config fields, secrets, system mode, blocks with all eight sub-block types,
//! a trigger with webhook and polling runtimes, capability runtimes, protocols and an LLM
//! section.
//!
//! - `acme-crm` (credential `oauth`): `list-contacts`, `create-contact`, `update-contact`,
//!   `delete-contact`, the `acme_crm` block and the `acme_new_contact` trigger;
//! - `acme-email` (`apiKey`): `send-email`, `list-inbox`, `list-mailboxes`, `verify-webhook`
//!   and the `acme_email` block;
//! - `acme-ai` (`apiKey`): LLM, embedding, webhook and discovery capabilities, `summarize`
//!   and the `acme_ai` block.
//!
//! Tool ids are qualified to `acme:{product}:{action}`, e.g. `acme:acme-crm:list-contacts`.

use sdk_authoring::prelude::*;

pub mod ai;
mod api;
pub mod crm;
pub mod email;
pub mod signature;

/// The locked version of `serde_json` (see `examples/Cargo.lock`), declared in the `acme-crm`
/// product's `dependencies`; a test keeps the two in step.
pub const SERDE_JSON_VERSION: &str = "1.0.154";

define_vendor! {
    id: "acme",
    name: "Acme",
    // The vendor version is the crate version, so the bundle name follows Cargo.toml.
    version: env!("CARGO_PKG_VERSION"),
    description: "CRM, email and AI models from the Acme platform",
    color: "#FF6B35",
    icon: include_str!("../assets/icon.svg"),
    website: "https://acme.example",
    docs_url: "https://docs.acme.example/api/v2",
    categories: ["crm", "email", "llm"],
    default_enabled: false,
    supports_system_mode: true,
    connectivity: Connectivity::Cloud,
    allowed_hosts: ["api.acme.example"],
    auth: auth! {
        credentials: [
            ("oauth", oauth! {
                label: "Acme Account",
                description: "Sign in with Acme; system mode uses the client credentials grant",
                authorization_url: "https://login.acme.example/{tenantId}/oauth2/authorize",
                token_url: "https://login.acme.example/{tenantId}/oauth2/token",
                scopes: ["openid", "offline_access", "contacts.read", "contacts.write"],
                pkce: true,
                use_basic_auth: true,
                supports_refresh_token_rotation: true,
                required_config: ["tenantId"],
                supports_client_credentials: true,
                client_credential_scopes: ["https://api.acme.example/.default"],
                extensions: def!(OAuthExtensions {
                    system_consent: SystemConsent::RedirectTemplate(def!(RedirectTemplateConsent {
                        url_template: "https://login.acme.example/{tenantId}/adminconsent",
                        params: [
                            ("client_id", "{clientId}"),
                            ("redirect_uri", "{redirectUri}"),
                            ("scope", "{scope}"),
                            ("state", "{state}"),
                        ],
                        required_config: ["tenantId"],
                        callback: def!(ConsentCallback {
                            success_param: "admin_consent",
                            tenant_param: "tenant",
                        }),
                    })),
                }),
            }),
            ("apiKey", api_key! {
                label: "API Key",
                description: "An Acme API key from Settings > Developers (email and AI only)",
                header_name: "X-Acme-Key",
            }),
        ],
        default: "oauth",
    },
    config_fields: [
        def!(ConfigField {
            key: "tenantId",
            label: "Tenant ID",
            placeholder: "acme-corp",
            description: "Your Acme tenant, shown under Settings > Organization",
            required: true,
            kind: "text",
        }),
        def!(ConfigField {
            key: "baseUrl",
            label: "API base URL",
            placeholder: "https://api.acme.example",
            description: "Change only for EU data residency or a private deployment",
            kind: "url",
        }),
    ],
    secrets: [
        def!(Secret {
            key: signature::SIGNING_SECRET,
            label: "Webhook Signing Secret",
            description: "Verifies that webhook deliveries come from Acme (Settings > Webhooks)",
            required: true,
        }),
        def!(Secret {
            key: "ENCRYPTION_KEY",
            label: "Encryption Key",
            description: "Customer-provided key for stored email; unset means Acme-managed keys",
            required: false,
        }),
    ],
    products: [crm::product(), email::product(), ai::product()],
    protocols: [
        def!(Protocol {
            id: "acme-rest",
            name: "Acme REST API",
            version: "v2",
            description: "JSON over HTTPS with cursor pagination and signed webhooks",
        }),
        def!(Protocol {
            id: "openai-chat",
            name: "OpenAI-compatible Chat Completions",
            version: "v1",
            description: "Acme AI serves /v1/chat/completions for the platform's model router",
        }),
    ],
    llm: ai::vendor_llm(),
}

#[cfg(test)]
mod tests {
    use sdk_authoring::Manifest;

    use super::*;

    #[test]
    fn qualifies_every_tool_id() {
        let ids: Vec<&str> = vendor()
            .products
            .iter()
            .flat_map(|product| &product.capabilities.tools)
            .map(|tool| tool.id.as_str())
            .collect();
        assert_eq!(
            ids,
            [
                "acme:acme-crm:list-contacts",
                "acme:acme-crm:create-contact",
                "acme:acme-crm:update-contact",
                "acme:acme-crm:delete-contact",
                "acme:acme-email:send-email",
                "acme:acme-email:list-inbox",
                "acme:acme-email:list-mailboxes",
                "acme:acme-email:verify-webhook",
                "acme:acme-ai:summarize",
            ]
        );
    }

    #[test]
    fn params_name_input_properties() {
        let manifest = vendor().manifest();
        for tool in manifest.products.iter().flat_map(|p| &p.capabilities.tools) {
            assert_eq!(tool.input["type"], "object", "{}", tool.id);
            for name in tool.params.keys() {
                assert!(
                    tool.input["properties"].get(name).is_some(),
                    "{}: param {name} is not an input property",
                    tool.id
                );
            }
        }
    }

    #[test]
    fn manifest_round_trips() {
        let json = vendor().manifest().to_json_pretty();
        let manifest = Manifest::from_json(&json).unwrap();
        assert_eq!(manifest.version, "2.1.0");
        assert_eq!(manifest.vendor.id, "acme");
        assert_eq!(manifest.products.len(), 3);
        assert_eq!(manifest.auth.default, "oauth");
        assert!(json.contains(r#""kind": "redirect-template""#));
    }

    #[test]
    fn declares_the_locked_serde_json_version() {
        let lock_path = concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.lock");
        let lock = std::fs::read_to_string(lock_path).unwrap();
        let locked = lock
            .split("[[package]]")
            .find(|package| package.contains("name = \"serde_json\"\n"))
            .and_then(|package| package.lines().find_map(|l| l.strip_prefix("version = ")))
            .unwrap();
        assert_eq!(locked.trim_matches('"'), SERDE_JSON_VERSION);
    }
}
