//! Locale-aware formatting of the report's figures: `12.794`, `$ 1.000.000`,
//! `-$ 121.239`, `99,86 %` for es-CL. Separators come from num-format's CLDR
//! data; this module only decides signs, decimals and currency placement.
//! A figure and its unit or currency are joined by a no-break space
//! ([`NBSP`]), so "29,4 %" or "$ 1.060.928.036" never break across lines.

use num_format::{Locale, ToFormattedString};

/// The no-break space between a figure and its unit.
pub(crate) const NBSP: char = '\u{a0}';

/// Units written before the figure, like a currency: `M$ 422.935.621`,
/// `UF 1.200`. Every other unit follows it: `35 m²`, `1.234 personas`.
const PREFIX_UNITS: &[&str] = &["$", "M$", "MM$", "US$", "UF", "UTM", "€", "CLP", "USD", "EUR"];

/// Units cuenta knows by name; any other short text is accepted as written,
/// unless it is a near miss of one of these (`m$`, `MM $`, `m2`).
pub(crate) const KNOWN_UNITS: &[&str] = &[
    "$",
    "M$",
    "MM$",
    "US$",
    "UF",
    "UTM",
    "€",
    "m²",
    "km",
    "km²",
    "ha",
    "kg",
    "t",
    "días",
    "horas",
    "personas",
    "habitantes",
    "hogares",
    "viviendas",
    "casos",
    "trámites",
];

/// Longest unit accepted, in characters: a unit, not a sentence.
pub(crate) const MAX_UNIT_CHARS: usize = 16;

/// Why `unit` is refused, with the known unit it probably means; None when
/// it is fine.
pub(crate) fn unit_problem(unit: &str) -> Option<Option<&'static str>> {
    if KNOWN_UNITS.contains(&unit) {
        return None;
    }
    let squash = |u: &str| u.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase();
    let near = KNOWN_UNITS.iter().find(|k| {
        let (a, b) = (squash(k), squash(unit));
        a == b || a.replace('²', "2") == b || deunicode::deunicode(&a) == deunicode::deunicode(&b)
    });
    if near.is_some() {
        return Some(near.copied());
    }
    let bad = unit.trim().is_empty()
        || unit.trim() != unit
        || unit.chars().count() > MAX_UNIT_CHARS
        || unit.chars().any(|c| c.is_control() || "<>&\"{}".contains(c));
    bad.then_some(None)
}

/// How to print numbers for one report.
#[derive(Debug, Clone)]
pub(crate) struct NumberFormat {
    locale: Locale,
    currency: String,
    /// Dates day first (`31-12-2019`, as Chile writes them), else ISO.
    day_first: bool,
}

impl NumberFormat {
    /// A formatter for a BCP 47 `language` tag (es-CL, en, …) and an ISO
    /// currency code; unknown tags fall back to their primary language, then es-CL.
    pub(crate) fn new(language: &str, currency: &str) -> Self {
        let primary = language.split(['-', '_']).next().unwrap_or("es");
        let locale = Locale::from_name(language).or_else(|_| Locale::from_name(primary)).unwrap_or(Locale::es_CL);
        NumberFormat { locale, currency: currency_symbol(currency), day_first: primary.eq_ignore_ascii_case("es") }
    }

    /// A date as a table prints it: `31-12-2019` in Spanish (es-CL's short
    /// form), `2019-12-31` otherwise.
    pub(crate) fn date(&self, date: crate::participation::date::Date) -> String {
        let (y, m, d) = (date.year, date.month, date.day);
        if self.day_first {
            format!("{d:02}-{m:02}-{y:04}")
        } else {
            format!("{y:04}-{m:02}-{d:02}")
        }
    }

    /// The currency's symbol: `$` for CLP.
    pub(crate) fn currency(&self) -> &str {
        &self.currency
    }

    /// Whole number with grouping: 12794 → `12.794`.
    pub(crate) fn integer(&self, v: i64) -> String {
        let digits = v.unsigned_abs().to_formatted_string(&self.locale);
        if v < 0 {
            format!("{}{digits}", self.locale.minus_sign())
        } else {
            digits
        }
    }

