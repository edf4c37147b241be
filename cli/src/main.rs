//! The `sdk-authoring` binary: parses arguments, runs a command, exits with its code
//! (0 ok, 1 checks failed, 2 usage error).

use clap::{Parser, Subcommand};

use sdk_authoring_cli::commands;
use sdk_authoring_cli::report::{MessageFormat, Reporter};

/// Author, build, test and ship integration bundles.
#[derive(Debug, Parser)]
#[command(name = "sdk-authoring", version, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: TopCommand,
}

#[derive(Debug, Subcommand)]
enum TopCommand {
    /// Integration bundles: init, build, test, run, inspect, secrets, schema.
    Integrations(Integrations),
}

#[derive(Debug, clap::Args)]
struct Integrations {
    /// Output format of messages on stdout.
    #[arg(long, global = true, value_enum, default_value_t = MessageFormat::Human)]
    message_format: MessageFormat,
    /// No status lines, only errors.
    #[arg(long, short, global = true)]
    quiet: bool,
    /// More status lines (vendor logs, validation summary).
    #[arg(long, short, global = true, conflicts_with = "quiet")]
    verbose: bool,
    #[command(subcommand)]
    command: IntegrationsCommand,
}

#[derive(Debug, Subcommand)]
enum IntegrationsCommand {
    Build(commands::build::BuildArgs),
    Init(commands::init::InitArgs),
    Inspect(commands::inspect::InspectArgs),
    Run(commands::run::RunArgs),
    Schema(commands::schema::SchemaArgs),
    Secrets(commands::secrets::SecretsArgs),
    Test(commands::test::TestArgs),
}

fn main() {
    let cli = Cli::parse();
    let TopCommand::Integrations(integrations) = cli.command;
    let reporter = Reporter::new(
        integrations.message_format,
        integrations.quiet,
        integrations.verbose,
    );
    let code = match &integrations.command {
        IntegrationsCommand::Build(args) => commands::build::run(args, &reporter),
        IntegrationsCommand::Init(args) => commands::init::run(args, &reporter),
        IntegrationsCommand::Inspect(args) => commands::inspect::run(args, &reporter),
        IntegrationsCommand::Run(args) => commands::run::run(args, &reporter),
        IntegrationsCommand::Schema(args) => commands::schema::run(args),
        IntegrationsCommand::Secrets(args) => commands::secrets::run(args, &reporter),
        IntegrationsCommand::Test(args) => commands::test::run(args, &reporter),
    };
    std::process::exit(code);
}
