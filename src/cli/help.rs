//! The command line's own words in the editor's language: help for every
//! command and clap's usage errors, in Spanish by default and in English
//! with `--lang en` or `CUENTA_LANG=en`. The English text is the doc
//! comments of `cli.rs`; the Spanish text is here, by command and argument.

use crate::diagnostics::Lang;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};

/// The language of help and usage errors: `--lang en` anywhere on the
/// command line, else `CUENTA_LANG`, else Spanish.
pub(super) fn lang(args: &[std::ffi::OsString], env: Option<&str>) -> Lang {
    let mut words = args.iter().filter_map(|a| a.to_str());
    while let Some(word) = words.next() {
        let value = match word.strip_prefix("--lang") {
            Some("") => words.next(),
            Some(rest) => rest.strip_prefix('='),
            None => continue,
        };
        if let Some(value) = value {
            return Lang::from_tag(value);
        }
    }
    env.map_or(Lang::Es, Lang::from_tag)
}

/// About lines of each command, in Spanish.
const ABOUT: &[(&str, &str)] = &[
    ("cuenta", "Generador de sitios estáticos para cuentas públicas participativas"),
    ("build", "Genera el sitio en output/."),
    ("check", "Revisa todo lo que revisa 'build', sin escribir nada."),
    ("serve", "Muestra el sitio en este equipo y lo regenera y recarga al guardar."),
    ("new", "Agrega una sección: content/NN-titulo.md, después de las demás."),
    ("init", "Crea un informe en una carpeta nueva, listo para generar."),
    ("theme", "Trabaja con el tema incluido."),
    ("export", "Escribe el tema incluido en una carpeta, para modificarlo sin el código fuente."),
];

/// Help of each argument, in Spanish, and its value's name.
const ARGS: &[(&str, &str, &str)] = &[
    ("root", "La carpeta del informe, con content/ y themes/.", "CARPETA"),
    ("output", "Dónde escribir el sitio (por omisión: CARPETA/output).", "CARPETA"),
    ("strict", "Falla también con advertencias.", ""),
    ("lang", "Idioma de los mensajes.", "IDIOMA"),
    ("jobs", "Hilos para generar las páginas (por omisión: uno por núcleo).", "N"),
    ("no_cache", "No lee ni escribe la caché de generación (.OUTPUT.cuenta-cache junto a la salida).", ""),
    ("port", "Puerto en que escuchar; 0 elige uno libre.", "PUERTO"),
    (
        "bind",
        "Dirección en que escuchar. La por omisión deja el sitio en este equipo; \
         elija otra (p. ej. 0.0.0.0) solo para mostrarlo en la red.",
        "DIRECCIÓN",
    ),
    ("title", "El título, p. ej. \"Seguridad pública\".", "TÍTULO"),
    ("dir", "La carpeta del informe nuevo; debe estar vacía o no existir.", "CARPETA"),
    (
        "institution",
        "La institución que da la cuenta, p. ej. \"Gobernación Provincial de Antofagasta\".",
        "INSTITUCIÓN",
    ),
    ("year", "El año que cubre el informe.", "AÑO"),
    ("folder", "Dónde escribir el tema; no debe tener sus archivos (por omisión: themes/default).", "CARPETA"),
];

/// `command` with its help in `lang`: the English doc comments as they
/// are, or every heading, about line and argument help in Spanish.
pub(super) fn localise(command: Command, lang: Lang) -> Command {
    match lang {
        Lang::En => command,
        Lang::Es => {
            let mut command = spanish(command);
            // clap adds the `help` commands when building: their words, and
            // the usage lines it writes, are set after.
            command.build();
            finish(command)
        }
    }
}

/// A built command's `help` command and usage lines in Spanish, all the way down.
fn finish(command: Command) -> Command {
    let command = if command.get_subcommands().any(|s| s.get_name() == "help") {
        command.mut_subcommand("help", |help| spanish(help.about("Muestra esta ayuda o la de los comandos indicados")))
    } else {
        command
    };
    command.mut_subcommands(|sub| finish(spanish_usage(sub)))
}

fn spanish(command: Command) -> Command {
    let about = ABOUT.iter().find(|(name, _)| *name == command.get_name()).map(|(_, a)| *a);
    let mut command = command
        .help_template("{before-help}{about-with-newline}\nUso: {usage}\n\n{all-args}{after-help}")
        .subcommand_help_heading("Comandos")
        .subcommand_value_name("COMANDO")
        .disable_help_flag(true)
        .arg(Arg::new("help").short('h').long("help").action(ArgAction::Help).help("Muestra esta ayuda"));
    if let Some(about) = about {
        command = command.about(about);
    }
    if command.get_name() == "cuenta" {
        command = command
            .disable_version_flag(true)
            .arg(Arg::new("version").short('V').long("version").action(ArgAction::Version).help("Muestra la versión"));
    }
    command.mut_args(spanish_arg).mut_subcommands(spanish)
}

