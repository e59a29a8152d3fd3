use super::*;
use std::path::Path;

struct Fake;

impl Resolver for Fake {
    fn resolve(&self, call: &Call) -> Result<Embedded, Message> {
        match call {
            Call::Table(id) if id == "visas" => {
                Ok(Embedded { html: "<figure id=\"tabla-visas\">T</figure>".into(), text: "tabla visas".into() })
            }
            Call::Chart(id) if id == "c" => Ok(Embedded { html: "<figure>C</figure>".into(), text: "chart".into() }),
            Call::Figure { row, .. } if row == "Visas temporarias" => {
                Ok(Embedded { html: "<span class=\"figure\">12.794</span>".into(), text: "12.794".into() })
            }
            Call::Table(id) | Call::Chart(id) => {
                Err(Message::UnknownId { kind: crate::diagnostics::Kind::Table, id: id.clone(), suggestion: None })
            }
            Call::Figure { row, table, .. } => {
                Err(Message::UnknownRow { table: table.clone(), row: row.clone(), suggestion: None })
            }
        }
    }
}

fn run(body: &str) -> (Rendered, Vec<Diagnostic>) {
    let file = SourceFile::new(Path::new("s.md"), "content/s.md".into(), &format!("---\ntitle: S\n---\n{body}"));
    render(&file, body, 4, RenderOptions::default(), &["tabla-visas".to_string()], &Fake)
}

#[test]
fn headings_get_unique_ascii_ids_and_a_contents_list() {
    let (r, d) = run("## Visas temporarias\n\ntexto\n\n## Visas temporarias\n\n### Niños y niñas\n\n## Tabla visas\n");
    assert!(d.is_empty());
    assert!(r.html.contains("<h2 id=\"visas-temporarias\">"));
    assert!(r.html.contains("<h2 id=\"visas-temporarias-2\">"));
    assert!(r.html.contains("<h3 id=\"ninos-y-ninas\">"));
    assert!(r.html.contains("<h2 id=\"tabla-visas-2\">"), "generated ids are reserved: {}", r.html);
    let ids: Vec<&str> = r.toc.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["visas-temporarias", "visas-temporarias-2", "ninos-y-ninas", "tabla-visas-2"]);
    assert_eq!(r.toc[2].level, 3);
}

#[test]
fn placements_replace_their_line_and_figures_stay_inline() {
    let (r, d) = run("Hubo {{ figure(table=\"visas\", row=\"Visas temporarias\", col=\"y2016\") }} solicitudes.\n\n{{ table(id=\"visas\") }}\n\n{{ chart(id=\"c\") }}\n");
    assert!(d.is_empty(), "{d:?}");
    assert!(r.html.contains("<p>Hubo <span class=\"figure\">12.794</span> solicitudes.</p>"), "{}", r.html);
    assert!(r.html.contains("<figure id=\"tabla-visas\">T</figure>"));
    assert!(!r.html.contains("<p><figure"), "block placements are not wrapped in <p>");
    assert_eq!(
        r.placed,
        vec![
            Call::Figure { table: "visas".into(), row: "Visas temporarias".into(), col: "y2016".into(), printed: None },
            Call::Table("visas".into()),
            Call::Chart("c".into())
        ]
    );
    assert!(r.blocks[0].text.contains("12.794") && r.blocks[0].text.contains("tabla visas"));
}

#[test]
fn bad_calls_report_the_file_line_and_column() {
    let (_, d) = run("texto\n\n{{ table(id=\"otra\") }}\n\nuna {{ tabel(id=\"x\") }} y {{ table(id=\"visas\") }}\n{{ figure(table=\"visas\") }}\n");
    let at = |i: usize| (d[i].span.line, d[i].span.col);
    assert_eq!(d.len(), 4, "{d:?}");
    assert!(
        matches!(&d[0].message, Message::UnknownPlacement { name, suggestion: Some(s) } if name == "tabel" && s == "table")
    );
    assert_eq!(at(0), (8, 5));
    assert!(matches!(d[1].message, Message::MalformedPlacement { .. }), "table() inside prose");
    assert!(matches!(&d[2].message, Message::MissingField { field } if field == "row"));
    assert_eq!(at(2), (9, 1));
    assert!(matches!(&d[3].message, Message::UnknownId { id, .. } if id == "otra"));
    assert_eq!(at(3), (6, 1));
}

