//! The `ipt-server` binary.

use clap::Parser;

// mimalloc: the engine reads each request into many small JSON values; glibc's allocator took
// about a fifth of the service's time under load, mimalloc a few per cent (README, "Run the
// service").
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
