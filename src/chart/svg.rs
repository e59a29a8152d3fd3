//! A plotters drawing backend that writes compact SVG. plotters' own SVG
//! backend repeats every text style (family, size, opacity, colour) on every
//! element and wraps text in newlines: that was 60 % of a chart's bytes, and
//! a chart is drawn into its page and again into the whole-report page,
//! written, hashed and deflated each time. Here the chart's font and ink are
//! set once on the `<svg>` element and inherited; an element only says what
//! differs from the defaults.

use plotters::prelude::*;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind, FontStyle,
    FontTransform,
};
use std::fmt::Write;

/// The text style every `<text>` inherits unless it says otherwise.
#[derive(Debug, Clone, Copy)]
pub(super) struct TextDefaults {
    pub family: &'static str,
    /// Size as written in the SVG (plotters' sizes are 1.24 × larger).
    pub size: f64,
    pub ink: RGBColor,
}

/// Writes SVG elements into a borrowed string; [`document`] makes them a
/// document once the drawing's height is known.
pub(super) struct CompactSvg<'a> {
    out: &'a mut String,
    size: (u32, u32),
    text: TextDefaults,
}

impl<'a> CompactSvg<'a> {
    pub(super) fn new(out: &'a mut String, size: (u32, u32), text: TextDefaults) -> Self {
        CompactSvg { out, size, text }
    }

    /// One shape: `open` writes its tag and geometry, then its paint closes
    /// it. A transparent shape is not written at all.
    fn shape(&mut self, color: BackendColor, fill: bool, width: u32, open: impl FnOnce(&mut String)) {
        if color.alpha == 0.0 {
            return;
        }
        open(self.out);
        self.paint(color, fill, width);
        self.out.push_str("/>\n");
    }

    fn opacity(&mut self, color: BackendColor) {
        if color.alpha < 1.0 {
            let _ = write!(self.out, " opacity=\"{}\"", color.alpha);
        }
    }

    /// `fill="…"` for a filled shape, or no fill and a stroke.
    fn paint(&mut self, color: BackendColor, fill: bool, stroke_width: u32) {
        if fill {
            let _ = write!(self.out, " fill=\"{}\"", hex(color));
        } else {
            let _ = write!(self.out, " fill=\"none\" stroke=\"{}\"", hex(color));
            self.stroke_width(stroke_width);
        }
        self.opacity(color);
    }

    fn stroke_width(&mut self, width: u32) {
        if width != 1 {
            let _ = write!(self.out, " stroke-width=\"{width}\"");
        }
    }
}

/// The SVG document of `body` (elements drawn by a [`CompactSvg`] with the
/// same `text`), `size` pixels on a `background`.
pub(super) fn document((w, h): (u32, u32), text: TextDefaults, background: RGBColor, body: &str) -> String {
    let mut out = String::with_capacity(body.len() + 300);
    let _ = writeln!(
        out,
        "<svg width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" xmlns=\"http://www.w3.org/2000/svg\" \
         font-family=\"{}\" font-size=\"{}\" fill=\"{}\">",
        text.family,
        text.size,
        hex(text.ink.to_backend_color())
    );
    let _ = writeln!(
        out,
        "<rect x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\" fill=\"{}\"/>",
        hex(background.to_backend_color())
    );
    out.push_str(body);
    out.push_str("</svg>");
    out
}

/// `<tag points="x,y x,y …"`.
fn with_points(out: &mut String, tag: &str, points: impl IntoIterator<Item = BackendCoord>) {
    let _ = write!(out, "<{tag} points=\"");
    for (i, (x, y)) in points.into_iter().enumerate() {
        let sep = if i == 0 { "" } else { " " };
        let _ = write!(out, "{sep}{x},{y}");
    }
    out.push('"');
}

fn hex(c: BackendColor) -> String {
    let (r, g, b) = c.rgb;
    format!("#{r:02X}{g:02X}{b:02X}")
}

/// Text content and attribute values, escaped for XML by the one escaper
/// (control characters dropped: a chart label must not break the SVG).
use crate::html::escape_into;

