//! The `cuenta` command: parses the command line and runs [`cuenta::cli`].

use std::process::ExitCode;

/// mimalloc instead of the system allocator: see Cargo.toml for the measure.
/// The library does not choose; only the binary does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    cuenta::cli::main()
}
