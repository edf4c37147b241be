//! Where secret and credential values come from, after the contractspec secret-provider
//! contract: a [`SecretProvider`] trait, an environment provider, a local encrypted store,
//! and a [`SecretManager`] that asks providers in descending priority (registration order
//! breaks ties).
//!
//! Keys are scoped to the organization and the vendor: `integration:{orgId}:{vendorId}:{key}`
//! ([`SecretKey`]). Values are write-only from the CLI: the store lists keys, never values.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use aes_gcm::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use serde::{Deserialize, Serialize};

/// `integration:{orgId}:{vendorId}:{key}`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct SecretKey {
    pub org_id: String,
    pub vendor_id: String,
    pub key: String,
}

impl SecretKey {
    pub fn new(org_id: &str, vendor_id: &str, key: &str) -> SecretKey {
        SecretKey {
            org_id: org_id.to_owned(),
            vendor_id: vendor_id.to_owned(),
            key: key.to_owned(),
        }
    }

    /// Parses `integration:{orgId}:{vendorId}:{key}`.
    pub fn parse(text: &str) -> Option<SecretKey> {
        let rest = text.strip_prefix("integration:")?;
        let mut parts = rest.splitn(3, ':');
        let (org, vendor, key) = (parts.next()?, parts.next()?, parts.next()?);
        (!org.is_empty() && !vendor.is_empty() && !key.is_empty())
            .then(|| SecretKey::new(org, vendor, key))
    }

    /// The environment variable the [`EnvProvider`] reads: `SDK_AUTHORING_<VENDOR>_<KEY>`,
    /// upper-cased, every other character `_` (the org is not part of it: one environment is
    /// one org).
    pub fn env_var(&self) -> String {
        let name: String = format!("{}_{}", self.vendor_id, self.key)
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_uppercase()
                } else {
                    '_'
                }
            })
            .collect();
        format!("SDK_AUTHORING_{name}")
    }
}

impl fmt::Display for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "integration:{}:{}:{}",
            self.org_id, self.vendor_id, self.key
        )
    }
}

/// A structured secret-provider failure.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("{path}: {message}")]
    Store { path: PathBuf, message: String },
    #[error("secret reference {0:?} is not a provider URI like env://NAME")]
    BadUri(String),
}

/// A secret backend.
pub trait SecretProvider: Send + Sync {
    /// A short name for messages (`env`, `local`).
    fn name(&self) -> &str;
    /// The value, or `None` when this provider does not have it.
    fn get(&self, key: &SecretKey) -> Result<Option<String>, SecretError>;
}

/// Reads `SDK_AUTHORING_<VENDOR>_<KEY>` (see [`SecretKey::env_var`]).
pub struct EnvProvider;

impl SecretProvider for EnvProvider {
    fn name(&self) -> &str {
        "env"
    }

    fn get(&self, key: &SecretKey) -> Result<Option<String>, SecretError> {
        Ok(std::env::var(key.env_var()).ok().filter(|v| !v.is_empty()))
    }
}

/// `provider://path?query` references, e.g. `env://ACME_TOKEN`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecretUri {
    pub provider: String,
    pub path: String,
    pub query: BTreeMap<String, String>,
}

/// Parses a secret reference URI.
pub fn parse_secret_uri(uri: &str) -> Result<SecretUri, SecretError> {
    let (provider, rest) = uri
        .split_once("://")
        .ok_or_else(|| SecretError::BadUri(uri.to_owned()))?;
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if provider.is_empty()
        || path.is_empty()
        || !provider
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(SecretError::BadUri(uri.to_owned()));
    }
    let query = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (k.to_owned(), v.to_owned())
        })
        .collect();
    Ok(SecretUri {
        provider: provider.to_owned(),
        path: path.to_owned(),
        query,
    })
}

