//! One spreadsheet cell as the YAML value it would have been, so that
//! `table` types and checks it as a written one: Chilean-formatted text
//! read as numbers in numeric columns; dates as days in `date` columns
//! and as `dd-mm-aaaa` text in text columns.

use super::read::Raw;
use crate::diagnostics::{Message, SheetMessage};
use crate::front_matter::{Number, Value};
use crate::table::ColumnType;

/// What a YAML cell holding this spreadsheet cell would be, with the literal
/// it would have been written as (which decides a number's decimals), for a
/// column of type `kind`.
pub(crate) fn yaml_value(cell: &Raw, kind: ColumnType, column: &str) -> Result<(Value, Option<String>), Message> {
    let numeric = kind.is_numeric();
    match cell {
        Raw::Empty => Ok((Value::Null, None)),
        // A `date` column reads `2019-12-31`, as written in YAML.
        Raw::Date(y, m, d) if kind == ColumnType::Date => Ok((Value::String(format!("{y:04}-{m:02}-{d:02}")), None)),
        Raw::Text(t) if kind == ColumnType::Date => {
            Ok((Value::String(chilean_date(t).unwrap_or_else(|| t.clone())), None))
        }
        Raw::Number(f) => Ok(number_value(*f)),
        Raw::Text(t) if numeric => match chilean_number(t) {
            Some(literal) => literal_value(&literal).ok_or(Message::OutOfRange { literal }),
            None => Err(Message::TextInNumericColumn { column: column.to_string(), value: t.clone() }),
        },
        Raw::Text(t) => Ok((Value::String(t.clone()), None)),
        Raw::Bool(b) => Ok((Value::Bool(*b), Some(if *b { "VERDADERO" } else { "FALSO" }.to_string()))),
        Raw::Date(y, m, d) if numeric => {
            Err(SheetMessage::DateInNumericColumn { column: column.to_string(), date: format!("{d:02}-{m:02}-{y:04}") }
                .into())
        }
        Raw::Date(y, m, d) => Ok((Value::String(format!("{d:02}-{m:02}-{y:04}")), None)),
        Raw::Error(code) => Err(SheetMessage::CellError { code: code.clone() }.into()),
        Raw::NoSavedValue(formula) => Err(SheetMessage::FormulaWithoutValue { formula: format!("={formula}") }.into()),
    }
}

/// A number with the literal it reads as: at most two decimals, which is
/// what a figure read from a sheet shows unless its column says `decimals:`
/// (a sheet's 97,2000709561 % is shown as 97,20 %; its value is kept whole).
fn number_value(f: f64) -> (Value, Option<String>) {
    let literal = shown_literal(f);
    let number =
        if literal.contains('.') { Number::Float(f) } else { literal.parse::<i64>().map_or(Number::Float(f), whole) };
    (Value::Number(number), Some(literal))
}

/// A whole number as the YAML parser gives it.
fn whole(n: i64) -> Number {
    if n < 0 {
        Number::NegInt(n)
    } else {
        Number::PosInt(n.unsigned_abs())
    }
}

/// The shortest literal of `f` to two decimals: 1234, 0.3, 97.2, 97.2 for 97.2000709.
fn shown_literal(f: f64) -> String {
    let fixed = format!("{:.2}", (f * 100.0).round() / 100.0);
    let trimmed = fixed.trim_end_matches('0').trim_end_matches('.');
    match trimmed {
        "-0" | "" => "0".to_string(),
        t => t.to_string(),
    }
}

/// A plain literal (`-1234`, `99.8`) as a YAML number.
fn literal_value(literal: &str) -> Option<(Value, Option<String>)> {
    let number = if literal.contains('.') {
        Number::Float(literal.parse::<f64>().ok()?)
    } else {
        whole(literal.parse::<i64>().ok()?)
    };
    Some((Value::Number(number), Some(literal.to_string())))
}

/// A date typed as text the Chilean way, `31-12-2019` or `31/12/2019`, as
/// `2019-12-31`; in a spreadsheet of Chilean figures the day comes first.
fn chilean_date(text: &str) -> Option<String> {
    let mut parts = text.trim().split(['-', '/']);
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    let digits =
        |s: &str, n: std::ops::RangeInclusive<usize>| n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    (parts.next().is_none() && digits(d, 1..=2) && digits(m, 1..=2) && digits(y, 4..=4))
        .then(|| format!("{y}-{:0>2}-{:0>2}", m, d))
}

