use super::*;
use crate::table::{Column, ColumnType, Row};

fn table() -> DataTable {
    let col = |id: &str, kind| Column {
        id: id.into(),
        label: id.to_uppercase(),
        kind,
        decimals: None,
        empty: None,
        formula: None,
        fill: true,
        unit: None,
        group: None,
    };
    let row = |name: &str, a: i64, b: i64| Row {
        cells: vec![Cell::Text(name.into()), Cell::Int(a), Cell::Int(b)],
        computed: vec![false; 3],
        span: Span::default(),
        own: None,
    };
    DataTable {
        id: "t".into(),
        caption: "T".into(),
        source: None,
        note: None,
        columns: vec![col("tipo", ColumnType::Text), col("a", ColumnType::Integer), col("b", ColumnType::Money)],
        rows: vec![row("Visas <temporarias> & \"otras\"", 12794, -5), row("Estudiantes", 78, 67)],
        total: None,
        mismatches: vec![],
        checks: Default::default(),
        span: Span::default(),
    }
}

fn spec(kind: ChartKind, y: &[&str]) -> ChartSpec {
    ChartSpec {
        id: "c".into(),
        table: "t".into(),
        kind,
        x: "tipo".into(),
        y: y.iter().map(|s| s.to_string()).collect(),
        title: "Título & <más>".into(),
        description: None,
        span: Span::default(),
        table_span: Span::default(),
        x_span: Span::default(),
        y_spans: vec![Span::default(); y.len()],
    }
}

#[test]
fn every_kind_renders_parseable_svg_with_title_and_desc() {
    let fmt = NumberFormat::new("es-CL", "CLP");
    for (kind, y) in [
        (ChartKind::Bar, vec!["a", "b"]),
        (ChartKind::Hbar, vec!["a", "b"]),
        (ChartKind::Stacked, vec!["a", "b"]),
        (ChartKind::Line, vec!["a"]),
        (ChartKind::Pie, vec!["a"]),
    ] {
        let s = spec(kind, &y);
        let data = ChartData::from_table(&s, &table(), &fmt).expect("data");
        let svg = render_svg(&s, &data, &fmt, Lang::Es);
        let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{kind:?}: {e}\n{svg}"));
        let root = doc.root_element();
        assert_eq!(root.attribute("role"), Some("img"));
        let title = root.children().find(|n| n.has_tag_name("title")).expect("title");
        assert_eq!(title.text(), Some("Título & <más>"));
        let desc = root.children().find(|n| n.has_tag_name("desc")).expect("desc");
        assert!(desc.text().unwrap_or("").contains("12.794"), "{kind:?}");
        assert!(svg.contains("12.794") || kind == ChartKind::Stacked, "{kind:?} prints values");
    }
}

#[test]
fn drawing_is_deterministic() {
    let fmt = NumberFormat::new("es-CL", "CLP");
    let s = spec(ChartKind::Bar, &["a", "b"]);
    let data = ChartData::from_table(&s, &table(), &fmt).expect("data");
    assert_eq!(render_svg(&s, &data, &fmt, Lang::Es), render_svg(&s, &data, &fmt, Lang::Es));
}

#[test]
fn palette_colours_have_three_to_one_contrast_on_white() {
    fn lum(c: u8) -> f64 {
        let c = c as f64 / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    }
    for p in draw::PALETTE {
        let l = 0.2126 * lum(p.0) + 0.7152 * lum(p.1) + 0.0722 * lum(p.2);
        assert!(1.05 / (l + 0.05) >= 3.0, "{p:?}");
    }
}

#[test]
fn check_reports_unknown_and_text_columns() {
    let f = SourceFile::new(std::path::Path::new("a"), "a.md".into(), "x\n");
    let mut s = spec(ChartKind::Bar, &["tipo", "zz"]);
    s.x = "tipp".into();
    let msgs: Vec<Message> = s.check(&table(), &f).into_iter().map(|d| d.message).collect();
    assert!(msgs.iter().any(
        |m| matches!(m, Message::UnknownColumn { column, suggestion: Some(sg), .. } if column == "tipp" && sg == "tipo")
    ));
    assert!(msgs.iter().any(|m| matches!(m, Message::ChartColumnNotNumeric { column } if column == "tipo")));
    assert!(msgs.iter().any(|m| matches!(m, Message::UnknownColumn { column, .. } if column == "zz")));
}