/// Resolves `env://NAME` to the environment variable's value.
pub fn resolve_secret_uri(uri: &str) -> Result<Option<String>, SecretError> {
    let parsed = parse_secret_uri(uri)?;
    match parsed.provider.as_str() {
        "env" => Ok(std::env::var(&parsed.path).ok()),
        _ => Err(SecretError::BadUri(uri.to_owned())),
    }
}

#[derive(Default, Serialize, Deserialize)]
struct StoreFile {
    version: u32,
    /// Key -> hex(nonce || AES-256-GCM ciphertext), the key as associated data.
    entries: BTreeMap<String, String>,
}

/// A local store: values encrypted with AES-256-GCM under a 256-bit key kept in a separate
/// file; both files mode 0600. Each entry is bound to its key name (associated data), so
/// entries cannot be swapped between keys.
pub struct LocalStore {
    path: PathBuf,
    key_path: PathBuf,
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut temp, bytes)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        temp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

impl LocalStore {
    /// A store at `path` whose key is at `key_path` (created on first write).
    pub fn new(path: PathBuf, key_path: PathBuf) -> LocalStore {
        LocalStore { path, key_path }
    }

    /// `$XDG_DATA_HOME/sdk-authoring/secrets.json` with the key in
    /// `$XDG_CONFIG_HOME/sdk-authoring/secrets.key` (falling back to `~/.local/share` and
    /// `~/.config`), overridable with `SDK_AUTHORING_SECRETS_DIR` (both files in it).
    pub fn default_location() -> Option<LocalStore> {
        if let Some(dir) = std::env::var_os("SDK_AUTHORING_SECRETS_DIR").filter(|v| !v.is_empty()) {
            let dir = PathBuf::from(dir);
            return Some(LocalStore::new(
                dir.join("secrets.json"),
                dir.join("secrets.key"),
            ));
        }
        let home = std::env::var_os("HOME").map(PathBuf::from);
        let xdg = |var: &str, fallback: &str| {
            std::env::var_os(var)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .or_else(|| home.as_ref().map(|h| h.join(fallback)))
        };
        let data = xdg("XDG_DATA_HOME", ".local/share")?.join("sdk-authoring");
        let config = xdg("XDG_CONFIG_HOME", ".config")?.join("sdk-authoring");
        Some(LocalStore::new(
            data.join("secrets.json"),
            config.join("secrets.key"),
        ))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn error(&self, path: &Path, message: impl Into<String>) -> SecretError {
        SecretError::Store {
            path: path.to_path_buf(),
            message: message.into(),
        }
    }

    fn read_file(&self) -> Result<StoreFile, SecretError> {
        match std::fs::read(&self.path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map_err(|e| self.error(&self.path, format!("not a secret store: {e}"))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(StoreFile {
                version: 1,
                entries: BTreeMap::new(),
            }),
            Err(e) => Err(self.error(&self.path, e.to_string())),
        }
    }

    fn write_file(&self, file: &StoreFile) -> Result<(), SecretError> {
        let bytes = serde_json::to_vec_pretty(file).expect("the store serializes");
        write_private(&self.path, &bytes).map_err(|e| self.error(&self.path, e.to_string()))
    }

    fn cipher(&self, create: bool) -> Result<Option<Aes256Gcm>, SecretError> {
        match std::fs::read(&self.key_path) {
            Ok(bytes) if bytes.len() == 32 => {
                Ok(Some(Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&bytes))))
            }
            Ok(_) => Err(self.error(
                &self.key_path,
                "the key file is not 32 bytes; restore it or delete both files to start over",
            )),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && create => {
                let key = Aes256Gcm::generate_key(OsRng);
                write_private(&self.key_path, key.as_slice())
                    .map_err(|e| self.error(&self.key_path, e.to_string()))?;
                Ok(Some(Aes256Gcm::new(&key)))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(self.error(&self.key_path, e.to_string())),
        }
    }

    /// Stores (or replaces) a value.
    pub fn set(&self, key: &SecretKey, value: &str) -> Result<(), SecretError> {
        let cipher = self.cipher(true)?.expect("created when missing");
        let name = key.to_string();
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let ciphertext = cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: value.as_bytes(),
                    aad: name.as_bytes(),
                },
            )
            .map_err(|_| self.error(&self.path, "encryption failed"))?;
        let mut file = self.read_file()?;
        file.version = 1;
        file.entries
            .insert(name, hex::encode([nonce.as_slice(), &ciphertext].concat()));
        self.write_file(&file)
    }

    /// Removes a value; `false` when there was none.
    pub fn delete(&self, key: &SecretKey) -> Result<bool, SecretError> {
        let mut file = self.read_file()?;
        let removed = file.entries.remove(&key.to_string()).is_some();
        if removed {
            self.write_file(&file)?;
        }
        Ok(removed)
    }

    /// The stored keys (never values), optionally only those of one org and vendor.
    pub fn list(
        &self,
        org_id: Option<&str>,
        vendor_id: Option<&str>,
    ) -> Result<Vec<SecretKey>, SecretError> {
        Ok(self
            .read_file()?
            .entries
            .keys()
            .filter_map(|k| SecretKey::parse(k))
            .filter(|k| {
                org_id.is_none_or(|o| k.org_id == o) && vendor_id.is_none_or(|v| k.vendor_id == v)
            })
            .collect())
    }
}

