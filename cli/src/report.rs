//! How the CLI talks: cargo-style status lines on stderr (`   Compiling`, `  Extracting`,
//! `    Finished`), results on stdout, JSON lines on stdout with `--message-format json`.
//! Colors only on a terminal and never with `NO_COLOR`.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

/// `human` (default) or `json`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum MessageFormat {
    #[default]
    Human,
    Json,
}

/// Where status and results go.
#[derive(Clone, Debug)]
pub struct Reporter {
    pub format: MessageFormat,
    pub quiet: bool,
    pub verbose: bool,
    color: bool,
}

impl Reporter {
    pub fn new(format: MessageFormat, quiet: bool, verbose: bool) -> Reporter {
        let color = std::io::stderr().is_terminal()
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        Reporter {
            format,
            quiet,
            verbose,
            color,
        }
    }

    /// A reporter that prints nothing on stderr (for library use and tests).
    pub fn silent() -> Reporter {
        Reporter {
            format: MessageFormat::Human,
            quiet: true,
            verbose: false,
            color: false,
        }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    /// `{verb:>12} {message}`, the verb in bold green, like cargo.
    pub fn status(&self, verb: &str, message: impl AsRef<str>) {
        if self.quiet {
            return;
        }
        let verb = self.paint("1;32", &format!("{verb:>12}"));
        let _ = writeln!(std::io::stderr(), "{verb} {}", message.as_ref());
    }

    /// A status line shown only with `--verbose`.
    pub fn detail(&self, verb: &str, message: impl AsRef<str>) {
        if self.verbose {
            self.status(verb, message);
        }
    }

    /// `warning: ...` on stderr.
    pub fn warning(&self, message: impl AsRef<str>) {
        if !self.quiet {
            let _ = writeln!(
                std::io::stderr(),
                "{}: {}",
                self.paint("1;33", "warning"),
                message.as_ref()
            );
        }
    }

    /// `error: ...` on stderr (always, even with `--quiet`).
    pub fn error(&self, message: impl AsRef<str>) {
        let _ = writeln!(
            std::io::stderr(),
            "{}: {}",
            self.paint("1;31", "error"),
            message.as_ref()
        );
    }

    /// One JSON line on stdout (only with `--message-format json`).
    pub fn json(&self, message: &impl Serialize) {
        if self.format == MessageFormat::Json
            && let Ok(line) = serde_json::to_string(message)
        {
            let _ = writeln!(std::io::stdout(), "{line}");
        }
    }

    /// A raw line on stdout (cargo's own JSON messages, forwarded).
    pub fn forward(&self, line: &str) {
        let _ = writeln!(std::io::stdout(), "{line}");
    }
}

/// `path` relative to the current directory when it is below it, as users typed it.
pub fn shown_path(path: &Path) -> PathBuf {
    std::env::current_dir()
        .and_then(|cwd| cwd.canonicalize())
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
}
