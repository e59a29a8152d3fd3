//! The command line: clap parses arguments into one options struct per
//! command; `main` runs it and maps the outcome to an exit code
//! (0 clean, 1 content errors, 2 usage or environment failure).

use crate::diagnostics::Lang;
use crate::progress::TerminalProgress;
use crate::site::{self, BuildOptions, BuildReport};
use crate::{scaffold, serve};
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

mod help;

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
    /// Work with the built-in theme.
    #[command(subcommand)]
    Theme(ThemeCommand),
}

#[derive(Debug, Subcommand)]
enum ThemeCommand {
    /// Write the built-in theme into a folder, to edit it without the source repository.
    Export(ExportArgs),
}

#[derive(Debug, clap::Args)]
struct ExportArgs {
    /// Where to write the theme; it must not hold its files yet (default: themes/default).
    #[arg(value_name = "DIR")]
    folder: Option<PathBuf>,
    /// Language of messages.
    #[arg(long, value_enum, default_value = "es")]
    lang: LangArg,
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
    let cli = match parse() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    match cli.command {
        Command::Build(args) => run_build(args, true),
        Command::Check(args) => run_build(args, false),
        Command::Serve(args) => run_serve(args),
        Command::New(args) => run_new(args),
        Command::Init(args) => run_init(args),
        Command::Theme(ThemeCommand::Export(args)) => run_export(args),
    }
}

/// The arguments, with help and usage errors in Spanish or English
/// (`help`); the exit code once such a text is printed.
fn parse() -> Result<Cli, ExitCode> {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = help::lang(&args, std::env::var("CUENTA_LANG").ok().as_deref());
    let parsed = help::localise(Cli::command(), lang)
        .try_get_matches_from(&args)
        .and_then(|matches| Cli::from_arg_matches(&matches));
    match parsed {
        Ok(cli) => Ok(cli),
        Err(err) => {
            let text = help::render(&err, lang);
            // Help goes to stdout, errors to stderr, as clap does.
            if err.use_stderr() {
                eprint!("{text}");
            } else {
                print!("{text}");
            }
            Err(ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(2)))
        }
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

fn run_export(args: ExportArgs) -> ExitCode {
    let dir = args.folder.unwrap_or_else(|| PathBuf::from("themes/default"));
    match scaffold::export_theme(&dir, Lang::from(args.lang)) {
        Ok(files) => {
            for f in &files {
                println!("{}", f.display());
            }
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
    if let Some(asked) = args.jobs {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let jobs = clamp_jobs(asked, cores);
        if jobs != asked {
            eprintln!("{}", jobs_message(asked, jobs, args.lang.map(Lang::from).unwrap_or_default()));
        }
        let _ = rayon::ThreadPoolBuilder::new().num_threads(jobs).build_global();
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

/// Threads per core past which `--jobs` is lowered: a build is CPU-bound,
/// so more threads than cores only add switching (`--jobs 5000` turned
/// 0.07 s into 19 s) and, in the tens of thousands, abort on memory.
const JOBS_PER_CORE: usize = 4;

/// `--jobs` as used: at least 1, at most [`JOBS_PER_CORE`] per core.
fn clamp_jobs(asked: usize, cores: usize) -> usize {
    asked.clamp(1, cores.max(1) * JOBS_PER_CORE)
}

fn jobs_message(asked: usize, used: usize, lang: Lang) -> String {
    match lang {
        Lang::Es => format!("cuenta: --jobs {asked} no es posible en este equipo; se usan {used} hilos"),
        Lang::En => format!("cuenta: --jobs {asked} is not possible on this machine; using {used} threads"),
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
    if r.figures.total() > 0 {
        let _ = writeln!(err, "{}", figures_line(r));
    }
    let _ = writeln!(err, "{}", summary_line(r));
}

/// `cuenta: 14 comprobaciones de cifras (8 de fórmula, 4 totales, 1 entre lugares, 1 del texto), 2 discrepancias`:
/// the counts of the verification page.
pub fn figures_line(r: &BuildReport) -> String {
    use crate::render::verification::count_words as n;
    let f = &r.figures;
    match r.lang {
        Lang::Es => format!(
            "cuenta: {} de cifras ({} de fórmula, {}, {} entre lugares, {} del texto), {}",
            n(f.total(), "comprobación", "comprobaciones"),
            f.formulas,
            n(f.totals, "total", "totales"),
            f.declared,
            f.prose,
            n(f.discrepancies, "discrepancia", "discrepancias"),
        ),
        Lang::En => format!(
            "cuenta: {} of figures ({} formula, {}, {} between places, {} in the text), {}",
            n(f.total(), "check", "checks"),
            f.formulas,
            n(f.totals, "total", "totals"),
            f.declared,
            f.prose,
            n(f.discrepancies, "discrepancy", "discrepancies"),
        ),
    }
}

/// `cuenta: 10 páginas, 22 tablas, 12 gráficos, 3 advertencias, 0 errores, 45 ms`
pub fn summary_line(r: &BuildReport) -> String {
    use crate::render::verification::count_words as n;
    match r.lang {
        Lang::Es => format!(
            "cuenta: {}, {}, {}, {}, {}, {} ms",
            n(r.pages, "página", "páginas"),
            n(r.tables, "tabla", "tablas"),
            n(r.charts, "gráfico", "gráficos"),
            n(r.warnings, "advertencia", "advertencias"),
            n(r.errors, "error", "errores"),
            r.millis
        ),
        Lang::En => format!(
            "cuenta: {}, {}, {}, {}, {}, {} ms",
            n(r.pages, "page", "pages"),
            n(r.tables, "table", "tables"),
            n(r.charts, "chart", "charts"),
            n(r.warnings, "warning", "warnings"),
            n(r.errors, "error", "errors"),
            r.millis
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_are_kept_between_one_and_four_per_core() {
        let cases = [(0, 2, 1), (1, 2, 1), (8, 2, 8), (9, 2, 8), (30_000, 2, 8), (30_000, 64, 256), (3, 0, 3)];
        for (asked, cores, used) in cases {
            assert_eq!(clamp_jobs(asked, cores), used, "--jobs {asked} on {cores} cores");
        }
    }
}