impl SecretProvider for LocalStore {
    fn name(&self) -> &str {
        "local"
    }

    fn get(&self, key: &SecretKey) -> Result<Option<String>, SecretError> {
        let file = self.read_file()?;
        let name = key.to_string();
        let Some(sealed) = file.entries.get(&name) else {
            return Ok(None);
        };
        let Some(cipher) = self.cipher(false)? else {
            return Err(self.error(
                &self.key_path,
                "the key file is missing, so stored values cannot be read",
            ));
        };
        let bytes = hex::decode(sealed)
            .map_err(|_| self.error(&self.path, format!("entry {name} is corrupt")))?;
        if bytes.len() < 12 {
            return Err(self.error(&self.path, format!("entry {name} is corrupt")));
        }
        let (nonce, ciphertext) = bytes.split_at(12);
        let plain = cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: name.as_bytes(),
                },
            )
            .map_err(|_| {
                self.error(
                    &self.path,
                    format!(
                        "entry {name} does not decrypt with this key (tampered, or the key changed)"
                    ),
                )
            })?;
        String::from_utf8(plain)
            .map(Some)
            .map_err(|_| self.error(&self.path, format!("entry {name} is not UTF-8")))
    }
}

/// Asks providers in descending priority; equal priorities keep registration order.
#[derive(Default)]
pub struct SecretManager {
    providers: Vec<(i32, Box<dyn SecretProvider>)>,
}

impl SecretManager {
    pub fn new() -> SecretManager {
        SecretManager::default()
    }

    /// Adds a provider (builder style).
    pub fn with(mut self, provider: impl SecretProvider + 'static, priority: i32) -> SecretManager {
        self.providers.push((priority, Box::new(provider)));
        // A stable sort keeps registration order among equal priorities.
        self.providers
            .sort_by_key(|(priority, _)| std::cmp::Reverse(*priority));
        self
    }

    /// The environment first (priority 100), then the local store (50): what the CLI uses.
    pub fn standard() -> SecretManager {
        let manager = SecretManager::new().with(EnvProvider, 100);
        match LocalStore::default_location() {
            Some(store) => manager.with(store, 50),
            None => manager,
        }
    }

    /// The first provider's value, with the provider's name.
    pub fn get(&self, key: &SecretKey) -> Result<Option<(String, &str)>, SecretError> {
        for (_, provider) in &self.providers {
            if let Some(value) = provider.get(key)? {
                return Ok(Some((value, provider.name())));
            }
        }
        Ok(None)
    }

