//! Slugs and anchor ids: ASCII, lower case, hyphen separated, no accents.

use std::collections::{HashMap, HashSet};

/// Turns a title into an ASCII slug: `Visas temporarias` → `visas-temporarias`.
pub(crate) fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut out = String::with_capacity(ascii.len());
    let mut pending_dash = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.push(c.to_ascii_lowercase());
        } else {
            pending_dash = true;
        }
    }
    out
}

/// Drops a numeric ordering prefix such as `02-` or `02_` from a file stem.
pub(crate) fn strip_order_prefix(stem: &str) -> &str {
    let digits = stem.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return stem;
    }
    match stem.as_bytes().get(digits) {
        Some(b'-') | Some(b'_') if stem.len() > digits + 1 => &stem[digits + 1..],
        _ => stem,
    }
}

/// Print pages of a split whole report are named `informe-completo-<slug>`:
/// no section or chapter may take a name that starts so.
pub(crate) const PRINT_PAGE_PREFIX: &str = "informe-completo-";

/// Page names cuenta writes itself; a section may not take them.
pub(crate) const RESERVED_PAGES: [&str; 6] =
    ["index", "informe-completo", "datos", "search-index", "verificacion", "accesibilidad"];

/// A section's page name from its file when front matter gives no `slug:`:
/// `content/02-extranjeria/01-visas.md` → `extranjeria-visas`. The build and
/// `cuenta new` both name pages by this rule.
pub(crate) fn slug_from_path(display: &str) -> String {
    let rel = display.strip_prefix("content/").unwrap_or(display);
    let rel = rel.strip_suffix(".md").unwrap_or(rel);
    let parts: Vec<String> = rel.split('/').map(|p| slugify(strip_order_prefix(p))).filter(|p| !p.is_empty()).collect();
    if parts.is_empty() {
        "seccion".to_string()
    } else {
        parts.join("-")
    }
}

/// Hands out ids unique within one page: a repeated slug gets `-2`, `-3`…
/// Each base remembers the next number to try, so n repeated headings cost
/// n steps, not n² (20,000 `## Resumen` took 41 s).
#[derive(Debug, Default)]
pub(crate) struct UniqueIds {
    used: HashSet<String>,
    next: HashMap<String, usize>,
}

impl UniqueIds {
    /// Reserves an id that generated markup already uses (tables, charts).
    pub(crate) fn reserve(&mut self, id: &str) {
        self.used.insert(id.to_string());
    }

    /// Returns a unique id for `text`, never empty.
    pub(crate) fn unique(&mut self, text: &str) -> String {
        let mut base = slugify(text);
        if base.is_empty() {
            base = "seccion".to_string();
        }
        if self.used.insert(base.clone()) {
            return base;
        }
        let n = self.next.entry(base.clone()).or_insert(2);
        loop {
            let candidate = format!("{base}-{n}");
            *n += 1;
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

/// True when `id` is a valid table or chart id: a-z, 0-9 and `-`, not empty.
pub(crate) fn is_valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_drops_accents_and_punctuation() {
        let cases = [
            ("Visas temporarias", "visas-temporarias"),
            ("Extranjería", "extranjeria"),
            ("1.1. MISION INSTITUCIONAL", "1-1-mision-institucional"),
            ("  Niños, niñas y adolescentes  ", "ninos-ninas-y-adolescentes"),
            ("¿Qué?", "que"),
        ];
        for (input, want) in cases {
            assert_eq!(slugify(input), want, "{input}");
        }
    }

    #[test]
    fn slugs_drop_order_prefixes_and_join_folders() {
        assert_eq!(slug_from_path("content/02-extranjeria.md"), "extranjeria");
        assert_eq!(slug_from_path("content/03-social/01-Niños y niñas.md"), "social-ninos-y-ninas");
    }

    #[test]
    fn order_prefix_is_dropped_only_when_followed_by_a_name() {
        assert_eq!(strip_order_prefix("02-seguridad"), "seguridad");
        assert_eq!(strip_order_prefix("2018"), "2018");
        assert_eq!(strip_order_prefix("10_datos"), "datos");
        assert_eq!(strip_order_prefix("informe"), "informe");
    }

    #[test]
    fn repeated_headings_get_numbered_ids() {
        let mut ids = UniqueIds::default();
        assert_eq!(ids.unique("Resumen"), "resumen");
        assert_eq!(ids.unique("Resumen"), "resumen-2");
        assert_eq!(ids.unique("¡!"), "seccion");
        ids.reserve("nota-2");
        assert_eq!(ids.unique("Nota"), "nota");
        assert_eq!(ids.unique("Nota"), "nota-3", "a reserved id is skipped");
    }

    #[test]
    fn twenty_thousand_repeated_headings_take_linear_time() {
        let mut ids = UniqueIds::default();
        let start = std::time::Instant::now();
        for _ in 0..20_000 {
            ids.unique("Resumen");
        }
        assert_eq!(ids.unique("Resumen"), "resumen-20001");
        // Quadratic, this took tens of seconds; linear, milliseconds.
        assert!(start.elapsed() < std::time::Duration::from_secs(5), "{:?}", start.elapsed());
    }

    #[test]
    fn ids_accept_only_lowercase_ascii_digits_and_hyphens() {
        assert!(is_valid_id("visas-2016"));
        assert!(!is_valid_id("../x"));
        assert!(!is_valid_id("Visas"));
        assert!(!is_valid_id(""));
    }
}
