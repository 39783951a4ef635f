//! Themes, the palette, line styles, the shipped font and round tick steps.

use std::sync::Once;

use plotters::style::{FontStyle, RGBColor, register_font};

/// The font family charts name. The font itself (DejaVu Sans, licence in `fonts/LICENSE`) is
/// compiled into the binary, so PNGs render identically everywhere; SVGs name it first and
/// fall back to the viewer's sans-serif.
pub const FONT: &str = "DejaVu Sans, sans-serif";

static REGULAR: &[u8] = include_bytes!("fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("fonts/DejaVuSans-Bold.ttf");

/// Registers the shipped font with plotters (once per process).
pub fn register_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The bytes are a valid TrueType font compiled into the binary; a failure here is a
        // build defect, caught by every chart test.
        let ok = register_font(FONT, FontStyle::Normal, REGULAR).is_ok()
            && register_font(FONT, FontStyle::Bold, BOLD).is_ok();
        assert!(ok, "the shipped font failed to load");
    });
}

/// A colour scheme for a setting: a lit room, a dark slide deck, or a greyscale printer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Theme {
    /// Dark text on white: lit rooms, documents.
    #[default]
    Light,
    /// Light text on near-black: dark slide decks.
    Dark,
    /// Black and greys on white: greyscale printers (scenarios differ by line pattern).
    Print,
}

impl Theme {
    /// The themes' names, as `--theme` takes them.
    pub const NAMES: [&'static str; 3] = ["light", "dark", "print"];

    /// The theme of a name in [`Theme::NAMES`].
    pub fn parse(name: &str) -> Option<Theme> {
        match name {
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            "print" => Some(Theme::Print),
            _ => None,
        }
    }
}

/// The colours one theme uses.
#[derive(Clone, Debug)]
pub struct Palette {
    pub background: RGBColor,
    pub text: RGBColor,
    pub muted: RGBColor,
    pub grid: RGBColor,
    pub axis: RGBColor,
    /// One colour per scenario, in order (cycled).
    pub series: Vec<RGBColor>,
    /// Background tints of the four life-cycle phases, in order.
    pub phases: [RGBColor; 4],
    /// Opacity of a confidence band.
    pub band_opacity: f64,
    /// Management and leadership in the two-systems chart.
    pub management: RGBColor,
    pub leadership: RGBColor,
    /// Highlight of the dual window.
    pub highlight: RGBColor,
}

const fn hex(v: u32) -> RGBColor {
    RGBColor((v >> 16) as u8, (v >> 8) as u8, v as u8)
}

/// Okabe and Ito's colour-blind-safe palette (Okabe & Ito 2008, "Color Universal Design"),
/// reordered so the first scenario, usually the reference, is the darkest and yellow, which
/// is weak on white, comes last.
const OKABE_ITO: [u32; 8] = [
    0x000000, // black
    0x0072B2, // blue
    0xD55E00, // vermillion
    0x009E73, // bluish green
    0xCC79A7, // reddish purple
    0xE69F00, // orange
    0x56B4E9, // sky blue
    0xF0E442, // yellow
];

impl Palette {
    pub fn of(theme: Theme) -> Palette {
        match theme {
            Theme::Light => Palette {
                background: hex(0xFFFFFF),
                text: hex(0x1A1A1A),
                muted: hex(0x555555),
                grid: hex(0xDDDDDD),
                axis: hex(0x444444),
                series: OKABE_ITO[..7].iter().map(|&c| hex(c)).collect(),
                phases: [hex(0xE6F2E9), hex(0xFBF1D9), hex(0xDDEBF7), hex(0xEDEDED)],
                band_opacity: 0.2,
                management: hex(0xD55E00),
                leadership: hex(0x0072B2),
                highlight: hex(0xFDF0C8),
            },
            Theme::Dark => Palette {
                background: hex(0x15191E),
                text: hex(0xF2F2F2),
                muted: hex(0xB8B8B8),
                grid: hex(0x3A4048),
                axis: hex(0xC8C8C8),
                series: std::iter::once(0xF2F2F2)
                    .chain(OKABE_ITO[1..].iter().copied())
                    .map(|c| if c == 0x0072B2 { hex(0x3D9BE0) } else { hex(c) })
                    .collect(),
                phases: [hex(0x1C2B23), hex(0x2E2A1C), hex(0x1B2838), hex(0x24272B)],
                band_opacity: 0.28,
                management: hex(0xF07A2A),
                leadership: hex(0x56B4E9),
                highlight: hex(0x4A4220),
            },
            Theme::Print => Palette {
                background: hex(0xFFFFFF),
                text: hex(0x000000),
                muted: hex(0x333333),
                grid: hex(0xCCCCCC),
                axis: hex(0x000000),
                series: vec![hex(0x000000), hex(0x555555), hex(0x000000), hex(0x555555)],
                phases: [hex(0xFFFFFF), hex(0xEEEEEE), hex(0xDDDDDD), hex(0xF6F6F6)],
                band_opacity: 0.15,
                management: hex(0x000000),
                leadership: hex(0x666666),
                highlight: hex(0xE4E4E4),
            },
        }
    }