    /// The names of the providers, in the order they are asked.
    pub fn provider_names(&self) -> Vec<&str> {
        self.providers.iter().map(|(_, p)| p.name()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (tempfile::TempDir, LocalStore) {
        let dir = tempfile::tempdir().unwrap();
        let store = LocalStore::new(
            dir.path().join("data/secrets.json"),
            dir.path().join("config/secrets.key"),
        );
        (dir, store)
    }

    #[test]
    fn keys_are_scoped_and_round_trip() {
        let key = SecretKey::new("org_abc123", "acme", "WEBHOOK_SIGNING_SECRET");
        assert_eq!(
            key.to_string(),
            "integration:org_abc123:acme:WEBHOOK_SIGNING_SECRET"
        );
        assert_eq!(SecretKey::parse(&key.to_string()), Some(key.clone()));
        assert_eq!(key.env_var(), "SDK_AUTHORING_ACME_WEBHOOK_SIGNING_SECRET");
        assert_eq!(SecretKey::parse("integration:org:acme"), None);
    }

    #[test]
    fn the_store_encrypts_lists_keys_only_and_is_private() {
        let (_dir, store) = store();
        let key = SecretKey::new("org", "acme", "TOKEN");
        store.set(&key, "s3cret-value").unwrap();
        assert_eq!(store.get(&key).unwrap().as_deref(), Some("s3cret-value"));
        let on_disk = std::fs::read_to_string(store.path()).unwrap();
        assert!(
            !on_disk.contains("s3cret-value"),
            "values are encrypted at rest"
        );
        assert_eq!(store.list(None, Some("acme")).unwrap(), vec![key.clone()]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            for path in [store.path(), store.key_path.as_path()] {
                assert_eq!(
                    std::fs::metadata(path).unwrap().permissions().mode() & 0o777,
                    0o600
                );
            }
        }
        assert!(store.delete(&key).unwrap());
        assert_eq!(store.get(&key).unwrap(), None);
    }

    #[test]
    fn entries_are_bound_to_their_key() {
        let (_dir, store) = store();
        let (a, b) = (SecretKey::new("o", "v", "A"), SecretKey::new("o", "v", "B"));
        store.set(&a, "alpha").unwrap();
        store.set(&b, "beta").unwrap();
        let mut file: StoreFile =
            serde_json::from_slice(&std::fs::read(store.path()).unwrap()).unwrap();
        let sealed_a = file.entries[&a.to_string()].clone();
        file.entries.insert(b.to_string(), sealed_a);
        std::fs::write(store.path(), serde_json::to_vec(&file).unwrap()).unwrap();
        assert!(
            store
                .get(&b)
                .unwrap_err()
                .to_string()
                .contains("does not decrypt")
        );
    }

    #[test]
    fn the_manager_asks_providers_by_priority() {
        struct Fixed(&'static str, Option<&'static str>);
        impl SecretProvider for Fixed {
            fn name(&self) -> &str {
                self.0
            }
            fn get(&self, _: &SecretKey) -> Result<Option<String>, SecretError> {
                Ok(self.1.map(str::to_owned))
            }
        }
        let manager = SecretManager::new()
            .with(Fixed("low", Some("l")), 1)
            .with(Fixed("first-high", None), 10)
            .with(Fixed("second-high", Some("h")), 10);
        assert_eq!(
            manager.provider_names(),
            ["first-high", "second-high", "low"]
        );
        let key = SecretKey::new("o", "v", "k");
        assert_eq!(
            manager.get(&key).unwrap(),
            Some(("h".to_owned(), "second-high"))
        );
    }

    #[test]
    fn secret_uris() {
        let uri = parse_secret_uri("env://ACME_TOKEN?version=2").unwrap();
        assert_eq!(
            (uri.provider.as_str(), uri.path.as_str()),
            ("env", "ACME_TOKEN")
        );
        assert_eq!(uri.query["version"], "2");
        assert!(parse_secret_uri("ACME_TOKEN").is_err());
    }
}
