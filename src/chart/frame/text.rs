//! Setting text to fit: measuring, wrapping at spaces and after hyphens, shrinking to the
//! smallest size, and only then cutting with an ellipsis.

use plotters::prelude::DrawingBackend;
use plotters::style::RGBColor;
use plotters::style::text_anchor::{HPos, VPos};

use super::{Anchor, Canvas, LINE_SPACING, TOP_LEFT, size};
use crate::chart::ChartError;

/// Text set to fit a width: its lines and the size they are drawn at.
#[derive(Clone, Debug)]
pub struct Block {
    pub lines: Vec<String>,
    /// Design size (before scaling), at most the size asked for.
    pub px: f64,
    pub bold: bool,
    /// Whether it was cut (it fits at no size in the lines allowed).
    pub cut: bool,
}

impl<DB: DrawingBackend> Canvas<'_, DB> {
    /// The width and height of a block's lines.
    pub fn block_size(&self, b: &Block) -> (i32, i32) {
        let w = b
            .lines
            .iter()
            .map(|l| self.measure(l, b.px, b.bold).0)
            .max()
            .unwrap_or(0);
        let step = self.px(b.px * LINE_SPACING);
        let last = b
            .lines
            .last()
            .map_or(0, |l| self.measure(l, b.px, b.bold).1);
        (w, step * (b.lines.len() as i32 - 1).max(0) + last)
    }

    /// The width and height of `text` in pixels.
    pub fn measure(&self, text: &str, px: f64, bold: bool) -> (i32, i32) {
        let style = self.style(px, bold, self.pal.text, TOP_LEFT);
        self.area
            .estimate_text_size(text, &style)
            .map(|(w, h)| (w as i32, h as i32))
            .unwrap_or((0, 0))
    }

    /// `text` cut (with an ellipsis) to fit `max_w` pixels: the last resort of [`Canvas::set`].
    fn cut(&self, text: &str, px: f64, bold: bool, max_w: i32) -> String {
        if self.measure(text, px, bold).0 <= max_w {
            return text.to_string();
        }
        let chars: Vec<char> = text.chars().collect();
        for keep in (1..chars.len()).rev() {
            let cut: String = chars[..keep]
                .iter()
                .collect::<String>()
                .trim_end()
                .to_string()
                + "\u{2026}";
            if self.measure(&cut, px, bold).0 <= max_w {
                return cut;
            }
        }
        String::new()
    }

    /// `text` in lines of at most `max_w` pixels at design size `px`, broken at spaces and
    /// after hyphens; None if a piece between breaks is itself wider than `max_w`.
    fn wrap(&self, text: &str, px: f64, bold: bool, max_w: i32) -> Option<Vec<String>> {
        let mut pieces: Vec<String> = Vec::new();
        let mut piece = String::new();
        for ch in text.chars() {
            piece.push(ch);
            if ch == ' ' || ch == '-' {
                pieces.push(std::mem::take(&mut piece));
            }
        }
        if !piece.is_empty() {
            pieces.push(piece);
        }
        let mut lines: Vec<String> = Vec::new();
        let mut line = String::new();
        for piece in pieces {
            let joined = format!("{line}{piece}");
            if line.is_empty() || self.measure(joined.trim_end(), px, bold).0 <= max_w {
                line = joined;
            } else {
                lines.push(line.trim_end().to_string());
                line = piece;
            }
            if self.measure(line.trim_end(), px, bold).0 > max_w {
                return None;
            }
        }
        if !line.trim().is_empty() || lines.is_empty() {
            lines.push(line.trim_end().to_string());
        }
        Some(lines)
    }

    /// `text` set within `max_w` pixels in at most `max_lines` lines: at design size `px`
    /// if it fits (wrapped at spaces and after hyphens), else at the largest smaller size
    /// down to `min_px` that fits. Only text that fits at no size (a word wider than `max_w`
    /// at `min_px`, or more lines than allowed) is cut, with an ellipsis; [`Block::cut`]
    /// says so.
    pub fn set_between(
        &self,
        text: &str,
        px: f64,
        min_px: f64,
        bold: bool,
        max_w: i32,
        max_lines: usize,
    ) -> Block {
        let max_lines = max_lines.max(1);
        let mut size = px;
        loop {
            if let Some(lines) = self.wrap(text, size, bold, max_w)
                && lines.len() <= max_lines
            {
                return Block {
                    lines,
                    px: size,
                    bold,
                    cut: false,
                };
            }
            // Below a 12-pixel floor sizes no longer differ (see `style`).
            if size <= min_px || (size * self.s) <= 12.0 {
                break;
            }
            size = (size - 1.0).max(min_px);
        }
        let size = min_px.min(px);
        let mut lines = self
            .wrap(text, size, bold, max_w)
            .unwrap_or_else(|| vec![text.to_string()]);
        let rest = lines.split_off((max_lines - 1).min(lines.len()));
        lines.push(rest.join(" "));
        let lines = lines
            .iter()
            .map(|l| self.cut(l, size, bold, max_w))
            .collect();
        Block {
            lines,
            px: size,
            bold,
            cut: true,
        }
    }

    /// [`Canvas::set_between`] down to the smallest text size, [`size::MIN`].
    pub fn set(&self, text: &str, px: f64, bold: bool, max_w: i32, max_lines: usize) -> Block {
        self.set_between(text, px, size::MIN.min(px), bold, max_w, max_lines)
    }

    /// Draws a block's lines one under the other from `at`, each aligned by `h`; returns the
    /// y below the block.
    pub fn block(
        &self,
        b: &Block,
        at: (i32, i32),
        color: RGBColor,
        h: HPos,
    ) -> Result<i32, ChartError> {
        let step = self.px(b.px * LINE_SPACING);
        let mut y = at.1;
        for line in &b.lines {
            self.text(line, (at.0, y), b.px, b.bold, color, Anchor(h, VPos::Top))?;
            y += step;
        }
        Ok(y)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::style::Palette;
    use plotters::prelude::{IntoDrawingArea, SVGBackend};

    #[test]
    fn text_wraps_then_shrinks_and_is_cut_only_when_nothing_fits() {
        crate::chart::style::register_fonts();
        let mut svg = String::new();
        let area = SVGBackend::with_string(&mut svg, (1600, 900)).into_drawing_area();
        let pal = Palette::of(crate::chart::Theme::Light);
        let c = Canvas::new(&area, &pal);
        let text = "What each scenario changes against the scenario with the longest name";
        let one_line = c.measure(text, size::TITLE, true).0;
        // Room for half: two lines at full size, nothing cut.
        let b = c.set(text, size::TITLE, true, one_line * 6 / 10, 2);
        assert_eq!((b.lines.len(), b.px, b.cut), (2, size::TITLE, false));
        assert_eq!(b.lines.join(" "), text);
        assert!(
            b.lines
                .iter()
                .all(|l| c.measure(l, b.px, true).0 <= one_line * 6 / 10)
        );
        // One line allowed: smaller, down to the smallest size.
        let b = c.set(text, size::TITLE, true, one_line * 6 / 10, 1);
        assert_eq!(b.lines.len(), 1);
        assert!(b.px < size::TITLE && b.px >= size::MIN && !b.cut, "{b:?}");
        // Hyphenated names break after a hyphen.
        let b = c.set(
            "bite-sized-leadership",
            size::LEGEND,
            true,
            c.measure("bite-sized-", size::MIN, true).0 + 2,
            3,
        );
        assert!(!b.cut, "{b:?}");
        assert_eq!(b.lines.concat(), "bite-sized-leadership");
        // No room at the smallest size: cut, and said so.
        let b = c.set(text, size::TITLE, true, 200, 1);
        assert!(b.cut && b.lines[0].ends_with('\u{2026}'));
        assert!(c.measure(&b.lines[0], b.px, true).0 <= 200);
    }
}