    /// Scenario `i`'s colour.
    pub fn scenario(&self, i: usize) -> RGBColor {
        self.series[i % self.series.len()]
    }
}

/// A line pattern that survives a greyscale printer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dash {
    Solid,
    Dashed,
    Dotted,
    Long,
}

impl Dash {
    /// Scenario `i`'s pattern: scenarios differ by pattern as well as by colour.
    pub fn scenario(i: usize) -> Dash {
        [Dash::Solid, Dash::Dashed, Dash::Dotted, Dash::Long][i % 4]
    }

    /// (dash, gap) in pixels at stroke width `w`, or None for a solid line.
    pub fn pattern(self, w: u32) -> Option<(u32, u32)> {
        let w = w.max(1);
        match self {
            Dash::Solid => None,
            Dash::Dashed => Some((5 * w, 3 * w)),
            Dash::Dotted => Some((w, 2 * w)),
            Dash::Long => Some((10 * w, 3 * w)),
        }
    }
}

/// Round tick values covering `lo..hi` with about `target` intervals: (ticks, step).
pub fn nice_ticks(lo: f64, hi: f64, target: usize) -> (Vec<f64>, f64) {
    let (lo, hi) = if hi > lo {
        (lo, hi)
    } else {
        (lo - 1.0, lo + 1.0)
    };
    let raw = (hi - lo) / target.max(1) as f64;
    let mag = libm::pow(10.0, libm::log10(raw).floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw * 0.999)
        .unwrap_or(10.0 * mag);
    let first = (lo / step).ceil();
    let last = (hi / step).floor();
    let ticks = (first as i64..=last as i64)
        .map(|k| k as f64 * step)
        .map(|t| if t.abs() < step * 1e-9 { 0.0 } else { t })
        .collect();
    (ticks, step)
}

/// A range `lo..hi` widened to round numbers, so the top tick sits on the frame.
pub fn nice_range(lo: f64, hi: f64, target: usize) -> (f64, f64) {
    let (_, step) = nice_ticks(lo, hi, target);
    let lo2 = (lo / step).floor() * step;
    let hi2 = (hi / step).ceil() * step;
    if hi2 > lo2 {
        (lo2, hi2)
    } else {
        (lo2 - step, lo2 + step)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round() {
        let (t, s) = nice_ticks(0.0, 112.0, 5);
        assert_eq!(s, 25.0);
        assert_eq!(t, vec![0.0, 25.0, 50.0, 75.0, 100.0]);
        let (t, s) = nice_ticks(0.0, 0.8, 4);
        assert_eq!(s, 0.2);
        assert_eq!(t.len(), 5);
        assert_eq!(nice_range(0.0, 108.0, 5), (0.0, 125.0));
    }
}
