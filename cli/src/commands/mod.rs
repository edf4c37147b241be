//! One module per subcommand: a clap `Args` struct and a `run` that calls library code and
//! prints. Each returns the process exit code.

pub mod build;
pub mod init;
pub mod inspect;
pub mod run;
pub mod schema;
pub mod secrets;
pub mod test;
