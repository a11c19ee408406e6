//! The `ipt-server` binary.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = ipt_server::cli::Cli::parse();
    match ipt_server::cli::run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ipt-server: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
