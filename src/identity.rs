//! The office's identity on the site, from `content/_index.md`: its logo
//! (an image under content/ with its text alternative), its icon, the
//! address where the site is published (`base_url`) and what the
//! accessibility statement says beyond its defaults. Raw serde structs →
//! validated types; whether the logo and icon files exist is checked once
//! the report's media are known ([`check_files`]), at the line and column
//! of `_index.md` that names them. Reads no disk.

use crate::diagnostics::{suggest, Diagnostic, Diagnostics, Message, Span};
use crate::front_matter::Positions;
use crate::source::SourceFile;
use serde::Deserialize;

/// `logo:` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLogo {
    #[serde(alias = "imagen")]
    image: String,
    #[serde(default)]
    alt: Option<String>,
}

/// `accessibility:` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAccessibility {
    /// Barriers the office knows of and has not removed yet.
    #[serde(default, alias = "limitaciones")]
    limits: Vec<String>,
    /// When the statement was last reviewed, as text ("mayo de 2019").
    #[serde(default, alias = "revisada")]
    reviewed: Option<String>,
}

/// An image the settings name: its path below content/ and where it was
/// written. A typed path, so that other outputs (a PDF cover) can use it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct ImageRef {
    /// Below content/, `./` removed: `img/escudo.svg`.
    pub path: String,
    /// Where `_index.md` names it.
    pub span: Span,
}

/// The office's logo: an image under content/ and its text alternative.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Logo {
    pub image: ImageRef,
    /// What the logo says, for readers who cannot see it.
    pub alt: String,
}

/// What the accessibility statement says besides what cuenta knows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct Accessibility {
    pub limits: Vec<String>,
    pub reviewed: Option<String>,
}

/// The identity parts of the settings, validated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct Identity {
    pub logo: Option<Logo>,
    /// An icon under content/; None draws one from the palette.
    pub favicon: Option<ImageRef>,
    /// `https://…/` where the site is published; None keeps every link
    /// relative.
    pub base_url: Option<String>,
    pub accessibility: Accessibility,
}

/// The raw parts of `_index.md` this module reads.
pub(crate) struct Raw {
    pub logo: Option<RawLogo>,
    pub favicon: Option<String>,
    pub base_url: Option<String>,
    pub accessibility: Option<RawAccessibility>,
}

/// Validates the identity parts of `_index.md`.
pub(crate) fn validate(raw: Raw, file: &SourceFile, positions: &Positions) -> Result<Identity, Diagnostic> {
    let logo = match raw.logo {
        None => None,
        Some(l) => {
            // The key as written: `image`, or its Spanish `imagen`.
            let written = positions.get("logo.imagen").map_or_else(|| positions.span("logo.image"), |n| n.span);
            let image = image_ref(&l.image, written);
            match l.alt.map(|a| a.trim().to_string()).filter(|a| !a.is_empty()) {
                Some(alt) => Some(Logo { image, alt }),
                None => {
                    let span = positions.get("logo.alt").map_or_else(|| positions.span("logo"), |n| n.span);
                    let message = Message::ImageWithoutAlt { setting: "logo".into() };
                    return Err(Diagnostic::error(file, span, message));
                }
            }
        }
    };
    let favicon = raw.favicon.map(|f| image_ref(&f, positions.span("favicon")));
    let base_url = match raw.base_url {
        None => None,
        Some(url) => Some(base_url(&url).map_err(|suggestion| {
            let span = positions.span("base_url").with_len(url.chars().count());
            Diagnostic::error(file, span, Message::InvalidBaseUrl { value: url.clone(), suggestion })
        })?),
    };
    let a = raw.accessibility.unwrap_or_default();
    let accessibility = Accessibility { limits: a.limits, reviewed: a.reviewed };
    Ok(Identity { logo, favicon, base_url, accessibility })
}

fn image_ref(path: &str, span: Span) -> ImageRef {
    let path = path.trim();
    ImageRef { path: path.strip_prefix("./").unwrap_or(path).to_string(), span: span.with_len(path.chars().count()) }
}

/// `url` when it is an absolute http(s) address ending in `/`; else the
/// address it probably meant, if there is one.
pub(crate) fn base_url(url: &str) -> Result<String, Option<String>> {
    let trimmed = url.trim();
    let lower = trimmed.to_ascii_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"));
    let host = rest.and_then(|r| r.split('/').next()).unwrap_or_default();
    let plain = |c: char| c.is_ascii_alphanumeric() || "-._~/:%".contains(c);
    if host.is_empty() || !trimmed.chars().all(plain) {
        return Err(None);
    }
    if !trimmed.ends_with('/') {
        return Err(Some(format!("{trimmed}/")));
    }
    Ok(trimmed.to_string())
}

/// The extensions an icon or a logo may have.
const IMAGE_EXTENSIONS: [&str; 5] = ["png", "jpg", "jpeg", "webp", "svg"];

/// Errors for a logo or an icon that is not an image under content/, at the
/// place in `_index.md` that names it, with the nearest path as suggestion.
pub(crate) fn check_files<'a>(
    identity: &Identity,
    file: &SourceFile,
    media: impl Iterator<Item = &'a str> + Clone,
    diags: &mut Diagnostics,
) {
    let named = identity.logo.iter().map(|l| ("logo", &l.image)).chain(identity.favicon.iter().map(|f| ("favicon", f)));
    for (setting, image) in named {
        let ext = image.path.rsplit('.').next().unwrap_or_default().to_ascii_lowercase();
        let message = if !media.clone().any(|m| m == image.path) {
            let suggestion = suggest(&image.path, media.clone().filter(|m| is_image(m)));
            Message::MissingImage { setting: setting.into(), path: image.path.clone(), suggestion }
        } else if !IMAGE_EXTENSIONS.contains(&ext.as_str()) {
            Message::NotAnImage { setting: setting.into(), path: image.path.clone() }
        } else {
            continue;
        };
        diags.push(Diagnostic::error(file, image.span, message));
    }
}

fn is_image(path: &str) -> bool {
    let ext = path.rsplit('.').next().unwrap_or_default().to_ascii_lowercase();
    IMAGE_EXTENSIONS.contains(&ext.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_base_url_is_an_http_address_ending_in_a_slash() {
        let cases: [(&str, Result<&str, Option<&str>>); 7] = [
            ("https://www.gob.cl/cuenta-2018/", Ok("https://www.gob.cl/cuenta-2018/")),
            ("http://localhost:8000/", Ok("http://localhost:8000/")),
            ("https://www.gob.cl/cuenta", Err(Some("https://www.gob.cl/cuenta/"))),
            ("www.gob.cl/cuenta/", Err(None)),
            ("ftp://gob.cl/", Err(None)),
            ("https:///", Err(None)),
            ("https://gob.cl/a b/", Err(None)),
        ];
        for (url, expected) in cases {
            assert_eq!(base_url(url), expected.map(str::to_string).map_err(|s| s.map(str::to_string)), "{url}");
        }
    }
}