#[test]
fn calls_inside_code_fences_are_left_alone() {
    let (r, d) = run("```\n{{ table(id=\"nada\") }}\n```\n");
    assert!(d.is_empty());
    assert!(r.html.contains("<pre><code>{{ table(id="), "{}", r.html);
}

#[test]
fn safe_html_strips_raw_html_but_keeps_generated_markup() {
    let file = SourceFile::new(Path::new("s.md"), "s.md".into(), "x");
    let body = "<script>alert(1)</script>\n\nHola <b>x</b>\n\n{{ table(id=\"visas\") }}\n";
    let (r, _) = render(&file, body, 1, RenderOptions { safe_html: true }, &[], &Fake);
    assert!(!r.html.contains("<script>") && !r.html.contains("<b>"), "{}", r.html);
    assert!(r.html.contains("<figure id=\"tabla-visas\">"));
    let (trusted, _) = render(&file, body, 1, RenderOptions::default(), &[], &Fake);
    assert!(trusted.html.contains("<b>x</b>"));
}

#[test]
fn inline_markdown_escapes_plain_text() {
    assert_eq!(inline("a > b \"c\"", false), "a &gt; b &quot;c&quot;");
    assert_eq!(inline("a < b & c", false), "a &lt; b &amp; c");
    assert_eq!(inline("*Génesis II*", false), "<em>Génesis II</em>");
}

#[test]
fn inline_fields_show_tags_as_text_or_drop_them_when_safe() {
    assert_eq!(inline("a <script>alert(1)</script> *b*", false), "a &lt;script&gt;alert(1)&lt;/script&gt; <em>b</em>");
    assert_eq!(inline("<div>\nx\n</div>", false), "&lt;div&gt;\nx\n&lt;/div&gt;");
    assert_eq!(inline("a <b>x</b>", true), "a x");
}

#[test]
fn a_line_starting_with_inline_code_is_not_a_fence() {
    let (r, d) = run("`x` más texto\n\n{{ table(id=\"visas\") }}\n");
    assert!(d.is_empty(), "{d:?}");
    assert!(r.html.contains("<figure id=\"tabla-visas\">T</figure>"), "{}", r.html);
    assert_eq!(r.placed, vec![Call::Table("visas".into())]);
}

#[test]
fn code_of_every_kind_keeps_its_braces() {
    let cases = [
        "````\n```\n{{ table(id=\"visas\") }}\n````\n",
        "> ```\n> {{ table(id=\"visas\") }}\n> ```\n",
        "- ```\n  {{ table(id=\"visas\") }}\n  ```\n",
        "    {{ table(id=\"visas\") }}\n",
        "Se escribe `{{ figure(table=\"visas\", row=\"Total\", col=\"y2016\") }}` así.\n",
    ];
    for body in cases {
        let (r, d) = run(body);
        assert!(d.is_empty(), "{body}: {d:?}");
        assert!(r.placed.is_empty(), "{body}: {:?}", r.placed);
        assert!(r.html.contains("{{"), "{body}: {}", r.html);
        assert!(!r.html.contains("<figure"), "{body}: {}", r.html);
    }
}

#[test]
fn an_escaped_brace_writes_the_syntax_as_text() {
    let (r, d) = run("Escriba \\{{ table(id=\"visas\") }} en una línea.\n");
    assert!(d.is_empty(), "{d:?}");
    assert!(r.placed.is_empty());
    assert!(r.html.contains("Escriba {{ table(id=\"visas\") }} en"), "{}", r.html);
}

#[test]
fn private_use_characters_are_text() {
    for body in ["Texto \u{E000}\u{E001} fin\n", "Antes \u{E000} después\n", "\u{E000}B0\u{E001}\n"] {
        let (r, d) = run(body);
        assert!(d.is_empty(), "{d:?}");
        assert!(r.placed.is_empty());
        assert_eq!(r.html.matches('\u{E000}').count(), body.matches('\u{E000}').count(), "{}", r.html);
    }
}

