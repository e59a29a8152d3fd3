//! Spanish names editors naturally write for cuenta's keys and values
//! (`porcentaje`, `torta`, `fuente`…), read as the English name they stand
//! for wherever that name is expected. docs/format.md lists them.

/// Each Spanish name (lower case, with and without accents) and the English
/// names it can stand for, in order of preference.
const ALIASES: &[(&str, &[&str])] = &[
    // Column types.
    ("texto", &["text"]),
    ("entero", &["integer"]),
    ("porcentaje", &["percent"]),
    ("dinero", &["money"]),
    ("monto", &["money"]),
    ("fecha", &["date"]),
    // Chart types.
    ("barras", &["bar"]),
    ("barras-horizontales", &["hbar"]),
    ("apiladas", &["stacked"]),
    ("línea", &["line"]),
    ("linea", &["line"]),
    ("torta", &["pie"]),
    // Keys.
    ("título", &["title", "caption"]),
    ("titulo", &["title", "caption"]),
    ("fuente", &["source"]),
    ("nota", &["note"]),
    ("descripción", &["description"]),
    ("descripcion", &["description"]),
    ("resumen", &["summary"]),
    ("tablas", &["tables"]),
    ("gráficos", &["charts"]),
    ("graficos", &["charts"]),
    ("columnas", &["columns"]),
    ("filas", &["rows"]),
    ("etiqueta", &["label"]),
    ("tipo", &["type"]),
    ("decimales", &["decimals"]),
    ("fórmula", &["formula"]),
    ("tabla", &["table"]),
    ("grupo", &["group"]),
];

/// `name` as one of `expected`: itself when expected (or nothing is
/// expected), else the English name its Spanish alias stands for.
pub(super) fn canonical(name: &str, expected: &[&str]) -> String {
    if expected.is_empty() || expected.contains(&name) {
        return name.to_string();
    }
    english(name, expected).unwrap_or(name).to_string()
}

/// The English name among `expected` that the Spanish `name` stands for.
pub(super) fn english<'a>(name: &str, expected: &[&'a str]) -> Option<&'a str> {
    let lower = name.trim().to_lowercase();
    let (_, targets) = ALIASES.iter().find(|(alias, _)| *alias == lower)?;
    targets.iter().find_map(|t| expected.iter().find(|e| *e == t).copied())
}

/// The English name among `expected` whose Spanish alias is close to
/// `name` (`procentaje` → `percent`).
pub(super) fn near<'a>(name: &str, expected: &[&'a str]) -> Option<&'a str> {
    let known: Vec<&str> =
        ALIASES.iter().filter(|(_, targets)| targets.iter().any(|t| expected.contains(t))).map(|(a, _)| *a).collect();
    let alias = crate::diagnostics::suggest(name, known.iter().copied())?;
    english(&alias, expected)
}
