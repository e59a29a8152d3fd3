//! The report's colours: a named preset (the Gobierno de Chile identity) or
//! custom `colors:`, checked for contrast (WCAG 2.1: at least 4.5:1 for
//! text) and turned into CSS custom properties appended to the theme's
//! stylesheet. Pure: takes what `config` read, returns values or the pair
//! that fails with its ratio.

use serde::Deserialize;

/// A colour as `#rrggbb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// Reads `#rrggbb` or `#rgb`.
    pub(crate) fn parse(text: &str) -> Option<Rgb> {
        let hex = text.trim().strip_prefix('#')?;
        let digit = |i: usize, len: usize| u8::from_str_radix(hex.get(i..i + len)?, 16).ok();
        match hex.len() {
            6 => Some(Rgb(digit(0, 2)?, digit(2, 2)?, digit(4, 2)?)),
            3 => Some(Rgb(digit(0, 1)? * 17, digit(1, 1)? * 17, digit(2, 1)? * 17)),
            _ => None,
        }
    }

    fn css(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// Relative luminance (WCAG 2.1).
    fn luminance(self) -> f64 {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.039_28 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(self.0) + 0.7152 * channel(self.1) + 0.0722 * channel(self.2)
    }
}

/// Contrast ratio between two colours, 1 to 21.
pub(crate) fn contrast(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (a.luminance(), b.luminance());
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// The least contrast for text (WCAG 2.1 AA, 1.4.3).
pub(crate) const MIN_CONTRAST: f64 = 4.5;

/// `colors:` as written in content/_index.md.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawColors {
    #[serde(default)]
    pub primary: Option<String>,
    #[serde(default)]
    pub accent: Option<String>,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub background: Option<String>,
}

/// The report's colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Palette {
    /// Header background and links.
    pub primary: Rgb,
    /// The second colour of the bar under the header.
    pub accent: Rgb,
    pub text: Rgb,
    pub background: Rgb,
}

/// Named palettes.
pub(crate) const PRESETS: [&str; 1] = ["gobierno-de-chile"];

/// The built-in theme's own colours, where `colors:` leaves one out.
const THEME: Palette = Palette {
    primary: Rgb(0x0b, 0x3d, 0x6e),
    accent: Rgb(0x1d, 0x70, 0xb8),
    text: Rgb(0x0b, 0x0c, 0x0c),
    background: Rgb(0xff, 0xff, 0xff),
};

/// The Gobierno de Chile identity: its blue and red, as the two-colour bar.
const GOBIERNO_DE_CHILE: Palette = Palette {
    primary: Rgb(0x0f, 0x69, 0xb4),
    accent: Rgb(0xeb, 0x3c, 0x46),
    text: Rgb(0x0b, 0x0c, 0x0c),
    background: Rgb(0xff, 0xff, 0xff),
};

/// What is wrong with a palette, for `config` to place and word.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PaletteError {
    UnknownPreset(String),
    /// The `colors:` key and what it holds.
    InvalidColor {
        key: &'static str,
        value: String,
    },
    /// The two colours' names and their ratio.
    LowContrast {
        foreground: &'static str,
        background: &'static str,
        ratio: f64,
    },
}

/// The palette of `palette:` and `colors:`; None when neither is set.
pub(crate) fn resolve(preset: Option<&str>, colors: Option<&RawColors>) -> Result<Option<Palette>, PaletteError> {
    let mut palette = match preset {
        None if colors.is_none() => return Ok(None),
        None => THEME,
        Some("gobierno-de-chile") => GOBIERNO_DE_CHILE,
        Some(other) => return Err(PaletteError::UnknownPreset(other.to_string())),
    };
    if let Some(c) = colors {
        for (key, value, slot) in [
            ("primary", &c.primary, &mut palette.primary),
            ("accent", &c.accent, &mut palette.accent),
            ("text", &c.text, &mut palette.text),
            ("background", &c.background, &mut palette.background),
        ] {
            if let Some(value) = value {
                *slot = Rgb::parse(value).ok_or_else(|| PaletteError::InvalidColor { key, value: value.clone() })?;
            }
        }
    }
    check(&palette)?;
    Ok(Some(palette))
}

