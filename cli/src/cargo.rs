//! Driving cargo: find the vendor crate, make sure `wasm32-wasip2` is installed, build in
//! release and find the component among cargo's JSON artifact messages (so no extra
//! `cargo metadata` call is needed: cargo reports fresh artifacts too).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::Deserialize;

use crate::report::{MessageFormat, Reporter, shown_path};
use crate::sbom::Metadata;

pub const WASM_TARGET: &str = "wasm32-wasip2";

/// Why the vendor crate could not be compiled into a component.
#[derive(Debug, thiserror::Error)]
pub enum CargoError {
    #[error(
        "--entry {entry}: no Cargo.toml there; point --entry at a vendor crate directory or its \
         Cargo.toml"
    )]
    NotACrate { entry: PathBuf },
    #[error(
        "the {WASM_TARGET} target is not installed and rustup was not found; install the \
         target for your toolchain (with rustup: `rustup target add {WASM_TARGET}`)"
    )]
    NoRustup,
    #[error(
        "`rustup target add {WASM_TARGET}` failed (exit status {status}); run it yourself to see why"
    )]
    TargetInstall { status: String },
    #[error("could not run `{program}`: {error}; is the Rust toolchain installed and on PATH?")]
    Spawn {
        program: String,
        error: std::io::Error,
    },
    #[error(
        "could not compile the vendor crate at {manifest} (cargo's errors are above); fix them and build again"
    )]
    Compile { manifest: PathBuf },
    #[error(
        "{manifest}: not a vendor crate (it built no library for this manifest); point --entry \
         at a package with a [lib], not at a workspace root"
    )]
    NoLibrary { manifest: PathBuf },
    #[error("`cargo metadata` failed for {manifest}: {message}")]
    Metadata { manifest: PathBuf, message: String },
    #[error(
        "{manifest}: the library is not a cdylib, so cargo wrote no .wasm; add \
         `[lib] crate-type = [\"cdylib\", \"rlib\"]`"
    )]
    NotCdylib { manifest: PathBuf },
}

/// The entry's `Cargo.toml`: `--entry` may name the crate directory or the file itself.
pub fn locate_manifest(entry: &Path) -> Result<PathBuf, CargoError> {
    let manifest = if entry.file_name().is_some_and(|name| name == "Cargo.toml") {
        entry.to_path_buf()
    } else {
        entry.join("Cargo.toml")
    };
    if !manifest.is_file() {
        return Err(CargoError::NotACrate {
            entry: entry.to_path_buf(),
        });
    }
    manifest.canonicalize().map_err(|_| CargoError::NotACrate {
        entry: entry.to_path_buf(),
    })
}

/// Installs `wasm32-wasip2` through rustup when the toolchain that builds `crate_dir` lacks
/// it (honouring the crate's `rust-toolchain.toml`).
pub fn ensure_wasm_target(crate_dir: &Path, reporter: &Reporter) -> Result<(), CargoError> {
    let output = Command::new("rustc")
        .args(["--print", "sysroot"])
        .current_dir(crate_dir)
        .output()
        .map_err(|error| CargoError::Spawn {
            program: "rustc".into(),
            error,
        })?;
    let sysroot = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
    if sysroot.join("lib/rustlib").join(WASM_TARGET).is_dir() {
        return Ok(());
    }
    if !on_path("rustup") {
        return Err(CargoError::NoRustup);
    }
    reporter.status(
        "Installing",
        format!("{WASM_TARGET} target (rustup target add {WASM_TARGET})"),
    );
    let status = Command::new("rustup")
        .args(["target", "add", WASM_TARGET])
        .current_dir(crate_dir)
        .stdout(Stdio::null())
        .status()
        .map_err(|error| CargoError::Spawn {
            program: "rustup".into(),
            error,
        })?;
    if status.success() {
        Ok(())
    } else {
        Err(CargoError::TargetInstall {
            status: status.to_string(),
        })
    }
}

/// Whether an executable named `program` is in one of the PATH directories.
fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

/// The component cargo built, and where.
#[derive(Clone, Debug)]
pub struct CompiledVendor {
    pub package_name: String,
    pub wasm_path: PathBuf,
    /// The crate's library source (where `define_vendor!` is), for error messages.
    pub src_path: PathBuf,
    /// cargo's target directory (`target/`), for our caches.
    pub target_dir: PathBuf,
}

#[derive(Deserialize)]
struct Message {
    reason: String,
    #[serde(default)]
    manifest_path: Option<PathBuf>,
    #[serde(default)]
    target: Option<ArtifactTarget>,
    #[serde(default)]
    filenames: Vec<PathBuf>,
    #[serde(default)]
    package_id: Option<String>,
}

#[derive(Deserialize)]
struct ArtifactTarget {
    name: String,
    crate_types: Vec<String>,
    src_path: PathBuf,
}

/// `cargo metadata` of the vendor crate for the wasm target: the packages and the resolved
/// graph the SBOM is made of.
pub fn cargo_metadata(manifest: &Path) -> Result<Metadata, CargoError> {
    let cargo = cargo_program();
    let output = Command::new(&cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--filter-platform",
            WASM_TARGET,
        ])
        .arg("--manifest-path")
        .arg(manifest)
        .stderr(Stdio::piped())
        .output()
        .map_err(|error| CargoError::Spawn {
            program: cargo.display().to_string(),
            error,
        })?;
    let fail = |message: String| CargoError::Metadata {
        manifest: shown_path(manifest),
        message,
    };
    if !output.status.success() {
        return Err(fail(
            String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        ));
    }
    serde_json::from_slice(&output.stdout).map_err(|error| fail(error.to_string()))
}

