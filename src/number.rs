//! Locale-aware formatting of the report's figures: `12.794`, `$ 1.000.000`,
//! `-$ 121.239`, `99,86 %` for es-CL. Separators come from num-format's CLDR
//! data; this module only decides signs, decimals and currency placement.

use num_format::{Locale, ToFormattedString};

/// How to print numbers for one report.
#[derive(Debug, Clone)]
pub struct NumberFormat {
    locale: Locale,
    currency: String,
}

impl NumberFormat {
    /// A formatter for a BCP 47 `language` tag (es-CL, en, …) and an ISO
    /// currency code; unknown tags fall back to their primary language, then es-CL.
    pub fn new(language: &str, currency: &str) -> Self {
        let primary = language.split(['-', '_']).next().unwrap_or("es");
        let locale = Locale::from_name(language).or_else(|_| Locale::from_name(primary)).unwrap_or(Locale::es_CL);
        NumberFormat { locale, currency: currency_symbol(currency) }
    }

    /// Whole number with grouping: 12794 → `12.794`.
    pub fn integer(&self, v: i64) -> String {
        let digits = v.unsigned_abs().to_formatted_string(&self.locale);
        if v < 0 {
            format!("{}{digits}", self.locale.minus_sign())
        } else {
            digits
        }
    }

    /// Number with a fixed count of decimals: (99.863, 2) → `99,86`.
    pub fn decimal(&self, v: f64, decimals: usize) -> String {
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
    pub fn money(&self, v: i64) -> String {
        let digits = v.unsigned_abs().to_formatted_string(&self.locale);
        let sign = if v < 0 { self.locale.minus_sign() } else { "" };
        format!("{sign}{} {digits}", self.currency)
    }

    /// A percentage as printed: (99.8, 1) → `99,8 %`.
    pub fn percent(&self, v: f64, decimals: usize) -> String {
        format!("{} %", self.decimal(v, decimals))
    }
}

/// Rounds at `decimals` the way printed reports do, half away from zero
/// (253,5 → 254), where `format!` would round a tie to even.
pub fn round_half_away(v: f64, decimals: usize) -> f64 {
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
pub fn written_decimals(v: f64) -> usize {
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
            (f.money(1_000_000), "$ 1.000.000"),
            (f.money(-121_239), "-$ 121.239"),
            (f.percent(99.86, 2), "99,86 %"),
            (f.percent(100.0, 1), "100,0 %"),
            (f.decimal(-0.04, 1), "0,0"),
            (f.decimal(1234567.5, 1), "1.234.567,5"),
            (f.decimal(253.5, 0), "254"),
            (f.decimal(2.5, 0), "3"),
            (f.decimal(-0.125, 2), "-0,13"),
            (f.percent(0.25, 1), "0,3 %"),
        ];
        for (got, want) in cases {
            assert_eq!(got, want);
        }
    }

    #[test]
    fn english_uses_comma_groups_and_point_decimals() {
        let f = NumberFormat::new("en-GB", "CLP");
        assert_eq!(f.integer(12794), "12,794");
        assert_eq!(f.percent(99.86, 2), "99.86 %");
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
}