#[test]
fn extreme_and_tiny_values_draw_without_overflow() {
    let fmt = NumberFormat::new("es-CL", "CLP");
    let col = |id: &str| Column {
        id: id.into(),
        label: id.into(),
        kind: ColumnType::Decimal,
        decimals: None,
        empty: None,
        formula: None,
        fill: true,
        unit: None,
        group: None,
    };
    let num = |value: f64| Cell::Num { value, decimals: 1 };
    let row = |name: &str, a: f64, b: f64| Row {
        cells: vec![Cell::Text(name.into()), num(a), num(b)],
        computed: vec![false; 3],
        span: Span::default(),
        own: None,
    };
    let cases = [
        (f64::MAX, -f64::MAX),
        (f64::MAX, f64::MAX),
        (5e-324, 0.0),
        (1e-310, 2e-310),
        (i64::MAX as f64, i64::MIN as f64),
    ];
    for (a, b) in cases {
        let mut t = table();
        t.columns = vec![Column { kind: ColumnType::Text, ..col("tipo") }, col("a"), col("b")];
        t.rows = vec![row("uno", a, b), row("dos", b, a)];
        for (kind, y) in [
            (ChartKind::Bar, vec!["a", "b"]),
            (ChartKind::Hbar, vec!["a", "b"]),
            (ChartKind::Stacked, vec!["a", "b"]),
            (ChartKind::Line, vec!["a", "b"]),
            (ChartKind::Pie, vec!["a"]),
        ] {
            let s = spec(kind, &y);
            let data = ChartData::from_table(&s, &t, &fmt).expect("data");
            let svg = render_svg(&s, &data, &fmt, Lang::Es);
            roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{kind:?} {a} {b}: {e}"));
        }
    }
}

/// The drawing's text elements, with their positions.
fn texts(svg: &str) -> Vec<(String, f64, f64)> {
    let doc = roxmltree::Document::parse(svg).expect("svg");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| {
            let at = |a: &str| n.attribute(a).and_then(|v| v.parse().ok()).unwrap_or(0.0);
            (n.text().unwrap_or("").to_string(), at("x"), at("y"))
        })
        .collect()
}

#[test]
fn bars_with_long_category_labels_are_drawn_across_so_no_label_is_cut() {
    let fmt = NumberFormat::new("es-CL", "CLP");
    let mut t = table();
    t.rows[0].cells[0] = Cell::Text("Programa de Fortalecimiento de la Gestión Provincial".into());
    t.rows[1].cells[0] = Cell::Text("Programa Atención Migrantes y Refugiados".into());
    let bar = spec(ChartKind::Bar, &["a", "b"]);
    let data = ChartData::from_table(&bar, &t, &fmt).expect("data");
    let drawn = draw::draw(&data, &fmt);
    let across = draw::draw(&ChartData { kind: ChartKind::Hbar, ..data.clone() }, &fmt);
    assert_eq!(drawn, across, "long labels switch a bar chart to horizontal bars");
    assert!(!texts(&drawn).iter().any(|(t, ..)| t.ends_with('…')), "no label is cut");
    // Short labels keep their vertical bars.
    let short = ChartData::from_table(&bar, &table(), &fmt).expect("data");
    assert_ne!(draw::draw(&short, &fmt), draw::draw(&ChartData { kind: ChartKind::Hbar, ..short.clone() }, &fmt));
}

#[test]
fn a_pie_legend_names_every_slice_and_keeps_each_figure_with_its_unit() {
    let fmt = NumberFormat::new("es-CL", "CLP");
    let mut t = table();
    t.rows.push(Row { cells: vec![Cell::Text("Mínima".into()), Cell::Int(1), Cell::Int(1)], ..t.rows[1].clone() });
    let pie = spec(ChartKind::Pie, &["a"]);
    let data = ChartData::from_table(&pie, &t, &fmt).expect("data");
    let texts = texts(&draw::draw(&data, &fmt));
    let legend: Vec<&String> = texts.iter().map(|(t, ..)| t).filter(|t| t.len() > 3).collect();
    for name in ["Estudiantes", "Mínima"] {
        assert!(legend.iter().any(|t| t.contains(name)), "{name} is in the legend: {legend:?}");
    }
    for line in &legend {
        assert!(!line.trim_end().ends_with('(') && !line.starts_with('%'), "a share is cut from its sign: {line:?}");
    }
    assert!(legend.iter().any(|t| t.contains("1\u{a0}(0,0\u{a0}%)")), "{legend:?}");
}

#[test]
fn the_second_series_is_striped_diagonally() {
    let fmt = NumberFormat::new("es-CL", "CLP");
    let s = spec(ChartKind::Bar, &["a", "b"]);
    let data = ChartData::from_table(&s, &table(), &fmt).expect("data");
    let svg = draw::draw(&data, &fmt);
    let doc = roxmltree::Document::parse(&svg).expect("svg");
    let diagonal = doc.descendants().filter(|n| n.has_tag_name("polyline")).any(|n| {
        let pts: Vec<(i32, i32)> = n
            .attribute("points")
            .unwrap_or("")
            .split_whitespace()
            .filter_map(|p| p.split_once(',').and_then(|(x, y)| Some((x.parse().ok()?, y.parse().ok()?))))
            .collect();
        pts.windows(2).filter(|w| (w[1].0 - w[0].0).abs() == (w[1].1 - w[0].1).abs() && w[1].0 != w[0].0).count() >= 3
    });
    assert!(diagonal, "the second series' bars carry 45° stripes:\n{svg}");
}
