use super::*;
use serde::Deserialize;
use std::path::Path;

fn file(text: &str) -> SourceFile {
    SourceFile::new(Path::new("a.md"), "a.md".into(), text)
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Doc {
    title: String,
    #[serde(default)]
    rows: Vec<Vec<Value>>,
}

#[test]
fn splits_front_matter_and_reports_body_line() {
    let f = file("---\ntitle: A\n---\n# Hola\n");
    let s = split(&f).expect("split");
    assert_eq!(s.yaml, "title: A\n");
    assert_eq!(s.body, "# Hola\n");
    assert_eq!(s.body_line, 4);
}

#[test]
fn unclosed_and_missing_front_matter_are_errors() {
    assert_eq!(split(&file("---\ntitle: A\n")).map(|_| ()).unwrap_err().message, Message::UnclosedFrontMatter);
    assert_eq!(split(&file("title: A\n")).map(|_| ()).unwrap_err().message, Message::MissingFrontMatter);
    assert_eq!(split(&file("\n\n")).map(|_| ()).unwrap_err().message, Message::EmptyFile);
}

#[test]
fn unknown_field_points_at_the_file_line_and_suggests() {
    let f = file("---\ntitle: A\ntitel: B\n---\n");
    let s = split(&f).expect("split");
    let err = parse_first::<Doc>(&f, &s).unwrap_err();
    assert_eq!(err.span.line, 3);
    match err.message {
        Message::UnknownField { field, suggestion, .. } => {
            assert_eq!(field, "titel");
            assert_eq!(suggestion.as_deref(), Some("title"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn positions_give_file_lines_of_cells_and_their_literal() {
    let f = file("---\ntitle: A\nrows:\n  - [año, 1]\n  - [b, 12.50]\n---\n");
    let s = split(&f).expect("split");
    let (_, pos) = parse::<Doc>(&f, &s).expect("parse");
    let cell = pos.get("rows.1.1").expect("cell");
    assert_eq!((cell.span.line, cell.span.col), (5, 9));
    assert_eq!(pos.literal("rows.1.1"), Some("12.50"), "a number keeps its written decimals");
    let text = pos.get("rows.0.0").expect("cell");
    assert_eq!((text.span.col, text.span.len, text.literal.as_deref()), (6, 3, None), "text is its own literal");
    assert_eq!(pos.span("rows.1.9").line, 5);
}

#[test]
fn integers_longer_than_64_bits_get_their_own_message() {
    for (literal, col) in [("-9223372036854775809", 9), ("18446744073709551616", 9)] {
        let f = file(&format!("---\ntitle: A\nrows:\n  - [a, {literal}]\n---\n"));
        let s = split(&f).expect("split");
        let err = parse_first::<Doc>(&f, &s).map(|_| ()).expect_err("too long");
        assert_eq!(err.message, Message::NumberTooLong { literal: literal.into() }, "{err:?}");
        assert_eq!((err.span.line, err.span.col), (4, col));
    }
}

fn value_of(yaml: &str) -> Value {
    let f = file(&format!("---\n{yaml}---\n"));
    let s = split(&f).expect("split");
    parse::<Value>(&f, &s).map(|(v, _)| v).unwrap_or_else(|e| panic!("{yaml}: {e:?}"))
}

#[test]
fn plain_scalars_read_by_the_yaml_core_schema() {
    use Number::*;
    let n = |x: Number| Value::Number(x);
    let t = |x: &str| Value::String(x.into());
    let cases = [
        ("1", n(PosInt(1))),
        ("-1", n(NegInt(-1))),
        ("+1", n(PosInt(1))),
        ("007", t("007")),
        ("0x1F", n(PosInt(31))),
        ("-0x1F", n(NegInt(-31))),
        ("0o17", n(PosInt(15))),
        ("1.5", n(Float(1.5))),
        ("-1.5", n(Float(-1.5))),
        ("1e3", n(Float(1000.0))),
        (".inf", n(Float(f64::INFINITY))),
        ("-.Inf", n(Float(f64::NEG_INFINITY))),
        ("inf", t("inf")),
        ("1_000", t("1_000")),
        ("1,5", t("1,5")),
        ("12.794", n(Float(12.794))),
        ("$ 1.000", t("$ 1.000")),
        ("true", Value::Bool(true)),
        ("FALSE", Value::Bool(false)),
        ("yes", t("yes")),
        ("~", Value::Null),
        ("null", Value::Null),
        ("", Value::Null),
        ("1e400", t("1e400")),
        ("2018-12-31", t("2018-12-31")),
        ("'quoted 1'", t("quoted 1")),
        ("\"2\"", t("2")),
        ("\"\\u00e1\"", t("á")),
        ("9223372036854775807", n(PosInt(9223372036854775807))),
        ("-9223372036854775808", n(NegInt(i64::MIN))),
        ("18446744073709551615", n(PosInt(u64::MAX))),
    ];
    for (written, expected) in cases {
        let got = value_of(&format!("a: {written}\n"));
        assert_eq!(got, Value::Mapping(vec![(t("a"), expected)]), "{written}");
    }
    let nan = value_of("- .nan\n");
    assert!(matches!(nan, Value::Sequence(ref v) if matches!(v[0], Value::Number(Float(f)) if f.is_nan())));
}

#[test]
fn every_shipped_front_matter_reads() {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let mut seen = 0;
    for entry in std::fs::read_dir(content).expect("content/") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "md") {
            let f = SourceFile::new(&path, path.display().to_string(), &std::fs::read_to_string(&path).expect("read"));
            let s = split(&f).expect("split");
            assert!(parse::<Value>(&f, &s).is_ok(), "{}", path.display());
            seen += 1;
        }
    }
    assert!(seen > 3, "the shipped report has sections");
}

/// The one error of a front matter.
fn error_of(yaml: &str) -> Diagnostic {
    let f = file(&format!("---\n{yaml}---\n"));
    let s = split(&f).expect("split");
    let mut all = parse::<Doc>(&f, &s).map(|_| ()).expect_err("an error");
    assert_eq!(all.len(), 1, "{:?}", all.iter().map(|d| &d.message).collect::<Vec<_>>());
    all.remove(0)
}

#[test]
fn anchors_aliases_and_tags_are_refused_at_their_mark() {
    let err = error_of("title: A\nrows:\n  - &fila [a, b]\n  - *fila\n");
    assert_eq!((err.message, err.span.line, err.span.col), (Message::Yaml(YamlMessage::Anchor), 4, 5));
    let err = error_of("title: !!str 1\n");
    assert_eq!((err.message, err.span.line, err.span.col), (Message::Yaml(YamlMessage::Tag), 2, 8));
}

#[test]
fn repeated_keys_name_the_first() {
    let err = error_of("title: A\ntitle: B\n");
    assert_eq!(err.message, Message::Yaml(YamlMessage::DuplicateKey { key: "title".into(), first_line: 2 }));
    assert_eq!(err.span.line, 3);
}

#[test]
fn nesting_deeper_than_the_limit_stops_early() {
    let deep = format!("title: A\nrows: {}\n", "[".repeat(200_000));
    let start = std::time::Instant::now();
    let err = error_of(&deep);
    assert!(matches!(err.message, Message::Yaml(YamlMessage::TooDeep { .. })), "{:?}", err.message);
    assert_eq!(err.span.line, 3);
    let block = format!("title: A\nrows:\n{}\n", "- ".repeat(100_000));
    let err = error_of(&block);
    assert!(matches!(err.message, Message::Yaml(YamlMessage::TooDeep { .. })), "{:?}", err.message);
    assert!(start.elapsed().as_secs() < 5, "bounded work");
}

#[test]
fn an_alias_bomb_is_refused_before_anything_expands() {
    let mut yaml = format!("title: A\nrows:\n  - &a [\"{}\"]\n", "x".repeat(10_000));
    for _ in 0..20_000 {
        yaml.push_str("  - *a\n");
    }
    let err = error_of(&yaml);
    assert_eq!((err.message, err.span.line), (Message::Yaml(YamlMessage::Anchor), 4));
}

#[test]
fn tabs_get_their_own_message() {
    let f = file("---\ntitle: A\nrows:\n\t- [a]\n---\n");
    let s = split(&f).expect("split");
    let err = parse_first::<Doc>(&f, &s).unwrap_err();
    assert_eq!(err.message, Message::TabInYaml, "{err:?}");
    assert_eq!(err.span.line, 4);
}
