//! The command line: clap parses arguments into one options struct per
//! command; `main` runs it and maps the outcome to an exit code
//! (0 clean, 1 content errors, 2 usage or environment failure).

use crate::diagnostics::Lang;
use crate::site::{self, BuildOptions, BuildReport};
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(name = "cuenta", version, about = "Static site generator for cuentas públicas participativas")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the site into output/.
    Build(BuildArgs),
    /// Check everything a build checks, without writing.
    Check(BuildArgs),
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LangArg {
    Es,
    En,
}

#[derive(Debug, clap::Args)]
struct BuildArgs {
    /// The report folder, holding content/ and themes/.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Where to write the site (default: ROOT/output).
    #[arg(long)]
    output: Option<PathBuf>,
    /// Fail on warnings too.
    #[arg(long)]
    strict: bool,
    /// Language of messages (default: the report's).
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
    /// Threads for rendering (default: one per core).
    #[arg(long)]
    jobs: Option<usize>,
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => run_build(args, true),
        Command::Check(args) => run_build(args, false),
    }
}

fn run_build(args: BuildArgs, write: bool) -> ExitCode {
    if let Some(jobs) = args.jobs {
        let _ = rayon::ThreadPoolBuilder::new().num_threads(jobs.max(1)).build_global();
    }
    let opts = BuildOptions {
        output: args.output,
        write,
        strict: args.strict,
        lang: args.lang.map(|l| match l {
            LangArg::Es => Lang::Es,
            LangArg::En => Lang::En,
        }),
        ..BuildOptions::new(args.root)
    };
    match site::build(&opts) {
        Ok(report) => {
            print_report(&report);
            if report.failed(opts.strict) {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn print_report(r: &BuildReport) {
    for d in &r.diagnostics {
        eprint!("{}", d.render(r.lang));
    }
    eprintln!("{}", summary_line(r));
}

/// `cuenta: 10 páginas, 22 tablas, 12 gráficos, 3 advertencias, 0 errores, 45 ms`
pub fn summary_line(r: &BuildReport) -> String {
    match r.lang {
        Lang::Es => format!(
            "cuenta: {} páginas, {} tablas, {} gráficos, {} advertencias, {} errores, {} ms",
            r.pages, r.tables, r.charts, r.warnings, r.errors, r.millis
        ),
        Lang::En => format!("cuenta: {} pages, {} tables, {} charts, {} warnings, {} errors, {} ms", r.pages, r.tables, r.charts, r.warnings, r.errors, r.millis),
    }
}
