//! `sdk-authoring integrations init`.

use std::path::PathBuf;

use clap::Args;

use crate::init::{InitOptions, SdkSource, init_vendor, templates};
use crate::report::{Reporter, shown_path};

/// Create a vendor crate from a template: it builds and passes `test` as generated.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    sdk-authoring integrations init my-vendor\n  \
    sdk-authoring integrations init acme-tickets --template api-key --path integrations/acme-tickets\n  \
    sdk-authoring integrations init --list")]
pub struct InitArgs {
    /// The vendor id: lowercase letters, digits and hyphens, starting with a letter.
    #[arg(required_unless_present = "list")]
    pub name: Option<String>,
    /// The template (see --list).
    #[arg(long, short, default_value = "none")]
    pub template: String,
    /// Where to create the crate (default: ./<name>).
    #[arg(long)]
    pub path: Option<PathBuf>,
    /// Write into a non-empty directory.
    #[arg(long)]
    pub force: bool,
    /// List the templates.
    #[arg(long)]
    pub list: bool,
    /// Depend on sdk-authoring at this directory (a checkout's `sdk/`).
    #[arg(long, conflicts_with = "registry")]
    pub sdk_path: Option<PathBuf>,
    /// Depend on the published sdk-authoring from crates.io, even when run from a checkout.
    #[arg(long)]
    pub registry: bool,
}

pub fn run(args: &InitArgs, reporter: &Reporter) -> i32 {
    if args.list {
        for template in templates() {
            println!("{:<14} {}", template.name, template.description);
        }
        return 0;
    }
    let name = args.name.clone().unwrap_or_default();
    let sdk = match (&args.sdk_path, args.registry) {
        (Some(dir), _) => match dir.canonicalize() {
            Ok(dir) if dir.join("Cargo.toml").is_file() => SdkSource::Path(dir),
            _ => {
                reporter.error(format!(
                    "--sdk-path {}: no sdk-authoring crate there",
                    dir.display()
                ));
                return 2;
            }
        },
        (None, true) => SdkSource::Registry,
        (None, false) => SdkSource::checkout().map_or(SdkSource::Registry, SdkSource::Path),
    };
    let options = InitOptions {
        path: args.path.clone().unwrap_or_else(|| PathBuf::from(&name)),
        name,
        template: args.template.clone(),
        force: args.force,
        sdk: sdk.clone(),
    };
    match init_vendor(&options) {
        Ok(files) => {
            let dir = shown_path(
                &options
                    .path
                    .canonicalize()
                    .unwrap_or_else(|_| options.path.clone()),
            );
            reporter.status(
                "Created",
                format!(
                    "vendor `{}` from template `{}` in {} ({} files)",
                    options.name,
                    options.template,
                    dir.display(),
                    files.len()
                ),
            );
            match &sdk {
                SdkSource::Path(path) => reporter.status(
                    "Using",
                    format!(
                        "sdk-authoring at {} (this checkout; --registry for the published crate)",
                        path.display()
                    ),
                ),
                SdkSource::Registry => reporter.status("Using", "sdk-authoring from crates.io"),
            }
            println!(
                "next:\n  cd {}\n  sdk-authoring integrations build\n  sdk-authoring integrations test",
                dir.display()
            );
            0
        }
        Err(error) => {
            reporter.error(error.to_string());
            1
        }
    }
}
