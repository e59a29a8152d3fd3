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
    let err = parse::<Doc>(&f, &s).unwrap_err();
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
        let err = parse::<Doc>(&f, &s).map(|_| ()).expect_err("too long");
        assert_eq!(err.message, Message::NumberTooLong { literal: literal.into() }, "{err:?}");
        assert_eq!((err.span.line, err.span.col), (4, col));
    }
}

/// The tree built from yaml-rust2's events is what serde_yaml reads.
fn same_as_serde_yaml(yaml: &str) {
    let (_, tree) = index(yaml, 2);
    let expected: Value = serde_yaml::from_str(yaml).expect("valid YAML");
    let tree = tree.unwrap_or_else(|| panic!("no tree for {yaml:?}"));
    // NaN is not equal to itself; compare the debug forms.
    assert_eq!(format!("{tree:?}"), format!("{expected:?}"), "{yaml}");
}

#[test]
fn the_value_tree_reads_scalars_as_serde_yaml_does() {
    let scalars = [
        "1",
        "-1",
        "+1",
        "0",
        "007",
        "-007",
        "0x1F",
        "-0x1F",
        "0o17",
        "0b101",
        "+0x1F",
        "0x",
        "1.5",
        "-1.5",
        "+1.5",
        "1e3",
        "1E-3",
        ".5",
        "5.",
        ".inf",
        "-.Inf",
        "+.INF",
        ".nan",
        ".NaN",
        "inf",
        "nan",
        "infinity",
        "NaN",
        "1_000",
        "1,5",
        "12.794",
        "$ 1.000",
        "3%",
        "true",
        "True",
        "TRUE",
        "yes",
        "no",
        "on",
        "false",
        "~",
        "null",
        "Null",
        "NULL",
        "",
        "9223372036854775807",
        "-9223372036854775808",
        "18446744073709551615",
        "1e400",
        "+",
        "0.",
        "2018-12-31",
        "1:30",
        "'quoted 1'",
        "\"2\"",
        "\"\\u00e1\"",
        "|\n  block\n",
        ">\n  folded\n  text\n",
    ];
    for s in scalars {
        same_as_serde_yaml(&format!("a: {s}\n"));
        same_as_serde_yaml(&format!("- {s}\n"));
    }
    same_as_serde_yaml("title: A\nrows:\n  - [a, 1, ~, 2.5]\n  - {x: 1, y: [b]}\n1: one\nnull: x\n");
}

#[test]
fn what_the_tree_does_not_model_is_left_to_serde_yaml() {
    for yaml in [
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "a: 1\na: 2\n",
        "a: 18446744073709551616\n",
        "? [a]\n: 1\n",
        "a: 1\n---\nb: 2\n",
        "a: [1\n",
    ] {
        assert!(index(yaml, 2).1.is_none(), "{yaml}");
    }
    // And serde_yaml still words the error (or reads the value).
    let f = file("---\ntitle: A\ntitle: B\n---\n");
    let s = split(&f).expect("split");
    assert!(parse::<Doc>(&f, &s).is_err(), "duplicate keys are refused as before");
    let f = file("---\ntitle: &t A\nrows: [[*t]]\n---\n");
    let s = split(&f).expect("split");
    let (doc, _) = parse::<Doc>(&f, &s).expect("aliases read by serde_yaml");
    assert_eq!(doc.rows, vec![vec![Value::String("A".into())]]);
}

#[test]
fn the_shipped_front_matter_reads_the_same_either_way() {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let mut seen = 0;
    for entry in std::fs::read_dir(content).expect("content/") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "md") {
            let f = SourceFile::new(&path, path.display().to_string(), &std::fs::read_to_string(&path).expect("read"));
            let s = split(&f).expect("split");
            same_as_serde_yaml(s.yaml);
            seen += 1;
        }
    }
    assert!(seen > 3, "the shipped report has sections");
}

#[test]
fn tabs_get_their_own_message() {
    let f = file("---\ntitle: A\nrows:\n\t- [a]\n---\n");
    let s = split(&f).expect("split");
    let err = parse::<Doc>(&f, &s).unwrap_err();
    assert_eq!(err.message, Message::TabInYaml, "{err:?}");
    assert_eq!(err.span.line, 4);
}
