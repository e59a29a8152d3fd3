//! Pure layout arithmetic for charts: axis scales and label wrapping.

/// A "nice" axis covering `min..max` (always including 0) in about `ticks`
/// steps of 1, 2, 2.5 or 5 × 10^k. Returns (low, high, step).
pub(super) fn nice_scale(min: f64, max: f64, ticks: usize) -> (f64, f64, f64) {
    let lo = min.min(0.0);
    let hi = max.max(0.0);
    let span = hi - lo;
    if !span.is_finite() || span <= 0.0 {
        return (0.0, 1.0, 0.25);
    }
    let raw = span / ticks.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    if !magnitude.is_normal() {
        // Spans near f64's smallest values (5e-324) underflow to a zero step.
        return (lo, hi, span);
    }
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * magnitude).find(|s| *s >= raw).unwrap_or(10.0 * magnitude);
    let low = (lo / step).floor() * step;
    let high = (hi / step).ceil() * step;
    (low, high, step)
}

/// Greedy word wrap to `max_width` pixels using `measure`, at most
/// `max_lines` lines; the last line ends in `…` when text was cut. Each word
/// is measured once and lines are summed, so wrapping stays linear.
pub(super) fn wrap(text: &str, max_width: u32, max_lines: usize, measure: impl Fn(&str) -> u32) -> Vec<String> {
    let space = measure(" ");
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut width = 0;
    // A no-break space holds a figure to its unit ("12,2\u{a0}%"): not a break.
    let breaks = |c: char| c.is_whitespace() && c != '\u{a0}' && c != '\u{202f}';
    for word in text.split(breaks).filter(|w| !w.is_empty()) {
        let w = measure(word);
        if current.is_empty() {
            current.push_str(word);
            width = w;
        } else if width + space + w <= max_width {
            current.push(' ');
            current.push_str(word);
            width += space + w;
        } else {
            lines.push(std::mem::replace(&mut current, word.to_string()));
            width = w;
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            last.push('…');
        }
    }
    for line in &mut lines {
        if measure(line) > max_width && line.chars().count() > 2 {
            *line = fit(line, max_width, &measure);
        }
    }
    lines
}

/// The longest cut prefix of `line` that fits in `max_width` with a `…`
/// (at least one character, and always shorter than the line). A binary
/// search: cutting one character at a time measured a 5,000-character word
/// 5,000 times, which took minutes.
fn fit(line: &str, max_width: u32, measure: impl Fn(&str) -> u32) -> String {
    let (kept, removed) = match line.strip_suffix('…') {
        Some(rest) => (rest, 1),
        None => (line, 2),
    };
    let chars: Vec<char> = kept.chars().collect();
    let cut = |n: usize| chars[..n].iter().chain(['…'].iter()).collect::<String>();
    let (mut lo, mut hi) = (1, chars.len().saturating_sub(removed).max(1));
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if measure(&cut(mid)) <= max_width {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    cut(lo.min(chars.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_are_round_and_include_zero() {
        assert_eq!(nice_scale(0.0, 12794.0, 5), (0.0, 15000.0, 5000.0));
        assert_eq!(nice_scale(0.0, 959.0, 5), (0.0, 1000.0, 200.0));
        assert_eq!(nice_scale(-121239.0, 3605862.0, 5), (-1000000.0, 4000000.0, 1000000.0));
        assert_eq!(nice_scale(0.0, 0.0, 5), (0.0, 1.0, 0.25));
        let (lo, hi, step) = nice_scale(0.0, 5e-324, 5);
        assert!(lo <= 0.0 && hi >= 5e-324 && step > 0.0, "{lo} {hi} {step}");
    }

    #[test]
    fn a_no_break_space_keeps_a_figure_with_its_unit() {
        let measure = |s: &str| s.chars().count() as u32 * 10;
        let lines = wrap("Total: 12,2\u{a0}% (4\u{a0}casos)", 80, 4, measure);
        assert!(lines.iter().any(|l| l.contains("12,2\u{a0}%")), "{lines:?}");
        assert!(!lines.iter().any(|l| l.ends_with("12,2")), "{lines:?}");
    }

    #[test]
    fn wraps_on_words_and_marks_cuts() {
        let measure = |s: &str| s.chars().count() as u32 * 10;
        assert_eq!(wrap("Visas sujetas a contrato", 120, 3, measure), vec!["Visas", "sujetas a", "contrato"]);
        let cut = wrap("uno dos tres cuatro cinco", 40, 2, measure);
        assert_eq!(cut.len(), 2);
        assert!(cut[1].ends_with('…'));
    }

    #[test]
    fn a_very_long_word_is_cut_to_fit_with_few_measures() {
        let calls = std::cell::Cell::new(0);
        let measure = |s: &str| {
            calls.set(calls.get() + 1);
            s.chars().count() as u32 * 10
        };
        let lines = wrap(&"x".repeat(5000), 100, 3, measure);
        assert_eq!(lines, vec![format!("{}…", "x".repeat(9))]);
        assert!(calls.get() < 40, "{} measures", calls.get());
        let ten = |s: &str| s.chars().count() as u32 * 10;
        assert_eq!(wrap("ab", 5, 1, ten), vec!["ab"]);
        assert_eq!(wrap("abc", 5, 1, ten), vec!["a…"]);
        assert_eq!(wrap("abcdef", 55, 1, ten), vec!["abcd…"]);
    }
}
