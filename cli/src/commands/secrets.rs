//! `sdk-authoring integrations secrets set|delete|list`: the local encrypted secret store.
//! Values are write-only: `set` reads them from stdin or a no-echo prompt, `list` shows keys.

use std::io::{IsTerminal, Read};

use clap::{Args, Subcommand};

use sdk_authoring_runtime::secrets::{LocalStore, SecretKey};

use crate::report::Reporter;

/// Manage the local encrypted secret store (AES-256-GCM; keys integration:{org}:{vendor}:{key}).
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    printf %s \"$TOKEN\" | sdk-authoring integrations secrets set --vendor acme WEBHOOK_SIGNING_SECRET\n  \
    sdk-authoring integrations secrets set --vendor acme auth.apiKey        # prompts, no echo\n  \
    sdk-authoring integrations secrets list --vendor acme\n  \
    sdk-authoring integrations secrets delete --vendor acme WEBHOOK_SIGNING_SECRET\n\n\
    Values set here are used by `test --level live` and `run`; the environment variable\n  \
    SDK_AUTHORING_<VENDOR>_<KEY> takes precedence. Credentials use the keys auth.apiKey,\n  \
    auth.accessToken, auth.botToken, auth.username and auth.password.")]
pub struct SecretsArgs {
    #[command(subcommand)]
    pub action: SecretsAction,
}

#[derive(Debug, Subcommand)]
pub enum SecretsAction {
    /// Store a value (read from stdin, or prompted for without echo).
    Set(KeyArgs),
    /// Remove a value.
    Delete(KeyArgs),
    /// List stored keys (never values).
    List(ScopeArgs),
}

#[derive(Debug, Args)]
pub struct ScopeArgs {
    /// The vendor id.
    #[arg(long)]
    pub vendor: Option<String>,
    /// The organization id.
    #[arg(long, default_value = "local")]
    pub org: String,
}

#[derive(Debug, Args)]
pub struct KeyArgs {
    /// The secret's key, e.g. WEBHOOK_SIGNING_SECRET or auth.apiKey.
    pub key: String,
    /// The vendor id.
    #[arg(long)]
    pub vendor: String,
    /// The organization id.
    #[arg(long, default_value = "local")]
    pub org: String,
}

fn valid_key(key: &str) -> bool {
    let bare = key.strip_prefix("auth.").unwrap_or(key);
    sdk_authoring::validate::is_secret_key(bare)
}

fn read_value(key: &SecretKey) -> Result<String, String> {
    let value = if std::io::stdin().is_terminal() {
        rpassword::prompt_password(format!("value for {key}: "))
            .map_err(|e| format!("could not read the value: {e}"))?
    } else {
        let mut value = String::new();
        std::io::stdin()
            .read_to_string(&mut value)
            .map_err(|e| format!("could not read the value from stdin: {e}"))?;
        value.trim_end_matches(['\n', '\r']).to_owned()
    };
    if value.is_empty() {
        return Err(format!("{key}: the value is empty; nothing was stored"));
    }
    Ok(value)
}

pub fn run(args: &SecretsArgs, reporter: &Reporter) -> i32 {
    let Some(store) = LocalStore::default_location() else {
        reporter.error(
            "no home directory: set SDK_AUTHORING_SECRETS_DIR to choose where the store lives",
        );
        return 1;
    };
    let result = match &args.action {
        SecretsAction::Set(key_args) | SecretsAction::Delete(key_args)
            if !valid_key(&key_args.key) =>
        {
            Err(format!(
                "{:?} is not a secret key: use letters, digits, '_' and '-' (credentials: auth.apiKey, auth.accessToken, ...)",
                key_args.key
            ))
        }
        SecretsAction::Set(key_args) => {
            let key = SecretKey::new(&key_args.org, &key_args.vendor, &key_args.key);
            read_value(&key).and_then(|value| {
                store.set(&key, &value).map_err(|e| e.to_string())?;
                reporter.status("Stored", format!("{key} in {}", store.path().display()));
                Ok(())
            })
        }
        SecretsAction::Delete(key_args) => {
            let key = SecretKey::new(&key_args.org, &key_args.vendor, &key_args.key);
            match store.delete(&key) {
                Ok(true) => {
                    reporter.status("Deleted", key.to_string());
                    Ok(())
                }
                Ok(false) => Err(format!("{key} is not in the store")),
                Err(error) => Err(error.to_string()),
            }
        }
        SecretsAction::List(scope) => store
            .list(Some(&scope.org), scope.vendor.as_deref())
            .map_err(|e| e.to_string())
            .map(|keys| {
                for key in keys {
                    println!("{key}");
                }
            }),
    };
    match result {
        Ok(()) => 0,
        Err(message) => {
            reporter.error(message);
            1
        }
    }
}