/// Every pair of text and background the palette makes, light and dark
/// (the dark scheme keeps the theme's colours but the header's).
fn check(p: &Palette) -> Result<(), PaletteError> {
    let white = Rgb(0xff, 0xff, 0xff);
    // The header's text, and the theme's other text colours (muted text,
    // visited and hovered links) on the palette's background, named by value.
    let muted = Rgb(0x50, 0x5a, 0x5f);
    let visited = Rgb(0x4c, 0x2c, 0x92);
    let hover = Rgb(0x00, 0x30, 0x78);
    let pairs = [
        ("text", p.text, "background", p.background),
        ("primary", p.primary, "background", p.background),
        ("#ffffff", white, "primary", p.primary),
        ("#505a5f", muted, "background", p.background),
        ("#4c2c92", visited, "background", p.background),
        ("#003078", hover, "background", p.background),
    ];
    for (foreground, fg, background, bg) in pairs {
        let ratio = contrast(fg, bg);
        if ratio < MIN_CONTRAST {
            return Err(PaletteError::LowContrast { foreground, background, ratio });
        }
    }
    Ok(())
}

/// CSS appended to the theme's style.css: the light scheme takes every
/// colour; the dark one only the header's, whose white text was checked.
pub(crate) fn css(p: &Palette) -> String {
    let (primary, accent, text, bg) = (p.primary.css(), p.accent.css(), p.text.css(), p.background.css());
    format!(
        "\n/* palette: from content/_index.md */\n\
         :root{{--accent:{accent}}}\n\
         @media screen and (prefers-color-scheme:light){{:root{{--head-bg:{primary};--link:{primary};--text:{text};--ui:{text};--bg:{bg}}}}}\n\
         @media screen and (prefers-color-scheme:dark){{:root{{--head-bg:{primary}}}}}\n\
         @media screen{{.site-header{{border-bottom:8px solid {primary};border-image:linear-gradient(90deg,{primary} 0 40%,{accent} 40% 100%) 1}}}}\n"
    )
}

/// The site's icon, drawn from the palette (the theme's colours without
/// one): a square of the primary colour over the two-colour bar.
pub(crate) fn favicon(p: Option<&Palette>) -> String {
    let p = p.unwrap_or(&THEME);
    let (primary, accent) = (p.primary.css(), p.accent.css());
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 32 32\">\
         <rect width=\"32\" height=\"32\" fill=\"{primary}\"/>\
         <rect x=\"13\" y=\"24\" width=\"19\" height=\"8\" fill=\"{accent}\"/></svg>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_follows_wcag() {
        let ratio = contrast(Rgb(0, 0, 0), Rgb(255, 255, 255));
        assert!((ratio - 21.0).abs() < 1e-9);
        let gob = contrast(Rgb(0x0f, 0x69, 0xb4), Rgb(255, 255, 255));
        assert!((gob - 5.7).abs() < 0.05, "{gob}");
        assert_eq!(Rgb::parse("#0F69b4"), Some(Rgb(0x0f, 0x69, 0xb4)));
        assert_eq!(Rgb::parse("#fff"), Some(Rgb(255, 255, 255)));
        assert_eq!(Rgb::parse("azul"), None);
        assert_eq!(Rgb::parse("#12345"), None);
    }

    #[test]
    fn the_gobierno_de_chile_preset_passes_its_own_checks() {
        let p = resolve(Some("gobierno-de-chile"), None).expect("valid").expect("a palette");
        assert_eq!(p.primary, Rgb(0x0f, 0x69, 0xb4));
        assert_eq!(p.accent, Rgb(0xeb, 0x3c, 0x46));
        assert!(css(&p).contains("--head-bg:#0f69b4") && css(&p).contains("#eb3c46 40%"));
        assert_eq!(resolve(None, None), Ok(None));
    }

    #[test]
    fn a_failing_pair_is_named_with_its_ratio() {
        let colors = RawColors { primary: Some("#7fb2e5".into()), ..RawColors::default() };
        match resolve(None, Some(&colors)) {
            Err(PaletteError::LowContrast { foreground: "primary", background: "background", ratio }) => {
                assert!((2.0..2.5).contains(&ratio), "{ratio}")
            }
            other => panic!("{other:?}"),
        }
        let colors = RawColors { text: Some("gris".into()), ..RawColors::default() };
        assert_eq!(resolve(None, Some(&colors)), Err(PaletteError::InvalidColor { key: "text", value: "gris".into() }));
        assert_eq!(resolve(Some("gob"), None), Err(PaletteError::UnknownPreset("gob".into())));
    }
}