#[test]
fn single_quoted_placements_are_placements() {
    let (r, d) =
        run("Hubo {{ figure(table='visas', row='Visas temporarias', col='y2016') }}.\n\n{{ table(id='visas') }}\n");
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(r.placed.len(), 2);
    assert_eq!(placements("Hubo {{ figure(table='visas', row='Total', col='y2016') }}.\n").len(), 1);
}

#[test]
fn headings_never_take_a_footnote_or_reserved_id() {
    let (r, d) = run("## Nota 1\n\nTexto[^x].\n\n## Ref nota 1\n\n## Tabla visas\n\n[^x]: La nota.\n");
    assert!(d.is_empty(), "{d:?}");
    assert!(!r.html.contains("<h2 id=\"nota-1\">"), "{}", r.html);
    assert!(!r.html.contains("<h2 id=\"ref-nota-1\">"), "{}", r.html);
    assert!(r.html.contains("<h2 id=\"tabla-visas-2\">"), "{}", r.html);
    assert!(r.notes.contains("<li id=\"nota-1\">"), "{}", r.notes);
}

#[test]
fn placements_are_found_in_lists_and_quotes_and_report_their_column() {
    let (r, d) = run("- Hubo {{ figure(table=\"visas\", row=\"Visas temporarias\", col=\"y2016\") }}\n> {{ figure(table=\"x\", row=\"y\") }}\n");
    assert_eq!(r.placed.len(), 1);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!((d[0].span.line, d[0].span.col), (5, 3));
}

#[test]
fn anchors_are_the_ids_render_gives_headings_and_notes() {
    let body = "## Resumen\n\nTexto[^a].\n\n## Resumen\n\n### Tabla visas\n\n[^a]: Nota.\n";
    let reserved = ["tabla-visas".to_string()];
    let file = SourceFile::default();
    let (rendered, _) = render(&file, body, 1, RenderOptions::default(), &reserved, &Fake);
    let found = anchors(body, &reserved);
    assert_eq!(found, ["nota-1", "ref-nota-1", "resumen", "resumen-2", "tabla-visas-2"]);
    for id in &found {
        assert!(
            rendered.html.contains(&format!("id=\"{id}\"")) || rendered.notes.contains(&format!("id=\"{id}\"")),
            "{id}"
        );
    }
}

#[test]
fn a_table_or_chart_placed_twice_is_an_error_at_the_second_and_is_not_copied() {
    let twice =
        "{{ table(id=\"visas\") }}\n\n{{ chart(id=\"c\") }}\n\n{{ table(id=\"visas\") }}\n\n{{ chart(id=\"c\") }}\n";
    let (r, d) = run(twice);
    assert_eq!(d.len(), 2, "{d:?}");
    assert!(
        matches!(&d[0].message, Message::PlacedTwice { id, first: 4, anchor, .. } if id == "visas" && anchor == "tabla-visas")
    );
    assert_eq!((d[0].span.line, d[0].span.col), (8, 1));
    assert!(
        matches!(&d[1].message, Message::PlacedTwice { id, first: 6, anchor, .. } if id == "c" && anchor == "grafico-c")
    );
    assert_eq!(r.html.matches("id=\"tabla-visas\"").count(), 1, "{}", r.html);
    let figure = "{{ figure(table=\"visas\", row=\"Visas temporarias\", col=\"y2016\") }}";
    let (r, d) = run(&format!("{figure} y {figure}.\n"));
    assert!(d.is_empty(), "a figure is text and may repeat: {d:?}");
    assert_eq!(r.html.matches("12.794").count(), 2);
}

#[test]
fn a_heading_never_takes_the_anchor_of_a_chart_or_table_the_body_places() {
    let (r, d) = run("## Gráfico c\n\n{{ chart(id=\"c\") }}\n");
    assert!(d.is_empty(), "{d:?}");
    assert!(r.html.contains("<h2 id=\"grafico-c-2\">"), "{}", r.html);
}