impl DrawingBackend for CompactSvg<'_> {
    type ErrorType = std::convert::Infallible;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        Ok(())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        Ok(())
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.draw_rect(point, (point.0 + 1, point.1 + 1), &color, true)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.draw_path([from, to], style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let ((x, y), (x1, y1)) = (upper_left, bottom_right);
        self.shape(style.color(), fill, style.stroke_width(), |out| {
            let _ = write!(out, "<rect x=\"{x}\" y=\"{y}\" width=\"{}\" height=\"{}\"", x1 - x, y1 - y);
        });
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.shape(style.color(), false, style.stroke_width(), |out| with_points(out, "polyline", path));
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        (cx, cy): BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.shape(style.color(), fill, style.stroke_width(), |out| {
            let _ = write!(out, "<circle cx=\"{cx}\" cy=\"{cy}\" r=\"{radius}\"");
        });
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.shape(style.color(), true, 1, |out| with_points(out, "polygon", vert));
        Ok(())
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        (x, y): BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let _ = write!(self.out, "<text x=\"{x}\" y=\"{y}\"");
        match style.anchor().v_pos {
            VPos::Top => self.out.push_str(" dy=\"0.76em\""),
            VPos::Center => self.out.push_str(" dy=\"0.5ex\""),
            VPos::Bottom => self.out.push_str(" dy=\"-0.5ex\""),
        }
        match style.anchor().h_pos {
            HPos::Left => {}
            HPos::Center => self.out.push_str(" text-anchor=\"middle\""),
            HPos::Right => self.out.push_str(" text-anchor=\"end\""),
        }
        let family = style.family();
        if family.as_str() != self.text.family {
            self.out.push_str(" font-family=\"");
            escape_into(self.out, family.as_str());
            self.out.push('"');
        }
        let size = style.size() / 1.24;
        if size != self.text.size {
            let _ = write!(self.out, " font-size=\"{size}\"");
        }
        match style.style() {
            FontStyle::Normal => {}
            FontStyle::Bold => self.out.push_str(" font-weight=\"bold\""),
            other => {
                let _ = write!(self.out, " font-style=\"{}\"", other.as_str());
            }
        }
        let rotation = match style.transform() {
            FontTransform::Rotate90 => 90,
            FontTransform::Rotate180 => 180,
            FontTransform::Rotate270 => 270,
            FontTransform::None => 0,
        };
        if rotation != 0 {
            let _ = write!(self.out, " transform=\"rotate({rotation}, {x}, {y})\"");
        }
        if color.rgb != self.text.ink.to_backend_color().rgb {
            let _ = write!(self.out, " fill=\"{}\"", hex(color));
        }
        self.opacity(color);
        self.out.push('>');
        escape_into(self.out, text);
        self.out.push_str("</text>\n");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{document, CompactSvg, TextDefaults};
    use plotters::prelude::*;
    use plotters::style::text_anchor::{HPos, Pos, VPos};

    const TEXT: TextDefaults = TextDefaults { family: "sans-serif", size: 10.0, ink: RGBColor(0x1a, 0x1a, 0x1a) };

    fn drawn(draw: impl FnOnce(&DrawingArea<CompactSvg, plotters::coord::Shift>)) -> String {
        let mut body = String::new();
        {
            let area = CompactSvg::new(&mut body, (100, 50), TEXT).into_drawing_area();
            draw(&area);
            area.present().expect("infallible");
        }
        document((100, 50), TEXT, WHITE, &body)
    }

    #[test]
    fn text_inherits_the_defaults_and_states_only_what_differs() {
        let svg = drawn(|a| {
            let style = TextStyle::from(("sans-serif", 12.4).into_font()).color(&TEXT.ink);
            a.draw(&Text::new("a < b & \"c\"", (5, 6), style.clone())).expect("drawn");
            let red = style.color(&RED).pos(Pos::new(HPos::Right, VPos::Top));
            a.draw(&Text::new("x", (7, 8), red)).expect("drawn");
        });
        let doc = roxmltree::Document::parse(&svg).expect("XML");
        let texts: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("text")).collect();
        assert_eq!(texts[0].text(), Some("a < b & \"c\""));
        assert_eq!(texts[0].attribute("fill"), None, "ink is inherited");
        assert_eq!(texts[0].attribute("font-size"), None, "the default size is inherited");
        assert_eq!(texts[1].attribute("fill"), Some("#FF0000"));
        assert_eq!(texts[1].attribute("text-anchor"), Some("end"));
        assert_eq!(texts[1].attribute("dy"), Some("0.76em"));
        let root = doc.root_element();
        assert_eq!((root.attribute("font-size"), root.attribute("fill")), (Some("10"), Some("#1A1A1A")));
    }

    #[test]
    fn shapes_keep_their_fill_stroke_and_points() {
        let svg = drawn(|a| {
            a.draw(&Rectangle::new([(1, 2), (11, 7)], BLUE.filled())).expect("drawn");
            a.draw(&PathElement::new(vec![(0, 0), (3, 4), (5, 6)], WHITE.stroke_width(2))).expect("drawn");
            a.draw(&Rectangle::new([(0, 0), (4, 4)], GREEN.mix(0.0).filled())).expect("drawn");
        });
        assert!(svg.contains("<rect x=\"1\" y=\"2\" width=\"10\" height=\"5\" fill=\"#0000FF\"/>"), "{svg}");
        assert!(svg.contains("<polyline points=\"0,0 3,4 5,6\" fill=\"none\" stroke=\"#FFFFFF\" stroke-width=\"2\"/>"));
        assert!(!svg.contains("#00FF00"), "transparent shapes are not drawn");
        assert!(svg.contains("<rect x=\"0\" y=\"0\" width=\"100\" height=\"50\" fill=\"#FFFFFF\"/>"), "background");
        assert!(svg.ends_with("</svg>"));
    }
}
