//! `cuenta --help`, every command's help and clap's usage errors speak
//! Spanish by default and English with `--lang en` or `CUENTA_LANG=en`.

use std::process::Command;

/// Runs the binary: exit code, stdout, stderr.
fn cuenta(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cuenta"));
    cmd.args(args).env_remove("CUENTA_LANG");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run cuenta");
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code().unwrap_or(-1), text(&out.stdout), text(&out.stderr))
}

const COMMANDS: [&str; 5] = ["build", "check", "serve", "new", "init"];

#[test]
fn the_main_help_is_spanish_by_default_and_english_on_request() {
    let (code, es, _) = cuenta(&["--help"], &[]);
    assert_eq!(code, 0);
    assert!(es.starts_with("Generador de sitios estáticos para cuentas públicas participativas\n\nUso: cuenta <COMANDO>\n\nComandos:\n  build  Genera el sitio en output/.\n"), "{es}");
    assert!(
        es.contains("\nOpciones:\n  -h, --help     Muestra esta ayuda\n  -V, --version  Muestra la versión\n"),
        "{es}"
    );
    let (code, en, _) = cuenta(&["--help"], &[("CUENTA_LANG", "en")]);
    assert_eq!(code, 0);
    assert!(en.contains("Usage: cuenta <COMMAND>\n\nCommands:\n  build  Build the site into output/\n"), "{en}");
}

#[test]
fn every_command_explains_itself_in_spanish_without_a_word_of_the_english_help() {
    for command in COMMANDS {
        let (code, es, _) = cuenta(&[command, "--help"], &[]);
        assert_eq!(code, 0, "{command}");
        assert!(es.contains(&format!("Uso: cuenta {command} ")), "{es}");
        assert!(es.contains("\nOpciones:\n") && es.contains("Muestra esta ayuda"), "{es}");
        let (_, en, _) = cuenta(&[command, "--help", "--lang", "en"], &[]);
        assert!(en.contains(&format!("Usage: cuenta {command} ")) && en.contains("Print help"), "{en}");
        // Every argument's English description is gone from the Spanish help.
        for line in en.lines().filter(|l| l.trim_start().starts_with('-') || l.trim_start().starts_with('<')) {
            let description = line.trim_start().split_once("  ").map_or("", |(_, d)| d.trim());
            assert!(
                description.is_empty() || !es.contains(description),
                "{command}: '{description}' untranslated\n{es}"
            );
        }
    }
}

#[test]
fn a_mistyped_command_is_answered_in_spanish_with_a_suggestion() {
    let (code, _, es) = cuenta(&["biuld"], &[]);
    assert_eq!(code, 2);
    assert_eq!(
        es,
        "error: comando desconocido 'biuld'\n\n  sugerencia: ¿quiso decir 'build'?\n\nUso: cuenta <COMANDO>\n\nPara más información, pruebe '--help'.\n"
    );
    let (code, _, en) = cuenta(&["biuld"], &[("CUENTA_LANG", "en")]);
    assert_eq!(code, 2);
    assert!(en.contains("unrecognized subcommand 'biuld'") && en.contains("Usage: cuenta <COMMAND>"), "{en}");
}

#[test]
fn a_bad_option_value_names_the_possible_values_in_the_chosen_language() {
    let (code, _, es) = cuenta(&["check", "--lang", "fr"], &[]);
    assert_eq!(code, 2);
    assert_eq!(
        es,
        "error: valor no válido 'fr' para --lang <IDIOMA>\n  valores posibles: es, en\n\nPara más información, pruebe '--help'.\n"
    );
    let (code, _, es) = cuenta(&["build", "--bogus"], &[]);
    assert_eq!(code, 2);
    assert!(es.starts_with("error: opción desconocida '--bogus'\n\nUso: cuenta build [OPCIONES]\n"), "{es}");
    let (_, _, en) = cuenta(&["build", "--bogus", "--lang", "en"], &[]);
    assert!(en.contains("unexpected argument '--bogus'"), "{en}");
}