/// The usage line clap writes, with its `[OPTIONS]` in Spanish.
fn spanish_usage(mut command: Command) -> Command {
    let usage = command.render_usage().to_string();
    let usage = usage.strip_prefix("Usage: ").unwrap_or(&usage).replace("[OPTIONS]", "[OPCIONES]");
    command.override_usage(usage)
}

fn spanish_arg(arg: Arg) -> Arg {
    let heading = if arg.is_positional() { "Argumentos" } else { "Opciones" };
    let mut arg = arg.help_heading(heading);
    let id = arg.get_id().as_str().to_string();
    if let Some((_, help, value)) = ARGS.iter().find(|(name, _, _)| *name == id) {
        let mut text = help.to_string();
        let defaults: Vec<String> = arg.get_default_values().iter().map(|v| v.to_string_lossy().into_owned()).collect();
        if !defaults.is_empty() && !arg.is_hide_default_value_set() {
            text.push_str(&format!(" [por omisión: {}]", defaults.join(", ")));
        }
        if id == "lang" && defaults.is_empty() {
            text = "Idioma de los mensajes (por omisión: el del informe).".to_string();
        }
        let possible: Vec<String> = arg.get_possible_values().iter().map(|v| v.get_name().to_string()).collect();
        if !possible.is_empty() && arg.get_action().takes_values() {
            text.push_str(&format!(" [valores posibles: {}]", possible.join(", ")));
        }
        arg = arg.help(text);
        if arg.get_action().takes_values() {
            arg = arg.hide_default_value(true).hide_possible_values(true);
            if !value.is_empty() {
                arg = arg.value_name(*value);
            }
        }
    }
    arg
}

/// A usage error worded in Spanish, from what clap found; help and version
/// are already in the chosen language and print as they are.
pub(super) fn render(err: &clap::Error, lang: Lang) -> String {
    if lang == Lang::En || matches!(err.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        return err.render().to_string();
    }
    if err.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        return err.render().to_string();
    }
    let text = |kind| match err.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        _ => String::new(),
    };
    let (arg, value) = (text(ContextKind::InvalidArg), text(ContextKind::InvalidValue));
    let message = match err.kind() {
        ErrorKind::InvalidSubcommand => format!("comando desconocido '{}'", text(ContextKind::InvalidSubcommand)),
        ErrorKind::UnknownArgument => format!("opción desconocida '{arg}'"),
        ErrorKind::InvalidValue if value.is_empty() => format!("falta el valor de {arg}"),
        ErrorKind::InvalidValue => format!("valor no válido '{value}' para {arg}"),
        ErrorKind::MissingRequiredArgument => format!("falta {arg}"),
        ErrorKind::ValueValidation => format!("valor no válido '{value}' para {arg}"),
        ErrorKind::ArgumentConflict => format!("{arg} no se puede usar con {}", text(ContextKind::PriorArg)),
        ErrorKind::TooManyValues => format!("sobra el valor '{value}' de {arg}"),
        ErrorKind::WrongNumberOfValues => format!("número de valores incorrecto para {arg}"),
        ErrorKind::NoEquals => format!("{arg} necesita '=' antes de su valor"),
        ErrorKind::MissingSubcommand => "falta el comando".to_string(),
        _ => "argumentos no válidos".to_string(),
    };
    let mut out = format!("error: {message}\n");
    let suggested = [ContextKind::SuggestedSubcommand, ContextKind::SuggestedArg, ContextKind::SuggestedValue]
        .into_iter()
        .map(text)
        .find(|s| !s.is_empty());
    if let Some(s) = suggested {
        out.push_str(&format!("\n  sugerencia: ¿quiso decir '{s}'?\n"));
    }
    let valid = text(ContextKind::ValidValue);
    if !valid.is_empty() {
        out.push_str(&format!("  valores posibles: {valid}\n"));
    }
    let usage = text(ContextKind::Usage);
    if !usage.is_empty() {
        out.push_str(&format!("\n{}\n", usage.replacen("Usage:", "Uso:", 1).trim_end()));
    }
    out.push_str("\nPara más información, pruebe '--help'.\n");
    out
}
