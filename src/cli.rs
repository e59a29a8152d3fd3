//! The command line: clap parses arguments into one options struct per
//! command; `main` runs it and maps the outcome to an exit code
//! (0 clean, 1 content errors, 2 usage or environment failure).

use crate::diagnostics::Lang;
use crate::progress::TerminalProgress;
use crate::site::{self, BuildOptions, BuildReport};
use crate::{scaffold, serve};
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
    /// Serve the site locally, rebuilding and reloading the browser on save.
    Serve(ServeArgs),
    /// Add a section: content/NN-title.md, placed after the others.
    New(NewArgs),
    /// Start a report in a new folder, ready to build.
    Init(InitArgs),
}

#[derive(Debug, clap::Args)]
struct ServeArgs {
    /// The report folder, holding content/ and themes/.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 8000)]
    port: u16,
    /// Address to listen on. The default keeps the site on this machine;
    /// choose another (e.g. 0.0.0.0) only to show it on the network.
    #[arg(long, default_value = "127.0.0.1")]
    bind: std::net::IpAddr,
    /// Language of messages (default: the report's).
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
}

#[derive(Debug, clap::Args)]
struct NewArgs {
    /// The section's title, e.g. "Seguridad pública".
    title: String,
    /// The report folder.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Language of messages.
    #[arg(long, value_enum, default_value = "es")]
    lang: LangArg,
}

#[derive(Debug, clap::Args)]
struct InitArgs {
    /// The new report's folder; must be empty or not exist.
    dir: PathBuf,
    /// The institution giving the account, e.g. "Gobernación Provincial de Antofagasta".
    #[arg(long)]
    institution: String,
    /// The year the report covers.
    #[arg(long, value_parser = clap::value_parser!(i32).range(1990..=2999))]
    year: i32,
    /// The report's title (default: "Cuenta Pública Participativa YEAR").
    #[arg(long)]
    title: Option<String>,
    /// Language of messages.
    #[arg(long, value_enum, default_value = "es")]
    lang: LangArg,
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
    /// Neither read nor write the build cache (.OUTPUT.cuenta-cache beside the output).
    #[arg(long)]
    no_cache: bool,
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => run_build(args, true),
        Command::Check(args) => run_build(args, false),
        Command::Serve(args) => run_serve(args),
        Command::New(args) => run_new(args),
        Command::Init(args) => run_init(args),
    }
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Es => Lang::Es,
            LangArg::En => Lang::En,
        }
    }
}

fn run_serve(args: ServeArgs) -> ExitCode {
    let opts =
        serve::ServeOptions { root: args.root, bind: args.bind, port: args.port, lang: args.lang.map(Lang::from) };
    match serve::run(&opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
}

fn run_new(args: NewArgs) -> ExitCode {
    let lang = Lang::from(args.lang);
    match scaffold::new_section(&scaffold::NewOptions { root: args.root, title: args.title, lang }) {
        Ok(path) => {
            println!("{}", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

fn run_init(args: InitArgs) -> ExitCode {
    let lang = Lang::from(args.lang);
    let opts = scaffold::InitOptions {
        dir: args.dir,
        institution: args.institution,
        year: args.year,
        title: args.title,
        lang,
    };
    match scaffold::init(&opts) {
        Ok(files) => {
            for f in &files {
                println!("{}", f.display());
            }
            let next = match lang {
                Lang::Es => "cuenta: informe creado; véalo con 'cuenta serve --root",
                Lang::En => "cuenta: report created; see it with 'cuenta serve --root",
            };
            eprintln!("{next} {}'", opts.dir.display());
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

fn fail(e: &crate::error::Error) -> ExitCode {
    eprintln!("error: {e}");
    ExitCode::from(2)
}

fn run_build(args: BuildArgs, write: bool) -> ExitCode {
    if let Some(jobs) = args.jobs {
        let _ = rayon::ThreadPoolBuilder::new().num_threads(jobs.max(1)).build_global();
    }
    let progress = TerminalProgress::for_stderr();
    let opts = BuildOptions {
        output: args.output,
        write,
        strict: args.strict,
        lang: args.lang.map(Lang::from),
        progress: Some(progress.hook()),
        cache: !args.no_cache,
        ..BuildOptions::new(args.root)
    };
    let result = site::build(&opts);
    progress.finish();
    match result {
        Ok(report) => {
            print_report(&report);
            if report.failed(opts.strict) {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => fail(&e),
    }
}

fn print_report(r: &BuildReport) {
    use std::io::Write as _;
    // A closed stderr (`cuenta build 2>&1 | head`) must not turn into a
    // panic: the build itself is done, so write errors are ignored.
    let mut err = std::io::stderr().lock();
    for d in &r.diagnostics {
        let _ = write!(err, "{}", d.render(r.lang));
    }
    let _ = writeln!(err, "{}", r.summary_line());
}
