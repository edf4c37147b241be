//! Static validation of a manifest: every rule of the reference, all problems in one pass,
//! each with a code, the field path (`products[0].block.subBlocks[2].condition.field`) and a
//! fix. Host-side only (feature `host`).
//!
//! Start at [`validate_manifest`]; a [`Problem`] renders like a rustc diagnostic.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt;

use serde_json::Value;

use crate::manifest::{MANIFEST_VERSION, Manifest};
use crate::model::{
    AuthConfig, Block, BlockTools, ConfigField, Credential, OAuthCredential, Product, SubBlock,
    SubBlockType, SystemConsent, Tool, TriggerBlock,
};

/// One thing wrong with a manifest.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// Stable kebab-case code, e.g. `unknown-credential`.
    pub code: &'static str,
    /// Field path in the manifest, e.g. `products[0].credentialRef`.
    pub path: String,
    pub message: String,
    pub fix: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "[{}] {}: {}\n  = fix: {}",
            self.code, self.path, self.message, self.fix
        )
    }
}

/// Checks every rule and returns all problems (empty when the manifest is valid).
pub fn validate_manifest(manifest: &Manifest) -> Vec<Problem> {
    let mut check = Checker::default();
    check.manifest(manifest);
    check.problems
}

const ID_FIX: &str =
    "use lowercase letters, digits and hyphens, starting with a letter (e.g. \"acme-crm\")";
const AUTH_MODES: [&str; 5] = ["none", "apiKey", "oauth", "botToken", "basicAuth"];
const CONSENT_PLACEHOLDERS: [&str; 4] = ["clientId", "redirectUri", "scope", "state"];

#[derive(Default)]
struct Checker {
    problems: Vec<Problem>,
}

/// `^[a-z][a-z0-9-]*$`: vendor and product ids.
pub fn is_vendor_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// `^[a-zA-Z0-9_-]+$`: secret keys.
pub fn is_secret_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn is_block_type(kind: &str) -> bool {
    let mut chars = kind.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn is_action(action: &str) -> bool {
    action
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric())
        && is_secret_key(action)
}

fn is_hex_color(color: &str) -> bool {
    color.strip_prefix('#').is_some_and(|hex| {
        matches!(hex.len(), 3 | 6 | 8) && hex.chars().all(|c| c.is_ascii_hexdigit())
    })
}

/// Why `icon` is not a usable SVG document, if it is not.
pub fn svg_problem(icon: &str) -> Option<String> {
    let mut rest = icon.trim();
    loop {
        if let Some(after) = rest.strip_prefix("<?xml") {
            rest = after
                .split_once("?>")
                .map_or("", |(_, tail)| tail)
                .trim_start();
        } else if let Some(after) = rest.strip_prefix("<!--") {
            rest = after
                .split_once("-->")
                .map_or("", |(_, tail)| tail)
                .trim_start();
        } else if let Some(after) = rest.strip_prefix("<!DOCTYPE") {
            rest = after
                .split_once('>')
                .map_or("", |(_, tail)| tail)
                .trim_start();
        } else {
            break;
        }
    }
    let opens_svg = rest.strip_prefix("<svg").is_some_and(|after| {
        after.starts_with(|c: char| c.is_whitespace() || c == '>' || c == '/')
    });
    if !opens_svg {
        let start: String = icon.trim().chars().take(24).collect();
        return Some(format!("is not an SVG document (it starts with {start:?})"));
    }
    if !(rest.trim_end().ends_with("</svg>") || rest.trim_end().ends_with("/>")) {
        return Some("does not end with </svg>".to_owned());
    }
    let lower = rest.to_ascii_lowercase();
    if lower.contains("<script") || lower.contains("javascript:") {
        return Some("contains script, which platforms refuse to render".to_owned());
    }
    None
}

/// The `{name}` placeholders of a URL template.
fn placeholders(template: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                found.push(&after[..end]);
                rest = &after[end + 1..];
            }
            None => break,
        }
    }
    found
}

/// Why a URL (template placeholders allowed) is unusable, if it is.
fn url_problem(url: &str) -> Option<String> {
    let mut concrete = url.to_owned();
    for name in placeholders(url) {
        concrete = concrete.replace(&format!("{{{name}}}"), "placeholder");
    }
    match url::Url::parse(&concrete) {
        Err(error) => Some(format!("{url:?} is not a URL ({error})")),
        Ok(parsed) if parsed.scheme() != "https" && parsed.scheme() != "http" => {
            Some(format!("{url:?} is not an http(s) URL"))
        }
        Ok(parsed) if parsed.host_str().is_none() => Some(format!("{url:?} has no host")),
        Ok(_) => None,
    }
}

fn one_of<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let names: Vec<String> = names.into_iter().map(|n| format!("\"{n}\"")).collect();
    if names.is_empty() {
        "(there are none yet)".to_owned()
    } else {
        names.join(", ")
    }
}

impl Checker {
    fn report(
        &mut self,
        code: &'static str,
        path: impl Into<String>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) {
        self.problems.push(Problem {
            code,
            path: path.into(),
            message: message.into(),
            fix: fix.into(),
        });
    }

    fn required(&mut self, path: String, value: &str, what: &str) {
        if value.trim().is_empty() {
            self.report(
                "required-field",
                path,
                format!("{what} is empty"),
                format!("give the {what} a value"),
            );
        }
    }