    /// Number with a fixed count of decimals: (99.863, 2) → `99,86`.
    pub(crate) fn decimal(&self, v: f64, decimals: usize) -> String {
        if !v.is_finite() {
            return String::from("—");
        }
        let decimals = decimals.min(12);
        let text = format!("{:.*}", decimals, round_half_away(v.abs(), decimals));
        let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
        let grouped = match int.parse::<u128>() {
            Ok(n) => n.to_formatted_string(&self.locale),
            Err(_) => int.to_string(),
        };
        let negative = v < 0.0 && text.bytes().any(|b| (b'1'..=b'9').contains(&b));
        let sign = if negative { self.locale.minus_sign() } else { "" };
        if frac.is_empty() {
            format!("{sign}{grouped}")
        } else {
            format!("{sign}{grouped}{}{frac}", self.locale.decimal())
        }
    }

    /// Money in the report's currency: `$ 1.000.000`, `-$ 121.239`.
    pub(crate) fn money(&self, v: i64) -> String {
        let digits = v.unsigned_abs().to_formatted_string(&self.locale);
        let sign = if v < 0 { self.locale.minus_sign() } else { "" };
        format!("{sign}{}{NBSP}{digits}", self.currency)
    }

    /// A figure already formatted, with its unit: `M$ 422.935.621`,
    /// `1.234 personas`, joined by a no-break space.
    pub(crate) fn with_unit(&self, figure: &str, unit: &str) -> String {
        if PREFIX_UNITS.contains(&unit) {
            match figure.strip_prefix(self.locale.minus_sign()) {
                Some(abs) if !self.locale.minus_sign().is_empty() => {
                    format!("{}{unit}{NBSP}{abs}", self.locale.minus_sign())
                }
                _ => format!("{unit}{NBSP}{figure}"),
            }
        } else {
            format!("{figure}{NBSP}{unit}")
        }
    }

    /// A figure as prose prints it in this locale (`1.234,5`, `$ 64`,
    /// `29,4 %`): its value and its count of decimals. Units and signs
    /// around it are ignored; None when it holds no digits or is ambiguous.
    pub(crate) fn parse_printed(&self, text: &str) -> Option<(f64, usize)> {
        let (group, decimal) = (self.locale.separator(), self.locale.decimal());
        let negative = text.trim_start().starts_with(['-', '−']) || text.contains("-$");
        let mut digits = String::new();
        let mut decimals = None;
        let mut rest = text.trim();
        while let Some(c) = rest.chars().next() {
            if c.is_ascii_digit() {
                digits.push(c);
                if let Some(d) = decimals.as_mut() {
                    *d += 1;
                }
            } else if rest.starts_with(decimal) && !digits.is_empty() && decimals.is_none() {
                decimals = Some(0);
                digits.push('.');
                rest = &rest[decimal.len()..];
                continue;
            } else if rest.starts_with(group) && !digits.is_empty() {
                rest = &rest[group.len()..];
                continue;
            } else if !digits.is_empty() && decimals.is_none() && !c.is_whitespace() && c != NBSP {
                // A unit after the figure ends it.
                break;
            } else if !digits.is_empty() && decimals.is_some() {
                break;
            }
            rest = &rest[c.len_utf8()..];
        }
        if digits.is_empty() || digits.ends_with('.') {
            return None;
        }
        let value: f64 = digits.parse().ok()?;
        Some((if negative { -value } else { value }, decimals.unwrap_or(0)))
    }

    /// A percentage as printed: (99.8, 1) → `99,8 %`.
    pub(crate) fn percent(&self, v: f64, decimals: usize) -> String {
        format!("{}{NBSP}%", self.decimal(v, decimals))
    }
}

/// Rounds at `decimals` the way printed reports do, half away from zero
/// (253,5 → 254), where `format!` would round a tie to even.
pub(crate) fn round_half_away(v: f64, decimals: usize) -> f64 {
    let scale = 10f64.powi(decimals as i32);
    let scaled = v * scale;
    if !scaled.is_finite() || scaled.abs() >= 1e15 {
        return v;
    }
    scaled.round() / scale
}

fn currency_symbol(code: &str) -> String {
    match code.to_ascii_uppercase().as_str() {
        "CLP" | "ARS" | "MXN" | "COP" => "$".to_string(),
        "USD" => "US$".to_string(),
        "EUR" => "€".to_string(),
        other => other.to_string(),
    }
}

