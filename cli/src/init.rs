//! `integrations init`: a new vendor crate from a template in `templates/` (embedded in the
//! binary at build time).
//!
//! The generated crate depends on sdk-authoring either by path - a checkout of this
//! repository, used automatically when the binary was built from one that still exists, or
//! `--sdk-path` - or by version from the registry (`--registry`). Nothing is written unless
//! every check passes: the files are assembled in a temporary directory and moved into place.

use std::path::{Path, PathBuf};

use serde::Deserialize;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/templates.rs"));
}

/// A template and its one-line description.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateInfo {
    pub name: &'static str,
    pub description: String,
}

#[derive(Deserialize)]
struct TemplateMeta {
    description: String,
}

/// The templates built into this binary.
pub fn templates() -> Vec<TemplateInfo> {
    embedded::TEMPLATES
        .iter()
        .map(|(name, files)| {
            let description = files
                .iter()
                .find(|(path, _)| *path == "template.json")
                .and_then(|(_, text)| serde_json::from_str::<TemplateMeta>(text).ok())
                .map_or_else(|| "(no description)".to_owned(), |meta| meta.description);
            TemplateInfo { name, description }
        })
        .collect()
}

/// Where the generated crate gets sdk-authoring from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SdkSource {
    /// `sdk-authoring = "<major>.<minor>"` from crates.io.
    Registry,
    /// `sdk-authoring = { path = "<dir>" }`.
    Path(PathBuf),
}

impl SdkSource {
    /// The SDK of the checkout this binary was built from, when it is still there.
    pub fn checkout() -> Option<PathBuf> {
        let sdk = Path::new(env!("CARGO_MANIFEST_DIR")).join("../sdk");
        let manifest = std::fs::read_to_string(sdk.join("Cargo.toml")).ok()?;
        manifest
            .contains("name = \"sdk-authoring\"")
            .then(|| sdk.canonicalize().ok())
            .flatten()
    }

    fn dependency(&self) -> String {
        match self {
            SdkSource::Registry => {
                let version = env!("CARGO_PKG_VERSION");
                let major_minor: Vec<&str> = version.split('.').take(2).collect();
                format!("\"{}\"", major_minor.join("."))
            }
            SdkSource::Path(dir) => format!(
                "{{ path = {} }}",
                serde_json::to_string(&dir.display().to_string()).unwrap_or_default()
            ),
        }
    }
}

/// What `init` creates.
#[derive(Clone, Debug)]
pub struct InitOptions {
    pub name: String,
    pub template: String,
    /// The crate directory (default `./<name>`).
    pub path: PathBuf,
    /// Write into a non-empty directory (existing files with the same names are replaced).
    pub force: bool,
    pub sdk: SdkSource,
}

/// Why nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error("{name:?} is not a vendor id (^[a-z][a-z0-9-]*$: lowercase letters, digits and hyphens, starting with a letter){}", suggestion.as_ref().map(|s| format!("; try {s:?}")).unwrap_or_default())]
    BadName {
        name: String,
        suggestion: Option<String>,
    },
    #[error(
        "no template {name:?}; choose one of: {available} (see `sdk-authoring integrations init --list`)"
    )]
    UnknownTemplate { name: String, available: String },
    #[error(
        "{path} exists and is not empty; choose another --path, or pass --force to write into it"
    )]
    NotEmpty { path: PathBuf },
    #[error("could not write {path}: {error}")]
    Write {
        path: PathBuf,
        error: std::io::Error,
    },
}