    fn semver(&mut self, path: String, version: &str) {
        if semver::Version::parse(version).is_err() {
            self.report(
                "version",
                path,
                format!("{version:?} is not a semantic version"),
                "use MAJOR.MINOR.PATCH, e.g. \"1.0.0\"",
            );
        }
    }

    fn color(&mut self, path: String, color: Option<&str>) {
        if let Some(color) = color.filter(|c| !is_hex_color(c)) {
            self.report(
                "color",
                path,
                format!("{color:?} is not a hex color"),
                "use #RGB or #RRGGBB, e.g. \"#FF6B35\"",
            );
        }
    }

    fn icon(&mut self, path: String, icon: &str) {
        if let Some(problem) = svg_problem(icon) {
            self.report(
                "icon",
                path,
                format!("the icon {problem}"),
                "use an SVG document (<svg ...>...</svg>), e.g. icon: include_str!(\"../assets/icon.svg\")",
            );
        }
    }

    fn url(&mut self, path: String, url: Option<&str>) {
        if let Some(problem) = url.and_then(url_problem) {
            self.report(
                "url",
                path,
                problem,
                "use an absolute http(s) URL, e.g. \"https://acme.com/docs\"",
            );
        }
    }

    fn unique<'a>(&mut self, what: &str, items: impl IntoIterator<Item = (String, &'a str)>) {
        let mut seen: HashMap<&str, String> = HashMap::new();
        for (path, id) in items {
            if id.is_empty() {
                continue;
            }
            match seen.get(id) {
                Some(first) => self.report(
                    "duplicate-id",
                    path,
                    format!("{what} {id:?} is already used at {first}"),
                    format!("give each {what} a unique value"),
                ),
                None => {
                    seen.insert(id, path);
                }
            }
        }
    }

    fn manifest(&mut self, manifest: &Manifest) {
        if manifest.manifest_version != MANIFEST_VERSION {
            self.report(
                "manifest-version",
                "manifestVersion",
                format!(
                    "is {}, expected {MANIFEST_VERSION}",
                    manifest.manifest_version
                ),
                "rebuild with this version of sdk-authoring",
            );
        }
        self.semver("version".into(), &manifest.version);
        self.vendor(manifest);
        self.auth(&manifest.auth, &manifest.vendor.config_fields);

        if manifest.products.is_empty() {
            self.report(
                "no-products",
                "products",
                "the vendor has no products",
                "add at least one define_product! to `products`",
            );
        }
        self.unique(
            "product id",
            manifest
                .products
                .iter()
                .enumerate()
                .map(|(i, p)| (format!("products[{i}].id"), p.id.as_str())),
        );
        let tools: Vec<(String, &Tool)> = manifest
            .products
            .iter()
            .enumerate()
            .flat_map(|(p, product)| {
                product
                    .capabilities
                    .tools
                    .iter()
                    .enumerate()
                    .map(move |(t, tool)| (format!("products[{p}].capabilities.tools[{t}]"), tool))
            })
            .collect();
        self.unique(
            "tool id",
            tools
                .iter()
                .map(|(path, tool)| (format!("{path}.id"), tool.id.as_str())),
        );
        let tool_ids: Vec<&str> = tools.iter().map(|(_, tool)| tool.id.as_str()).collect();
        let mut block_types = Vec::new();
        for (p, product) in manifest.products.iter().enumerate() {
            self.product(manifest, p, product, &tool_ids);
            if let Some(block) = &product.block {
                block_types.push((format!("products[{p}].block.type"), block.kind.as_str()));
            }
            for (t, trigger) in product.capabilities.triggers.iter().enumerate() {
                block_types.push((
                    format!("products[{p}].capabilities.triggers[{t}].type"),
                    trigger.kind.as_str(),
                ));
            }
        }
        self.unique("block type", block_types);
        self.unique(
            "protocol id",
            manifest
                .protocols
                .iter()
                .enumerate()
                .map(|(i, p)| (format!("protocols[{i}].id"), p.id.as_str())),
        );
        for (i, protocol) in manifest.protocols.iter().enumerate() {
            self.required(format!("protocols[{i}].id"), &protocol.id, "protocol id");
            self.required(
                format!("protocols[{i}].name"),
                &protocol.name,
                "protocol name",
            );
        }
        if let Some(llm) = &manifest.llm {
            self.required("llm.provider".into(), &llm.provider, "LLM provider");
            if let Some(default) = &llm.default_model
                && !llm.models.is_empty()
                && !llm.models.iter().any(|m| &m.id == default)
            {
                self.report(
                    "unknown-model",
                    "llm.defaultModel",
                    format!("{default:?} is not one of llm.models"),
                    format!(
                        "use one of: {}",
                        one_of(llm.models.iter().map(|m| m.id.as_str()))
                    ),
                );
            }
        }
    }

    fn vendor(&mut self, manifest: &Manifest) {
        let vendor = &manifest.vendor;
        if !is_vendor_id(&vendor.id) {
            self.report(
                "vendor-id",
                "vendor.id",
                format!("{:?} does not match ^[a-z][a-z0-9-]*$", vendor.id),
                ID_FIX,
            );
        }
        self.required("vendor.name".into(), &vendor.name, "vendor name");
        self.color("vendor.color".into(), vendor.color.as_deref());
        self.icon("vendor.icon".into(), &vendor.icon);
        self.url("vendor.website".into(), vendor.website.as_deref());
        self.url("vendor.docsUrl".into(), vendor.docs_url.as_deref());
        for (i, category) in vendor.categories.iter().enumerate() {
            self.required(format!("vendor.categories[{i}]"), category, "category");
        }
        for (i, host) in vendor.allowed_hosts.iter().enumerate() {
            let bare = host.strip_prefix("*.").unwrap_or(host);
            let valid = !bare.is_empty()
                && bare.split(':').next().is_some_and(|name| {
                    !name.is_empty()
                        && name
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
                });
            if !valid {
                self.report(
                    "allowed-host",
                    format!("vendor.allowedHosts[{i}]"),
                    format!("{host:?} is not a host name"),
                    "write a host without scheme or path, e.g. \"api.acme.com\" or \"*.acme.com\"",
                );
            }
        }
        for (i, field) in vendor.config_fields.iter().enumerate() {
            if !is_secret_key(&field.key) {
                self.report(
                    "config-key",
                    format!("vendor.configFields[{i}].key"),
                    format!("{:?} does not match ^[a-zA-Z0-9_-]+$", field.key),
                    "use letters, digits, '_' and '-', e.g. \"baseUrl\"",
                );
            }
            self.required(
                format!("vendor.configFields[{i}].label"),
                &field.label,
                "config field label",
            );
        }
        self.unique(
            "config field key",
            vendor
                .config_fields
                .iter()
                .enumerate()
                .map(|(i, f)| (format!("vendor.configFields[{i}].key"), f.key.as_str())),
        );
        for (i, secret) in vendor.secrets.iter().enumerate() {
            if !is_secret_key(&secret.key) {
                self.report(
                    "secret-key",
                    format!("vendor.secrets[{i}].key"),
                    format!("{:?} does not match ^[a-zA-Z0-9_-]+$", secret.key),
                    "use letters, digits, '_' and '-', e.g. \"WEBHOOK_SIGNING_SECRET\"",
                );
            }
            self.required(
                format!("vendor.secrets[{i}].label"),
                &secret.label,
                "secret label",
            );
        }
        self.unique(
            "secret key",
            vendor
                .secrets
                .iter()
                .enumerate()
                .map(|(i, s)| (format!("vendor.secrets[{i}].key"), s.key.as_str())),
        );
    }

    fn auth(&mut self, auth: &AuthConfig, config_fields: &[ConfigField]) {
        if auth.credentials.is_empty() {
            self.report(
                "no-credentials",
                "auth.credentials",
                "no credential is defined",
                "add one, e.g. credentials: [(\"none\", Credential::None)], default: \"none\"",
            );
        }
        if !auth.credentials.contains_key(&auth.default) {
            self.report(
                "unknown-credential",
                "auth.default",
                format!("{:?} is not a key of auth.credentials", auth.default),
                format!(
                    "use one of: {}",
                    one_of(auth.credentials.keys().map(String::as_str))
                ),
            );
        }
        let config_keys: HashSet<&str> = config_fields.iter().map(|f| f.key.as_str()).collect();
        for (key, credential) in &auth.credentials {
            let path = format!("auth.credentials.{key}");
            if !key.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) || !is_secret_key(key) {
                self.report(
                    "credential-key",
                    path.clone(),
                    format!("credential key {key:?} is not an identifier"),
                    "use letters, digits, '_' and '-', starting with a letter, e.g. \"apiKey\"",
                );
            }
            match credential {
                Credential::None => {}
                Credential::ApiKey(c) => {
                    self.required(format!("{path}.label"), &c.label, "credential label")
                }
                Credential::BotToken(c) => {
                    self.required(format!("{path}.label"), &c.label, "credential label")
                }
                Credential::BasicAuth(c) => {
                    self.required(format!("{path}.label"), &c.label, "credential label")
                }
                Credential::OAuth(oauth) => self.oauth(&path, oauth, &config_keys),
            }
        }
    }

    fn required_config(&mut self, path: &str, keys: &[String], config_keys: &HashSet<&str>) {
        for (i, key) in keys.iter().enumerate() {
            if !config_keys.contains(key.as_str()) {
                self.report(
                    "unknown-config",
                    format!("{path}.requiredConfig[{i}]"),
                    format!("{key:?} is not a key of vendor.configFields"),
                    format!(
                        "add a config field with key {key:?} to config_fields, or remove it here"
                    ),
                );
            }
        }
    }

    fn template(&mut self, path: String, template: &str, known: &BTreeSet<&str>, is_url: bool) {
        if is_url && let Some(problem) = url_problem(template) {
            self.report(
                "url",
                path.clone(),
                problem,
                "use an absolute https URL; {placeholders} are allowed",
            );
        }
        for name in placeholders(template) {
            if !known.contains(name) {
                self.report(
                    "unknown-placeholder",
                    path.clone(),
                    format!("placeholder {{{name}}} is not known"),
                    format!(
                        "use one of {} or add {name:?} to requiredConfig",
                        one_of(known.iter().copied())
                    ),
                );
            }
        }
    }

    fn oauth(&mut self, path: &str, oauth: &OAuthCredential, config_keys: &HashSet<&str>) {
        self.required(format!("{path}.label"), &oauth.label, "credential label");
        self.required_config(path, &oauth.required_config, config_keys);
        let from_config: BTreeSet<&str> =
            oauth.required_config.iter().map(String::as_str).collect();
        self.template(
            format!("{path}.authorizationUrl"),
            &oauth.authorization_url,
            &from_config,
            true,
        );
        self.template(
            format!("{path}.tokenUrl"),
            &oauth.token_url,
            &from_config,
            true,
        );
        if !oauth.client_credential_scopes.is_empty() && !oauth.supports_client_credentials {
            self.report(
                "client-credentials",
                format!("{path}.clientCredentialScopes"),
                "client credential scopes are set but supportsClientCredentials is false",
                "set supports_client_credentials: true, or remove client_credential_scopes",
            );
        }
        let Some(consent) = oauth
            .extensions
            .as_ref()
            .and_then(|e| e.system_consent.as_ref())
        else {
            return;
        };
        let consent_path = format!("{path}.extensions.systemConsent");
        match consent {
            SystemConsent::RedirectTemplate(template) => {
                self.required_config(&consent_path, &template.required_config, config_keys);
                let mut known: BTreeSet<&str> = CONSENT_PLACEHOLDERS.into_iter().collect();
                known.extend(template.required_config.iter().map(String::as_str));
                known.extend(from_config.iter().copied());
                self.template(
                    format!("{consent_path}.urlTemplate"),
                    &template.url_template,
                    &known,
                    true,
                );
                for (name, value) in &template.params {
                    self.template(
                        format!("{consent_path}.params.{name}"),
                        value,
                        &known,
                        false,
                    );
                }
                self.required(
                    format!("{consent_path}.callback.successParam"),
                    &template.callback.success_param,
                    "success parameter",
                );
            }
            SystemConsent::Handler(handler) => {
                self.handler_ref(format!("{consent_path}.handlerRef"), &handler.handler_ref);
                self.handler_ref(
                    format!("{consent_path}.callback.handlerRef"),
                    &handler.callback.handler_ref,
                );
            }
        }
    }

    fn handler_ref(&mut self, path: String, handler_ref: &str) {
        let valid = !handler_ref.is_empty()
            && handler_ref.split('.').all(|part| {
                part.chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                    && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            });
        if !valid {
            self.report(
                "handler-ref",
                path,
                format!("{handler_ref:?} is not a dotted method reference"),
                "use a reference like \"microsoft.systemConsent.buildUrl\"",
            );
        }
    }

    fn product(&mut self, manifest: &Manifest, p: usize, product: &Product, tool_ids: &[&str]) {
        let path = format!("products[{p}]");
        if !is_vendor_id(&product.id) {
            self.report(
                "product-id",
                format!("{path}.id"),
                format!("{:?} does not match ^[a-z][a-z0-9-]*$", product.id),
                ID_FIX,
            );
        }
        self.required(format!("{path}.name"), &product.name, "product name");
        if let Some(icon) = &product.icon {
            self.icon(format!("{path}.icon"), icon);
        }
        let credentials = &manifest.auth.credentials;
        if let Some(reference) = &product.credential_ref
            && !credentials.contains_key(reference)
        {
            self.report(
                "unknown-credential",
                format!("{path}.credentialRef"),
                format!("{reference:?} is not a key of auth.credentials"),
                format!(
                    "use one of: {}",
                    one_of(credentials.keys().map(String::as_str))
                ),
            );
        }
        let credential_key = product
            .credential_ref
            .as_ref()
            .unwrap_or(&manifest.auth.default);
        if !product.credential_scopes.is_empty()
            && let Some(credential) = credentials.get(credential_key)
            && !matches!(credential, Credential::OAuth(_))
        {
            self.report(
                "credential-scopes",
                format!("{path}.credentialScopes"),
                format!(
                    "scopes need an OAuth credential, but {credential_key:?} is {}",
                    credential.kind()
                ),
                "point credential_ref at an oauth credential, or remove credential_scopes",
            );
        }
        for (t, tool) in product.capabilities.tools.iter().enumerate() {
            self.tool(
                &format!("{path}.capabilities.tools[{t}]"),
                &manifest.vendor.id,
                &product.id,
                tool,
            );
        }
        if let Some(block) = &product.block {
            self.block(&format!("{path}.block"), block, tool_ids);
        }
        for (t, trigger) in product.capabilities.triggers.iter().enumerate() {
            self.trigger(
                &format!("{path}.capabilities.triggers[{t}]"),
                trigger,
                tool_ids,
            );
        }
        let meta = &product.capabilities.capability_meta;
        for (m, model) in meta.embedding_models.iter().enumerate() {
            if model.dimensions.is_none_or(|d| d == 0) {
                self.report(
                    "capability-meta",
                    format!("{path}.capabilities.capabilityMeta.embeddingModels[{m}].dimensions"),
                    format!("embedding model {:?} has no dimensions", model.id),
                    "give each embedding model its vector dimension, e.g. dimensions: 1536",
                );
            }
        }
        for (d, dependency) in product.dependencies.iter().enumerate() {
            let dep_path = format!("{path}.dependencies[{d}]");
            if dependency.kind != "cargo" {
                self.report(
                    "dependency-type",
                    format!("{dep_path}.type"),
                    format!(
                        "{:?} dependencies cannot be in a Rust vendor",
                        dependency.kind
                    ),
                    "declare crates with type \"cargo\"",
                );
            }
            self.required(
                format!("{dep_path}.package"),
                &dependency.package,
                "dependency package",
            );
            self.required(
                format!("{dep_path}.version"),
                &dependency.version,
                "dependency version",
            );
        }
        if let Some(system_mode) = &product.system_mode {
            for (r, resource) in system_mode.resources.iter().enumerate() {
                let resource_path = format!("{path}.systemMode.resources[{r}]");
                self.required(
                    format!("{resource_path}.resourceType"),
                    &resource.resource_type,
                    "resource type",
                );
                self.required(
                    format!("{resource_path}.displayName"),
                    &resource.display_name,
                    "resource display name",
                );
            }
        }
    }

    fn tool(&mut self, path: &str, vendor_id: &str, product_id: &str, tool: &Tool) {
        let expected = format!("{vendor_id}:{product_id}");
        let parts: Vec<&str> = tool.id.split(':').collect();
        match parts.as_slice() {
            [vendor, product, action] => {
                if format!("{vendor}:{product}") != expected {
                    self.report(
                        "tool-prefix",
                        format!("{path}.id"),
                        format!("{:?} has prefix \"{vendor}:{product}\" but the tool belongs to \"{expected}\"", tool.id),
                        format!("write the short id \"{action}\" or the full id \"{expected}:{action}\""),
                    );
                }
                if !is_action(action) {
                    self.report(
                        "tool-id",
                        format!("{path}.id"),
                        format!("action {action:?} is not a valid tool action"),
                        "use letters, digits, '-' and '_', e.g. \"say-hello\"",
                    );
                }
            }
            _ => self.report(
                "tool-id",
                format!("{path}.id"),
                format!(
                    "{:?} is neither a short id nor {{vendor}}:{{product}}:{{action}}",
                    tool.id
                ),
                format!("write the short id (e.g. \"say-hello\") or \"{expected}:<action>\""),
            ),
        }
        self.required(format!("{path}.name"), &tool.name, "tool name");
        self.semver(format!("{path}.version"), &tool.version);
        for (field, schema) in [("input", &tool.input), ("output", &tool.output)] {
            if let Err(error) = jsonschema::meta::validate(schema) {
                self.report(
                    "schema",
                    format!("{path}.{field}"),
                    format!("is not a valid JSON Schema: {error}"),
                    "derive schemars::JsonSchema on the tool's input and output types",
                );
            }
        }
        let properties = tool.input.get("properties").and_then(Value::as_object);
        if tool.input.get("type").and_then(Value::as_str) != Some("object") {
            self.report(
                "input-not-object",
                format!("{path}.input"),
                "the input schema is not an object",
                "make the execute function's input a struct (deriving Deserialize and JsonSchema)",
            );
        }
        for (name, param) in &tool.params {
            if !properties.is_some_and(|p| p.contains_key(name)) {
                self.report(
                    "unknown-param",
                    format!("{path}.params.{name}"),
                    format!("{name:?} is not a property of the input"),
                    format!(
                        "use one of: {}",
                        one_of(
                            properties
                                .into_iter()
                                .flat_map(|p| p.keys().map(String::as_str))
                        )
                    ),
                );
            }
            self.required(
                format!("{path}.params.{name}.type"),
                &param.kind,
                "param type",
            );
        }
    }

    fn block_tools(&mut self, path: &str, tools: &BlockTools, tool_ids: &[&str]) {
        for (i, id) in tools.access.iter().enumerate() {
            if !tool_ids.contains(&id.as_str()) {
                self.report(
                    "unknown-tool",
                    format!("{path}.tools.access[{i}]"),
                    format!("{id:?} is not a tool of this vendor"),
                    format!("use one of: {}", one_of(tool_ids.iter().copied())),
                );
            }
        }
    }

    fn block_type(&mut self, path: String, kind: &str) {
        if !is_block_type(kind) {
            self.report(
                "block-type",
                path,
                format!("{kind:?} does not match ^[a-z][a-z0-9_]*$"),
                "use lowercase letters, digits and underscores, e.g. \"acme_crm\"",
            );
        }
    }

    fn auth_mode(&mut self, path: String, auth_mode: Option<&str>) {
        if let Some(mode) = auth_mode.filter(|m| !AUTH_MODES.contains(m)) {
            self.report(
                "auth-mode",
                path,
                format!("{mode:?} is not an auth mode"),
                format!("use one of: {}", one_of(AUTH_MODES)),
            );
        }
    }

    fn block(&mut self, path: &str, block: &Block, tool_ids: &[&str]) {
        self.block_type(format!("{path}.type"), &block.kind);
        self.required(format!("{path}.name"), &block.name, "block name");
        self.required(
            format!("{path}.category"),
            &block.category,
            "block category",
        );
        self.color(format!("{path}.bgColor"), block.bg_color.as_deref());
        self.auth_mode(format!("{path}.authMode"), block.auth_mode.as_deref());
        self.sub_blocks(path, &block.sub_blocks);
        if let Some(tools) = &block.tools {
            self.block_tools(path, tools, tool_ids);
        }
    }

    fn trigger(&mut self, path: &str, trigger: &TriggerBlock, tool_ids: &[&str]) {
        self.block_type(format!("{path}.type"), &trigger.kind);
        self.required(format!("{path}.name"), &trigger.name, "trigger name");
        if trigger.category != "trigger" {
            self.report(
                "trigger-category",
                format!("{path}.category"),
                format!(
                    "is {:?}; trigger blocks are always \"trigger\"",
                    trigger.category
                ),
                "build trigger blocks with define_trigger_block!",
            );
        }
        self.color(format!("{path}.bgColor"), trigger.bg_color.as_deref());
        self.auth_mode(format!("{path}.authMode"), trigger.auth_mode.as_deref());
        self.sub_blocks(path, &trigger.sub_blocks);
        if let Some(tools) = &trigger.tools {
            self.block_tools(path, tools, tool_ids);
        }
        let runtime = &trigger.runtime;
        if runtime.webhook.is_none() && runtime.polling.is_none() {
            self.report(
                "trigger-runtime",
                format!("{path}.runtime"),
                "the trigger has neither a webhook nor a polling runtime",
                "set runtime: def!(TriggerRuntime { webhook: .. }) or polling: def!(PollingRuntime { tool: .., interval_seconds: .. })",
            );
        }
        if let Some(polling) = &runtime.polling {
            if polling.interval_seconds == 0 {
                self.report(
                    "polling-interval",
                    format!("{path}.runtime.polling.intervalSeconds"),
                    "the polling interval is 0",
                    "poll at most once per second; e.g. interval_seconds: 300",
                );
            }
            if !tool_ids.contains(&polling.tool.as_str()) {
                self.report(
                    "unknown-tool",
                    format!("{path}.runtime.polling.tool"),
                    format!("{:?} is not a tool of this vendor", polling.tool),
                    format!("use one of: {}", one_of(tool_ids.iter().copied())),
                );
            }
        }
    }

    fn sub_blocks(&mut self, path: &str, sub_blocks: &[SubBlock]) {
        self.unique(
            "subBlock id",
            sub_blocks
                .iter()
                .enumerate()
                .map(|(i, s)| (format!("{path}.subBlocks[{i}].id"), s.id.as_str())),
        );
        for (i, sub_block) in sub_blocks.iter().enumerate() {
            let sub_path = format!("{path}.subBlocks[{i}]");
            self.required(format!("{sub_path}.id"), &sub_block.id, "subBlock id");
            let kind = sub_block.kind.as_str();
            match sub_block.kind {
                SubBlockType::Dropdown if sub_block.options.is_empty() => self.report(
                    "missing-options",
                    format!("{sub_path}.options"),
                    "a dropdown has no options",
                    "add options: [(\"Label\", \"id\"), ..]",
                ),
                SubBlockType::Combobox
                    if sub_block.options.is_empty() && sub_block.fetch_options.is_none() =>
                {
                    self.report(
                        "missing-options",
                        format!("{sub_path}.options"),
                        "a combobox has neither options nor fetchOptions",
                        "add options: [(\"Label\", \"id\"), ..] or fetch_options",
                    )
                }
                SubBlockType::Slider => {
                    if let (Some(min), Some(max)) = (sub_block.min, sub_block.max)
                        && min >= max
                    {
                        self.report(
                            "slider-range",
                            format!("{sub_path}.max"),
                            format!("max {max} is not above min {min}"),
                            "make max greater than min",
                        );
                    }
                    if sub_block.step.is_some_and(|step| step <= 0.0) {
                        self.report(
                            "slider-range",
                            format!("{sub_path}.step"),
                            "the step is not positive",
                            "use a step above 0, e.g. step: 1",
                        );
                    }
                }
                SubBlockType::OauthInput if sub_block.service_id.is_none() => self.report(
                    "required-field",
                    format!("{sub_path}.serviceId"),
                    "an oauth-input has no serviceId",
                    "set service_id to the OAuth service the selector lists credentials of",
                ),
                _ => {}
            }
            if !sub_block.options.is_empty()
                && !matches!(
                    sub_block.kind,
                    SubBlockType::Dropdown | SubBlockType::Combobox
                )
            {
                self.report(
                    "unexpected-options",
                    format!("{sub_path}.options"),
                    format!("a {kind} has no options"),
                    "use kind: SubBlockType::Dropdown or Combobox, or remove options",
                );
            }
            self.unique(
                "option id",
                sub_block
                    .options
                    .iter()
                    .enumerate()
                    .map(|(o, opt)| (format!("{sub_path}.options[{o}].id"), opt.id.as_str())),
            );
            if let Some(condition) = &sub_block.condition {
                let sibling = sub_blocks
                    .iter()
                    .enumerate()
                    .find(|(j, s)| *j != i && s.id == condition.field);
                match sibling {
                    None => self.report(
                        "unknown-condition-field",
                        format!("{sub_path}.condition.field"),
                        format!(
                            "{:?} is not another subBlock of this block",
                            condition.field
                        ),
                        format!(
                            "use one of: {}",
                            one_of(
                                sub_blocks
                                    .iter()
                                    .enumerate()
                                    .filter(|(j, _)| *j != i)
                                    .map(|(_, s)| s.id.as_str())
                            )
                        ),
                    ),
                    Some((_, sibling))
                        if !sibling.options.is_empty()
                            && !sibling.options.iter().any(|o| o.id == condition.value) =>
                    {
                        self.report(
                            "unknown-condition-value",
                            format!("{sub_path}.condition.value"),
                            format!(
                                "{:?} is not an option of {:?}",
                                condition.value, condition.field
                            ),
                            format!(
                                "use one of: {}",
                                one_of(sibling.options.iter().map(|o| o.id.as_str()))
                            ),
                        );
                    }
                    Some(_) => {}
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A valid manifest to break one field at a time.
    fn base() -> Value {
        let schema = json!({"type": "object", "properties": {"text": {"type": "string"}}});
        json!({
            "manifestVersion": 1,
            "version": "1.0.0",
            "vendor": {
                "id": "acme", "name": "Acme", "icon": "<svg xmlns='http://www.w3.org/2000/svg'/>",
                "configFields": [{"key": "tenantId", "label": "Tenant"}],
                "secrets": [{"key": "SIGNING", "label": "Signing", "required": true}]
            },
            "auth": {
                "credentials": {
                    "oauth": {
                        "type": "oauth", "label": "Acme",
                        "authorizationUrl": "https://login.acme.com/{tenantId}/authorize",
                        "tokenUrl": "https://login.acme.com/{tenantId}/token",
                        "requiredConfig": ["tenantId"]
                    },
                    "apiKey": {"type": "apiKey", "label": "Key"}
                },
                "default": "oauth"
            },
            "products": [{
                "id": "crm", "name": "CRM",
                "capabilities": {
                    "tools": [{"id": "acme:crm:list", "name": "List", "version": "1.0.0",
                               "input": schema, "output": schema,
                               "params": {"text": {"type": "string", "visibility": "hidden"}}}],
                    "triggers": [{"type": "acme_new", "name": "New", "category": "trigger",
                                  "runtime": {"polling": {"tool": "acme:crm:list", "intervalSeconds": 60}}}]
                },
                "block": {
                    "type": "acme_crm", "name": "CRM", "category": "integration",
                    "subBlocks": [
                        {"id": "op", "type": "dropdown", "options": [{"label": "List", "id": "list"}]},
                        {"id": "q", "type": "short-input", "condition": {"field": "op", "value": "list"}}
                    ],
                    "tools": {"access": ["acme:crm:list"]}
                }
            }]
        })
    }

    /// The `(code, path)` pairs of the problems of `base()` changed by `edit`.
    fn problems_after(edit: impl FnOnce(&mut Value)) -> Vec<(&'static str, String)> {
        let mut value = base();
        edit(&mut value);
        let manifest: Manifest = serde_json::from_value(value).expect("still a manifest");
        validate_manifest(&manifest)
            .into_iter()
            .map(|p| (p.code, p.path))
            .collect()
    }

    /// Sets the value at `pointer`, adding the last key when it is absent.
    fn set(value: &mut Value, pointer: &str, new: Value) {
        let (parent, key) = pointer.rsplit_once('/').expect("a JSON pointer");
        let parent = value
            .pointer_mut(parent)
            .unwrap_or_else(|| panic!("{parent} exists"));
        match parent {
            Value::Array(items) => items[key.parse::<usize>().expect("an index")] = new,
            Value::Object(map) => {
                map.insert(key.to_owned(), new);
            }
            other => panic!("{pointer}: cannot set inside {other}"),
        }
    }

    #[test]
    fn the_base_manifest_is_valid() {
        assert_eq!(problems_after(|_| {}), vec![]);
    }

    #[test]
    fn each_rule_reports_its_code_and_path() {
        let cases: Vec<(&str, Value, &str, &str)> = vec![
            ("/version", json!("1.0"), "version", "version"),
            ("/vendor/color", json!("red"), "color", "vendor.color"),
            (
                "/vendor/website",
                json!("acme.com"),
                "url",
                "vendor.website",
            ),
            (
                "/vendor/secrets/0/key",
                json!("a b"),
                "secret-key",
                "vendor.secrets[0].key",
            ),
            (
                "/vendor/configFields/0/key",
                json!("tenant id"),
                "config-key",
                "vendor.configFields[0].key",
            ),
            (
                "/auth/credentials/oauth/tokenUrl",
                json!("https://x.com/{region}/token"),
                "unknown-placeholder",
                "auth.credentials.oauth.tokenUrl",
            ),
            (
                "/auth/credentials/oauth/requiredConfig",
                json!(["tenantId", "region"]),
                "unknown-config",
                "auth.credentials.oauth.requiredConfig[1]",
            ),
            ("/products/0/credentialRef", json!("apiKey"), "", ""),
            (
                "/products/0/capabilities/tools/0/version",
                json!("one"),
                "version",
                "products[0].capabilities.tools[0].version",
            ),
            (
                "/products/0/capabilities/tools/0/input",
                json!({"type": "string"}),
                "input-not-object",
                "products[0].capabilities.tools[0].input",
            ),
            (
                "/products/0/capabilities/tools/0/output",
                json!({"type": 12}),
                "schema",
                "products[0].capabilities.tools[0].output",
            ),
            (
                "/products/0/capabilities/tools/0/params",
                json!({"txt": {"type": "string"}}),
                "unknown-param",
                "products[0].capabilities.tools[0].params.txt",
            ),
            (
                "/products/0/block/type",
                json!("acme-crm"),
                "block-type",
                "products[0].block.type",
            ),
            (
                "/products/0/block/authMode",
                json!("token"),
                "auth-mode",
                "products[0].block.authMode",
            ),
            (
                "/products/0/block/subBlocks/0/options",
                json!([]),
                "missing-options",
                "products[0].block.subBlocks[0].options",
            ),
            (
                "/products/0/block/subBlocks/1/id",
                json!("op"),
                "duplicate-id",
                "products[0].block.subBlocks[1].id",
            ),
            (
                "/products/0/block/subBlocks/1/condition/value",
                json!("delete"),
                "unknown-condition-value",
                "products[0].block.subBlocks[1].condition.value",
            ),
            (
                "/products/0/capabilities/triggers/0/runtime",
                json!({}),
                "trigger-runtime",
                "products[0].capabilities.triggers[0].runtime",
            ),
            (
                "/products/0/capabilities/triggers/0/runtime/polling/tool",
                json!("acme:crm:get"),
                "unknown-tool",
                "products[0].capabilities.triggers[0].runtime.polling.tool",
            ),
            (
                "/products/0/capabilities/triggers/0/type",
                json!("acme_crm"),
                "duplicate-id",
                "products[0].capabilities.triggers[0].type",
            ),
        ];
        for (pointer, value, code, path) in cases {
            let problems = problems_after(|m| set(m, pointer, value.clone()));
            if code.is_empty() {
                assert_eq!(problems, vec![], "{pointer} = {value} is valid");
            } else {
                assert!(
                    problems.contains(&(code, path.to_owned())),
                    "{pointer} = {value}: expected [{code}] {path}, got {problems:?}"
                );
            }
        }
    }

    #[test]
    fn scopes_need_an_oauth_credential() {
        let problems = problems_after(|m| {
            set(m, "/products/0/credentialRef", json!("apiKey"));
            m["products"][0]["credentialScopes"] = json!(["read"]);
        });
        assert_eq!(
            problems,
            vec![(
                "credential-scopes",
                "products[0].credentialScopes".to_owned()
            )]
        );
    }

    #[test]
    fn consent_templates_know_their_placeholders() {
        let problems = problems_after(|m| {
            m["auth"]["credentials"]["oauth"]["extensions"] = json!({"systemConsent": {
                "kind": "redirect-template",
                "urlTemplate": "https://login.acme.com/{tenantId}/adminconsent",
                "params": {"client_id": "{clientId}", "redirect_uri": "{redirectUrl}"},
                "requiredConfig": ["tenantId"],
                "callback": {"successParam": "admin_consent"}
            }});
        });
        assert_eq!(
            problems,
            vec![(
                "unknown-placeholder",
                "auth.credentials.oauth.extensions.systemConsent.params.redirect_uri".to_owned()
            )]
        );
    }

    #[test]
    fn all_problems_are_reported_in_one_pass() {
        let problems = problems_after(|m| {
            set(m, "/vendor/id", json!("Acme"));
            set(m, "/auth/default", json!("basic"));
            set(m, "/products/0/block/tools/access/0", json!("acme:crm:lst"));
            m["products"][0]["dependencies"] =
                json!([{"type": "npm", "package": "zod", "version": "3"}]);
        });
        let codes: Vec<&str> = problems.iter().map(|(code, _)| *code).collect();
        // The vendor id change also breaks the tool's full id: both are reported.
        assert_eq!(
            codes,
            [
                "vendor-id",
                "unknown-credential",
                "tool-prefix",
                "unknown-tool",
                "dependency-type"
            ]
        );
    }

    #[test]
    fn ids_and_keys() {
        assert!(is_vendor_id("hello-world"));
        assert!(!is_vendor_id("Hello"));
        assert!(!is_vendor_id("1abc"));
        assert!(!is_vendor_id(""));
        assert!(is_secret_key("WEBHOOK_SIGNING-SECRET2"));
        assert!(!is_secret_key("has space"));
        assert!(is_block_type("acme_crm"));
        assert!(!is_block_type("acme-crm"));
    }

    #[test]
    fn svg_detection() {
        assert_eq!(
            svg_problem(r#"<?xml version="1.0"?><svg xmlns="x"><g/></svg>"#),
            None
        );
        assert_eq!(svg_problem("<svg/>"), None);
        assert!(svg_problem("\u{89}PNG").is_some());
        assert!(svg_problem("<svgx></svgx>").is_some());
        assert!(svg_problem("<svg><script>alert(1)</script></svg>").is_some());
    }

    #[test]
    fn placeholders_and_urls() {
        assert_eq!(
            placeholders("https://x/{tenantId}/a?b={clientId}"),
            vec!["tenantId", "clientId"]
        );
        assert_eq!(
            url_problem("https://login.example.com/{tenantId}/authorize"),
            None
        );
        assert!(url_problem("not a url").is_some());
        assert!(url_problem("ftp://x.com").is_some());
    }
}
