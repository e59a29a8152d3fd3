//! Plain YAML scalars typed by the YAML 1.2 core schema, as serde_yaml read
//! them before (the shipped reports read exactly as they did).

use super::value::{Number, Value};

/// A plain scalar's value by the YAML 1.2 core schema (`~`/`null`,
/// `true`/`false`, integers in 64 bits, floats, else text); None for an
/// integer only a 128-bit type holds, which cuenta refuses with a message.
/// With the value, the text itself when the value is not text: a number's
/// `12.50` keeps the decimals its value loses.
pub(super) fn resolve(text: String) -> Option<(Value, Option<String>)> {
    let typed = |value: Value, text: String| Some((value, Some(text)));
    if text.is_empty() || matches!(text.as_str(), "~" | "null" | "Null" | "NULL") {
        return typed(Value::Null, text);
    }
    match text.as_str() {
        "true" | "True" | "TRUE" => return typed(Value::Bool(true), text),
        "false" | "False" | "FALSE" => return typed(Value::Bool(false), text),
        _ => {}
    }
    if !text.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '-' | '+' | '.')) {
        // No number starts otherwise: most text is settled here.
        return Some((Value::String(text), None));
    }
    if let Some(n) = unsigned(&text, u64::from_str_radix) {
        return typed(Value::Number(whole(n)), text);
    }
    if let Some(n) = negative(&text, i64::from_str_radix) {
        return typed(Value::Number(negative_whole(n)), text);
    }
    if unsigned(&text, u128::from_str_radix).is_some() || negative(&text, i128::from_str_radix).is_some() {
        return None;
    }
    if !leading_zero_digits(&text) {
        if let Some(f) = float(&text) {
            return typed(Value::Number(Number::Float(f)), text);
        }
    }
    Some((Value::String(text), None))
}

fn unsigned<T>(text: &str, radix: fn(&str, u32) -> Result<T, std::num::ParseIntError>) -> Option<T> {
    let unsigned = text.strip_prefix('+').unwrap_or(text);
    for (prefix, base) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if let Some(rest) = unsigned.strip_prefix(prefix) {
            if rest.starts_with(['+', '-']) {
                return None;
            }
            if let Ok(n) = radix(rest, base) {
                return Some(n);
            }
        }
    }
    if unsigned.starts_with(['+', '-']) || leading_zero_digits(text) {
        return None;
    }
    radix(unsigned, 10).ok()
}

fn negative<T>(text: &str, radix: fn(&str, u32) -> Result<T, std::num::ParseIntError>) -> Option<T> {
    for (prefix, base) in [("-0x", 16), ("-0o", 8), ("-0b", 2)] {
        if let Some(rest) = text.strip_prefix(prefix) {
            if let Ok(n) = radix(&format!("-{rest}"), base) {
                return Some(n);
            }
        }
    }
    if leading_zero_digits(text) {
        return None;
    }
    radix(text, 10).ok()
}

fn float(text: &str) -> Option<f64> {
    let unsigned = match text.strip_prefix('+') {
        Some(rest) if rest.starts_with(['+', '-']) => return None,
        Some(rest) => rest,
        None => text,
    };
    match (unsigned, text) {
        (".inf" | ".Inf" | ".INF", _) => return Some(f64::INFINITY),
        (_, "-.inf" | "-.Inf" | "-.INF") => return Some(f64::NEG_INFINITY),
        (_, ".nan" | ".NaN" | ".NAN") => return Some(f64::NAN),
        _ => {}
    }
    unsigned.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// `007`, `-01`: text, not numbers, in YAML 1.2.
fn leading_zero_digits(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    digits.len() > 1 && digits.starts_with('0') && digits[1..].bytes().all(|b| b.is_ascii_digit())
}

fn whole(n: u64) -> Number {
    Number::PosInt(n)
}

fn negative_whole(n: i64) -> Number {
    if n < 0 {
        Number::NegInt(n)
    } else {
        Number::PosInt(n as u64)
    }
}
