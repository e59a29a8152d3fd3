use std::process::ExitCode;

fn main() -> ExitCode {
    cuenta::cli::main()
}