fn cargo_program() -> PathBuf {
    std::env::var_os("CARGO").map_or_else(|| PathBuf::from("cargo"), PathBuf::from)
}

/// `--remap-path-prefix` flags that take this machine's paths out of the wasm (panic
/// locations name source files): the cargo home becomes `/cargo`, every path package outside
/// the workspace `/build/<name>`. Passed as target rustflags so they merge with the user's config.
pub fn remap_path_flags(metadata: &Metadata) -> Vec<String> {
    let mut remaps: Vec<(PathBuf, String)> = Vec::new();
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")));
    if let Some(cargo_home) = cargo_home {
        remaps.push((cargo_home, "/cargo".into()));
    }
    // Cargo hands rustc the sources of workspace members by relative path already; only path
    // packages outside the workspace (an SDK checkout, say) are named absolutely. Leaving the
    // members out also keeps the flags equal for every vendor using the same SDK, so one
    // target directory can serve them all.
    let outside_workspace = metadata
        .packages
        .iter()
        .filter(|p| p.source.is_none() && !p.manifest_path.starts_with(&metadata.workspace_root));
    for package in outside_workspace {
        if let Some(dir) = package.manifest_path.parent() {
            remaps.push((dir.to_path_buf(), format!("/build/{}", package.name)));
        }
    }
    // rustc uses the last matching remap: most specific (longest) last.
    remaps.sort_by_key(|(from, _)| from.as_os_str().len());
    remaps
        .into_iter()
        .map(|(from, to)| format!("--remap-path-prefix={}={to}", from.display()))
        .collect()
}

/// `cargo build --release --target wasm32-wasip2` of the crate at `manifest`. Cargo's
/// progress and diagnostics go straight to our stderr; with JSON output its messages are
/// forwarded to stdout.
pub fn build_component(
    manifest: &Path,
    rustflags: &[String],
    reporter: &Reporter,
) -> Result<CompiledVendor, CargoError> {
    let cargo = cargo_program();
    let format = match reporter.format {
        MessageFormat::Human => "json-render-diagnostics",
        MessageFormat::Json => "json",
    };
    let mut command = Command::new(&cargo);
    command
        .args([
            "build",
            "--release",
            "--target",
            WASM_TARGET,
            "--message-format",
            format,
        ])
        .arg("--manifest-path")
        .arg(manifest)
        .arg("--config")
        .arg(format!(
            "target.{WASM_TARGET}.rustflags={}",
            serde_json::to_string(rustflags).unwrap_or_default()
        ))
        .stdout(Stdio::piped())
        .stderr(if reporter.quiet {
            Stdio::null()
        } else {
            Stdio::inherit()
        });
    if reporter.quiet {
        command.arg("--quiet");
    }
    let mut child = command.spawn().map_err(|error| CargoError::Spawn {
        program: cargo.display().to_string(),
        error,
    })?;
    let mut root = None;
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if reporter.format == MessageFormat::Json {
                reporter.forward(&line);
            }
            let Ok(message) = serde_json::from_str::<Message>(&line) else {
                continue;
            };
            if message.reason == "compiler-artifact"
                && message.manifest_path.as_deref() == Some(manifest)
            {
                root = Some(message);
            }
        }
    }
    let status = child.wait().map_err(|error| CargoError::Spawn {
        program: cargo.display().to_string(),
        error,
    })?;
    if !status.success() {
        return Err(CargoError::Compile {
            manifest: shown_path(manifest),
        });
    }
    let root = root
        .filter(|m| {
            m.target.as_ref().is_some_and(|t| {
                t.crate_types
                    .iter()
                    .any(|k| k == "cdylib" || k == "rlib" || k == "lib")
            })
        })
        .ok_or_else(|| CargoError::NoLibrary {
            manifest: shown_path(manifest),
        })?;
    let target = root.target.expect("filtered on target above");
    let wasm_path = root
        .filenames
        .iter()
        .find(|path| path.extension().is_some_and(|ext| ext == "wasm"))
        .cloned()
        .ok_or_else(|| CargoError::NotCdylib {
            manifest: shown_path(manifest),
        })?;
    // target/wasm32-wasip2/release/<name>.wasm
    let target_dir = wasm_path
        .ancestors()
        .nth(3)
        .map_or_else(|| manifest.with_file_name("target"), Path::to_path_buf);
    let package_name = root
        .package_id
        .as_deref()
        .and_then(package_name_of)
        .unwrap_or(target.name);
    Ok(CompiledVendor {
        package_name,
        wasm_path,
        src_path: target.src_path,
        target_dir,
    })
}

/// The name out of a package id: `path+file:///x/hello-world#1.0.0` or
/// `path+file:///x/y#hello-world@1.0.0`.
fn package_name_of(package_id: &str) -> Option<String> {
    let (location, fragment) = package_id.rsplit_once('#')?;
    match fragment.split_once('@') {
        Some((name, _)) => Some(name.to_owned()),
        None => location.rsplit('/').next().map(str::to_owned),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_names_from_ids() {
        assert_eq!(
            package_name_of("path+file:///w/examples/hello-world#1.0.0").as_deref(),
            Some("hello-world")
        );
        assert_eq!(
            package_name_of("path+file:///w/examples/x#acme@2.1.0").as_deref(),
            Some("acme")
        );
    }

    #[test]
    fn entry_without_cargo_toml_is_not_a_crate() {
        let dir = tempfile::tempdir().unwrap();
        let error = locate_manifest(dir.path()).unwrap_err();
        assert!(error.to_string().contains("no Cargo.toml there"));
    }
}