/// Text with Chilean formatting as a plain literal: `$ 1.234.567` →
/// `1234567`, `99,8 %` → `99.8`, `(1.234)` → `-1234`. A point followed by
/// groups of three digits groups thousands; a lone point followed by other
/// than three digits is a decimal point (`1234.5`, as programs write).
pub(crate) fn chilean_number(text: &str) -> Option<String> {
    let mut t: String = text.chars().filter(|c| !c.is_whitespace() && *c != '\u{a0}').collect();
    let mut negative = false;
    if let Some(inner) = t.strip_prefix('(').and_then(|s| s.strip_suffix(')')) {
        (negative, t) = (true, inner.to_string());
    }
    if let Some(rest) = t.strip_prefix('-') {
        (negative, t) = (!negative, rest.to_string());
    }
    let mut t = t.trim_start_matches('$').trim_end_matches('%');
    if let Some(rest) = t.strip_prefix('-') {
        (negative, t) = (!negative, rest);
    }
    let (whole, fraction) = match t.split_once(',') {
        Some((w, f)) => (w.to_string(), Some(f)),
        None => match t.split_once('.') {
            Some((w, f)) if !f.contains('.') && f.len() != 3 => (w.to_string(), Some(f)),
            _ => (t.to_string(), None),
        },
    };
    let groups: Vec<&str> = whole.split('.').collect();
    let grouped_ok = groups.len() == 1
        || (!groups[0].is_empty() && groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3));
    let digits: String = groups.concat();
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !grouped_ok || !all_digits(&digits) || fraction.is_some_and(|f| !all_digits(f)) {
        return None;
    }
    let sign = if negative { "-" } else { "" };
    Some(match fraction {
        Some(f) => format!("{sign}{digits}.{f}"),
        None => format!("{sign}{digits}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chilean_formatted_text_reads_as_plain_numbers() {
        let cases = [
            ("$ 1.234.567", Some("1234567")),
            ("99,8 %", Some("99.8")),
            ("12.794", Some("12794")),
            ("(1.234)", Some("-1234")),
            ("-$ 5.000", Some("-5000")),
            ("$ -5.000", Some("-5000")),
            ("1234.5", Some("1234.5")),
            ("0,25", Some("0.25")),
            ("1\u{a0}234", Some("1234")),
            ("1.23.4", None),
            ("12.3456", Some("12.3456")),
            ("1.234,5", Some("1234.5")),
            ("1.2345,6", None),
            ("doce", None),
            ("", None),
            ("$", None),
        ];
        for (text, want) in cases {
            assert_eq!(chilean_number(text).as_deref(), want, "{text:?}");
        }
    }

    #[test]
    fn figures_from_a_sheet_show_at_most_two_decimals() {
        assert_eq!(number_value(0.1 + 0.2).1.as_deref(), Some("0.3"));
        assert_eq!(number_value(1234.0).1.as_deref(), Some("1234"));
        assert_eq!(number_value(-0.5).1.as_deref(), Some("-0.5"));
        assert_eq!(number_value(97.2000709561).1.as_deref(), Some("97.2"));
        assert_eq!(number_value(78.9917545997).1.as_deref(), Some("78.99"));
        assert_eq!(number_value(1e300).0, Value::Number(Number::Float(1e300)));
    }

    #[test]
    fn dates_are_text_in_text_columns_and_errors_in_numeric_ones() {
        let date = Raw::Date(2019, 12, 31);
        assert_eq!(yaml_value(&date, ColumnType::Text, "fecha").map(|v| v.0), Ok(Value::String("31-12-2019".into())));
        assert!(matches!(
            yaml_value(&date, ColumnType::Money, "monto"),
            Err(Message::Sheet(SheetMessage::DateInNumericColumn { .. }))
        ));
    }

    #[test]
    fn a_date_column_reads_date_cells_and_day_first_text_as_iso_days() {
        let iso = |raw: Raw| yaml_value(&raw, ColumnType::Date, "dia").map(|v| v.0);
        let day = Ok(Value::String("2019-03-05".into()));
        assert_eq!(iso(Raw::Date(2019, 3, 5)), day);
        assert_eq!(iso(Raw::Text("05-03-2019".into())), day);
        assert_eq!(iso(Raw::Text("5/3/2019".into())), day);
        assert_eq!(iso(Raw::Text("2019-03-05".into())), day, "ISO passes through");
        assert_eq!(iso(Raw::Text("marzo".into())), Ok(Value::String("marzo".into())), "left for the table to refuse");
        assert_eq!(chilean_date("05-03-19"), None, "two-digit years are not guessed");
    }
}