/// `My Vendor` from `my-vendor`.
pub fn display_name(id: &str) -> String {
    id.split('-')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn suggest_id(name: &str) -> Option<String> {
    let mut id: String = name
        .trim()
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    while id.contains("--") {
        id = id.replace("--", "-");
    }
    let id = id
        .trim_matches('-')
        .trim_start_matches(|c: char| c.is_ascii_digit())
        .trim_start_matches('-')
        .to_owned();
    sdk_authoring::validate::is_vendor_id(&id).then_some(id)
}

/// The rendered files of a template: `(relative path, contents)`.
fn render(template: &[(&str, &str)], options: &InitOptions) -> Vec<(String, String)> {
    let replacements = [
        ("{{vendor_id}}", options.name.clone()),
        ("{{vendor_name}}", display_name(&options.name)),
        ("{{block_prefix}}", options.name.replace('-', "_")),
        ("{{sdk_dependency}}", options.sdk.dependency()),
        (
            "{{env_prefix}}",
            format!(
                "SDK_AUTHORING_{}",
                options.name.replace('-', "_").to_ascii_uppercase()
            ),
        ),
    ];
    template
        .iter()
        .filter(|(path, _)| *path != "template.json")
        .map(|(path, text)| {
            let path = match *path {
                "Cargo.toml.tmpl" => "Cargo.toml".to_owned(),
                "gitignore" => ".gitignore".to_owned(),
                other => other.to_owned(),
            };
            let text = replacements
                .iter()
                .fold(text.to_string(), |text, (from, to)| text.replace(from, to));
            (path, text)
        })
        .collect()
}

/// Writes the vendor crate; returns the files written.
pub fn init_vendor(options: &InitOptions) -> Result<Vec<String>, InitError> {
    if !sdk_authoring::validate::is_vendor_id(&options.name) {
        return Err(InitError::BadName {
            name: options.name.clone(),
            suggestion: suggest_id(&options.name),
        });
    }
    let template = embedded::TEMPLATES
        .iter()
        .find(|(name, _)| *name == options.template)
        .ok_or_else(|| InitError::UnknownTemplate {
            name: options.template.clone(),
            available: templates()
                .iter()
                .map(|t| t.name)
                .collect::<Vec<_>>()
                .join(", "),
        })?;
    let target = &options.path;
    let non_empty = std::fs::read_dir(target)
        .map(|mut d| d.next().is_some())
        .unwrap_or(false);
    if non_empty && !options.force {
        return Err(InitError::NotEmpty {
            path: target.clone(),
        });
    }
    let files = render(template.1, options);
    let write_error = |path: &Path| {
        let path = path.to_path_buf();
        move |error| InitError::Write { path, error }
    };
    let parent = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(write_error(&parent))?;
    let staging = tempfile::Builder::new()
        .prefix(".init-")
        .tempdir_in(&parent)
        .map_err(write_error(&parent))?;
    for (path, text) in &files {
        let file = staging.path().join(path);
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir).map_err(write_error(dir))?;
        }
        std::fs::write(&file, text).map_err(write_error(&file))?;
    }
    if non_empty {
        for (path, _) in &files {
            let to = target.join(path);
            if let Some(dir) = to.parent() {
                std::fs::create_dir_all(dir).map_err(write_error(dir))?;
            }
            std::fs::rename(staging.path().join(path), &to).map_err(write_error(&to))?;
        }
    } else {
        // A missing or empty directory is replaced in one rename.
        let staged = staging.keep();
        if let Err(error) = std::fs::rename(&staged, target) {
            let _ = std::fs::remove_dir_all(&staged);
            return Err(InitError::Write {
                path: target.clone(),
                error,
            });
        }
    }
    Ok(files.into_iter().map(|(path, _)| path).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(display_name("my-vendor"), "My Vendor");
        assert_eq!(suggest_id("My Vendor!").as_deref(), Some("my-vendor"));
        assert_eq!(suggest_id("42"), None);
    }

    #[test]
    fn every_template_has_the_layout_init_needs() {
        let names: Vec<&str> = templates().iter().map(|t| t.name).collect();
        for expected in [
            "none",
            "api-key",
            "oauth",
            "bot-token",
            "basic-auth",
            "multi-product",
            "trigger",
            "llm",
        ] {
            assert!(
                names.contains(&expected),
                "template {expected} is embedded: {names:?}"
            );
        }
        for (name, files) in embedded::TEMPLATES {
            for required in [
                "template.json",
                "Cargo.toml.tmpl",
                "src/lib.rs",
                "assets/icon.svg",
                "README.md",
                "gitignore",
            ] {
                assert!(
                    files.iter().any(|(p, _)| *p == required),
                    "{name} lacks {required}"
                );
            }
            assert!(
                files.iter().any(|(p, _)| p.starts_with("tests/cases/")),
                "{name} has test cases"
            );
        }
    }
}