/// The count of decimals a number was written with (shortest round-trip form):
/// 99.8 → 1, 100 → 0, 99.86 → 2.
pub(crate) fn written_decimals(v: f64) -> usize {
    let text = format!("{v}");
    text.split_once('.').map_or(0, |(_, f)| f.len()).min(12)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_es_cl_like_the_printed_report() {
        let f = NumberFormat::new("es-CL", "CLP");
        let cases = [
            (f.integer(12794), "12.794"),
            (f.integer(93), "93"),
            (f.integer(-4500), "-4.500"),
            (f.money(1_000_000), "$\u{a0}1.000.000"),
            (f.money(-121_239), "-$\u{a0}121.239"),
            (f.percent(99.86, 2), "99,86\u{a0}%"),
            (f.percent(100.0, 1), "100,0\u{a0}%"),
            (f.decimal(-0.04, 1), "0,0"),
            (f.decimal(1234567.5, 1), "1.234.567,5"),
            (f.decimal(253.5, 0), "254"),
            (f.decimal(2.5, 0), "3"),
            (f.decimal(-0.125, 2), "-0,13"),
            (f.percent(0.25, 1), "0,3\u{a0}%"),
        ];
        for (got, want) in cases {
            assert_eq!(got, want);
        }
    }

    #[test]
    fn english_uses_comma_groups_and_point_decimals() {
        let f = NumberFormat::new("en-GB", "CLP");
        assert_eq!(f.integer(12794), "12,794");
        assert_eq!(f.percent(99.86, 2), "99.86\u{a0}%");
    }

    #[test]
    fn written_decimals_follow_the_literal() {
        assert_eq!(written_decimals(99.8), 1);
        assert_eq!(written_decimals(100.0), 0);
        assert_eq!(written_decimals(99.86), 2);
    }

    #[test]
    fn extreme_values_do_not_panic() {
        let f = NumberFormat::new("es-CL", "CLP");
        assert_eq!(f.integer(i64::MIN), "-9.223.372.036.854.775.808");
        assert!(!f.decimal(f64::MAX, 2).is_empty());
        assert_eq!(f.decimal(f64::NAN, 2), "—");
    }

    #[test]
    fn figures_printed_in_prose_are_read_in_the_locale() {
        let f = NumberFormat::new("es-CL", "CLP");
        let cases: &[(&str, Option<(f64, usize)>)] = &[
            ("64", Some((64.0, 0))),
            ("1.234", Some((1234.0, 0))),
            ("1.234,5", Some((1234.5, 1))),
            ("$ 1.060.928.036", Some((1_060_928_036.0, 0))),
            ("29,4 %", Some((29.4, 1))),
            ("-$ 121.239", Some((-121_239.0, 0))),
            ("M$ 422.935.621", Some((422_935_621.0, 0))),
            ("sesenta", None),
        ];
        for (text, want) in cases {
            assert_eq!(f.parse_printed(text), *want, "{text}");
        }
    }

    #[test]
    fn units_go_before_or_after_the_figure_with_a_no_break_space() {
        let f = NumberFormat::new("es-CL", "CLP");
        assert_eq!(f.with_unit("422.935.621", "M$"), "M$\u{a0}422.935.621");
        assert_eq!(f.with_unit("-5", "UF"), "-UF\u{a0}5");
        assert_eq!(f.with_unit("1.234", "personas"), "1.234\u{a0}personas");
        assert_eq!(f.with_unit("35", "m²"), "35\u{a0}m²");
    }

    #[test]
    fn near_misses_of_known_units_are_refused_with_the_unit_meant() {
        let cases: &[(&str, Option<Option<&str>>)] = &[
            ("M$", None),
            ("funcionarios", None),
            ("m$", Some(Some("M$"))),
            ("MM $", Some(Some("MM$"))),
            ("m2", Some(Some("m²"))),
            ("dias", Some(Some("días"))),
            ("", Some(None)),
            ("<b>", Some(None)),
            ("una unidad demasiado larga", Some(None)),
        ];
        for (unit, want) in cases {
            assert_eq!(unit_problem(unit), *want, "{unit}");
        }
    }
}
