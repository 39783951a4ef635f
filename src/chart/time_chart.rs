//! The time chart the capacity, per-100, metric, knowledge and one-scenario two-systems charts
//! share: a plan of lines over time ([`TimeChart`], prepared by each chart) and how it is
//! drawn (phases and a highlight behind, interventions labelled in rows above the plot, the
//! peaks of the mean curves marked).

use plotters::prelude::DrawingBackend;
use plotters::style::RGBColor;
use plotters::style::text_anchor::{HPos, VPos};

use super::frame::{
    Anchor, BOTTOM_LEFT, Block, CENTER_LEFT, CENTER_RIGHT, Canvas, Drawn, LegendItem, Panel,
    Sample, Ticks, size, within,
};
use super::series::{Line, VLine, draw_bands, x_extent, y_range};
use super::style::Dash;
use crate::numbers::{decimals_for_value, number};

/// A chart of lines over time, with optional phase shading and markers.
pub(super) struct TimeChart {
    pub(super) title: String,
    pub(super) subtitle: String,
    pub(super) xlabel: String,
    pub(super) ylabel: String,
    pub(super) percent: bool,
    pub(super) legend: Vec<LegendItem>,
    pub(super) lines: Vec<Line>,
    /// Phase spans (phase index, from, to), shaded and labelled above the plot.
    pub(super) phases: Vec<(usize, f64, f64)>,
    /// The phases' titles, by index (declared with the `phase` column).
    pub(super) phase_titles: Vec<String>,
    /// A highlighted span with its label.
    pub(super) highlight: Option<(f64, f64, String)>,
    pub(super) vlines: Vec<VLine>,
    pub(super) notes: Vec<String>,
    /// Mark the peaks (the first line's, and others' at other times) with their values.
    pub(super) mark_peak: bool,
    /// Lowest value the y axis must show (usually 0).
    pub(super) y_floor: Option<f64>,
    /// A y range fixed in advance (0 to 1 for a share).
    pub(super) y_fixed: Option<(f64, f64)>,
    /// Where the time axis ends (the run's end); the data's last step if None.
    pub(super) x_end: Option<f64>,
}

/// At most this many rows of intervention labels above a time chart.
const MAX_LABEL_ROWS: usize = 3;

/// Draws a time chart: header, legend, phases and highlight behind, axes, bands,
/// interventions with their labels in rows above the plot, lines, end labels and peaks.
pub(super) fn draw<DB: DrawingBackend>(c: &Canvas<DB>, t: &TimeChart) -> Drawn {
    let margin = c.px(36.0);
    let mut y = c.header(&t.title, &t.subtitle)?;
    y = c.legend(&t.legend, margin, y, c.w - margin)?;

    let (Some((xmin, xmax)), Some((ymin, ymax))) = (
        x_extent(&t.lines).map(|(a, b)| (a, t.x_end.unwrap_or(b))),
        t.y_fixed.or_else(|| y_range(&t.lines, t.y_floor)),
    ) else {
        let bottom = c.footnote(&t.notes)?;
        return c.message(
            y,
            bottom,
            "No data to draw: the results have no replicates of this metric",
        );
    };
    let (yticks, (ylo, yhi)) = Ticks::covering(ymin, ymax, 5, t.percent);
    let (xticks, (xmin, xmax)) = Ticks::time(xmin, xmax, if xmax - xmin > 12.0 { 10 } else { 6 });

    // Room on the right for labels at the lines' ends.
    let end_w = t
        .lines
        .iter()
        .filter_map(|l| l.end_label.as_ref())
        .map(|s| c.measure(s, size::ANNOTATION, true).0 + c.px(16.0))
        .max()
        .unwrap_or(0);
    let right = c.w - margin - end_w - c.px(10.0);
    let row_h = c.px(size::ANNOTATION * 1.4);
    let phase_row = usize::from(!t.phases.is_empty() || t.highlight.is_some());
    // The plot's box depends on how many lines the y-axis label takes, which depends on the
    // plot's height: laid out with one line, and again with two if it needs them.
    let mut ylines = 1;
    let (p, rows, placed, notes) = loop {
        let (x0, _, x1, _) = c.plot_box(margin, y, right, c.h, &yticks, ylines, true, size::TICK);
        let mut p = Panel {
            x0,
            y0: y,
            x1,
            y1: c.h,
            xr: (xmin, xmax),
            yr: (ylo, yhi),
        };
        let (rows, placed, omitted) = place_labels(c, &p, &t.vlines);
        let mut notes = t.notes.clone();
        if omitted > 0 {
            notes.push(format!(
                "{omitted} intervention label{} left out for room; `orgsim plot DIR --scenarios a,b` draws fewer scenarios.",
                if omitted == 1 { "" } else { "s" }
            ));
        }
        if t.legend.iter().filter(|i| i.sample == Sample::Line).count() > 7 {
            notes.push(
                "Colours repeat after seven scenarios; line patterns tell those apart.".into(),
            );
        }
        let bottom = c.footnote_top(&notes);
        let (_, _, _, y1) = c.plot_box(margin, y, right, bottom, &yticks, ylines, true, size::TICK);
        p.y1 = y1;
        p.y0 = y + (phase_row + rows) as i32 * row_h + c.px(6.0);
        let needed = c.ylabel_lines(&t.ylabel, p.y1 - p.y0);
        if needed <= ylines || ylines >= 2 {
            break (p, rows, placed, notes);
        }
        ylines = needed;
    };
    c.footnote(&notes)?;
    let rows_above = |row: usize| p.y0 - (rows - row) as i32 * row_h + row_h / 2;

    // Background: phases, highlight. A phase too short to carry its name at the smallest
    // text size is left unnamed (its tint still shows it), never cut.
    let names_y = p.y0 - rows as i32 * row_h - c.px(2.0);
    for &(k, a, b) in &t.phases {
        let (xa, xb) = (p.x_px(a.max(xmin)), p.x_px(b.min(xmax)));
        c.rect((xa, p.y0), (xb, p.y1), c.pal.phases[k % 4], 1.0)?;
        let name = c.set(
            t.phase_titles.get(k).map_or("", String::as_str),
            size::ANNOTATION,
            true,
            xb - xa - c.px(6.0),
            1,
        );
        if !name.cut {
            c.text(
                &name.lines[0],
                ((xa + xb) / 2, names_y),
                name.px,
                true,
                c.pal.muted,
                Anchor(HPos::Center, VPos::Bottom),
            )?;
        }
    }
    if let Some((a, b, label)) = &t.highlight {
        let (xa, xb) = (p.x_px(a.max(xmin)), p.x_px(b.min(xmax)));
        c.rect((xa, p.y0), (xb, p.y1), c.pal.highlight, 1.0)?;
        let room = c.w - margin - xa;
        let (at, room, anchor) = if c.measure(label, size::ANNOTATION, true).0 <= room {
            (xa, room, BOTTOM_LEFT)
        } else {
            (
                c.w - margin,
                c.w - 2 * margin,
                Anchor(HPos::Right, VPos::Bottom),
            )
        };
        let set = c.set(label, size::ANNOTATION, true, room, 1);
        c.text(
            &set.lines[0],
            (at, names_y),
            set.px,
            true,
            c.pal.text,
            anchor,
        )?;
    }
    c.axes(
        &p,
        &xticks,
        &yticks,
        Some(&t.xlabel),
        Some(&t.ylabel),
        size::TICK,
        true,
    )?;

    // Bands, then interventions, then lines on top.
    draw_bands(c, &p, &t.lines)?;
    let thin = c.stroke(2.5);
    for v in &t.vlines {
        if v.x < xmin || v.x > xmax {
            continue;
        }
        let x = p.x_px(v.x);
        let top = match placed.iter().find(|pl| std::ptr::eq(pl.3, v)) {
            Some((row, ..)) => rows_above(*row),
            None => p.y0,
        };
        let w = if v.label.is_some() {
            thin
        } else {
            c.stroke(1.5)
        };
        c.line(vec![(x, top), (x, p.y1)], v.color, w, Dash::Dashed)?;
    }
    for (row, x, right_side, v, set) in &placed {
        let cy = rows_above(*row);
        let pad = c.px(8.0);
        let (at, anchor) = if *right_side {
            ((x + pad, cy), CENTER_LEFT)
        } else {
            ((x - pad, cy), CENTER_RIGHT)
        };
        c.text(&set.lines[0], at, set.px, false, v.color, anchor)?;
    }
    // The first scenario (the reference) last, on top, so the others show where they leave it.
    let width = c.stroke(4.5);
    for l in t.lines.iter().rev() {
        c.series(&p, &l.points, l.color, width, l.dash)?;
    }

    // Labels at the lines' ends, pushed apart if they would overlap.
    let mut ends: Vec<(i32, &str, RGBColor)> = t
        .lines
        .iter()
        .filter_map(|l| {
            let label = l.end_label.as_deref()?;
            let &(x, y) = l.points.last()?;
            let _ = x;
            Some((p.y_px(y.clamp(ylo, yhi)), label, l.color))
        })
        .collect();
    ends.sort_by_key(|e| e.0);
    let min_gap = c.px(size::ANNOTATION * 1.2);
    for i in 1..ends.len() {
        if ends[i].0 - ends[i - 1].0 < min_gap {
            ends[i].0 = ends[i - 1].0 + min_gap;
        }
    }
    for (y, label, color) in ends {
        c.text(
            label,
            (p.x1 + c.px(12.0), y),
            size::ANNOTATION,
            true,
            color,
            CENTER_LEFT,
        )?;
    }

    // Peaks of the mean curves: the first scenario's, and any other scenario's that comes at
    // another time.
    if t.mark_peak {
        let peak = |l: &Line| l.peak.filter(|p| p.1 > 0.0);
        let first_peak = t.lines.first().and_then(peak);
        let mut taken: Vec<(i32, i32, i32, i32)> = Vec::new();
        for (k, l) in t.lines.iter().enumerate() {
            let Some((px, py)) = peak(l) else { continue };
            // Other scenarios' peaks only when they come at another time, and only while
            // the chart has few enough lines to carry the labels.
            if k > 0 && (t.lines.len() > 4 || first_peak.is_some_and(|f| (f.0 - px).abs() < 0.5)) {
                continue;
            }
            let at = p.px(px, py.min(yhi));
            // Centred above the peak (kept inside the plot): the curve is lower on both
            // sides of its own peak. Where the scenario's name makes it too long for a line,
            // the label's colour names the scenario.
            let room = p.x1 - p.x0 - c.px(16.0);
            let mut set = c.set(
                &peak_label(Some(&l.name), !l.band.is_empty(), px, py),
                size::ANNOTATION,
                true,
                room,
                1,
            );
            if set.cut {
                let text = peak_label(None, !l.band.is_empty(), px, py);
                set = c.set(&text, size::ANNOTATION, true, room, 2);
            }
            let (tw, th) = c.block_size(&set);
            let x = within(at.0 - tw / 2, p.x0 + c.px(8.0), p.x1 - tw);
            let y = (at.1 - c.px(22.0) - th).max(p.y0 + c.px(6.0));
            // With the padding of the label's background box, which must not cover another
            // label's text.
            let pad = c.px(4.0);
            let bounds = (x - pad, y - pad, x + tw + pad, y + th + pad);
            if taken
                .iter()
                .any(|b| bounds.0 < b.2 && b.0 < bounds.2 && bounds.1 < b.3 && b.1 < bounds.3)
            {
                continue;
            }
            taken.push(bounds);
            c.dot(at, c.px(8.0), l.color)?;
            c.label_block(&set, (x, y), l.color)?;
        }
    }
    Ok(())
}

/// The words on a marked peak: "peak of the mean curve" when the line is a mean of several
/// replicates (each run's own peak, `peak_capacity`, is another number), "peak" for one run;
/// after the scenario's name, if given.
fn peak_label(name: Option<&str>, mean: bool, x: f64, y: f64) -> String {
    format!(
        "{}{}, {} a year in year {}",
        name.map_or(String::new(), |n| format!("{n}: ")),
        match (mean, name.is_some()) {
            (true, true) => "peak of the mean curve",
            (true, false) => "Peak of the mean curve",
            (false, true) => "peak",
            (false, false) => "Peak",
        },
        number(y, decimals_for_value(y)),
        number(x, 1)
    )
}

/// A vertical line's label placed above the plot.
type Placed<'a> = (usize, i32, bool, &'a VLine, Block);

/// Places the labels of vertical lines in rows above a plot: right of its line if it fits,
/// else left of it, in the first row where it overlaps no other label. Returns the rows
/// used, each placed label (row, its line's x, whether it is right of the line, the line,
/// its text as set), and how many labels found no room within [`MAX_LABEL_ROWS`].
fn place_labels<'a, DB: DrawingBackend>(
    c: &Canvas<DB>,
    p: &Panel,
    vlines: &'a [VLine],
) -> (usize, Vec<Placed<'a>>, usize) {
    let margin = c.px(36.0);
    let mut rows: Vec<Vec<(i32, i32)>> = Vec::new();
    let mut placed = Vec::new();
    let mut omitted = 0;
    for v in vlines.iter().filter(|v| v.label.is_some()) {
        let label = v.label.as_deref().unwrap_or_default();
        let x = p.x_px(v.x);
        let pad = c.px(8.0);
        // Right of the line if it fits, else left of it, else smaller on the roomier side;
        // left out if it fits nowhere.
        let (room_right, room_left) = (c.w - margin - x - pad, x - pad - margin);
        let set = c.set(label, size::ANNOTATION, false, room_right.max(room_left), 1);
        if set.cut {
            omitted += 1;
            continue;
        }
        let w = c.measure(&set.lines[0], set.px, false).0;
        let (a, b, right_side) = if w <= room_right {
            (x, x + pad + w, true)
        } else {
            (x - pad - w, x, false)
        };
        let free = rows
            .iter()
            .position(|r| r.iter().all(|&(ra, rb)| b + pad < ra || a > rb + pad));
        let row = match free {
            Some(row) => row,
            None if rows.len() < MAX_LABEL_ROWS => {
                rows.push(Vec::new());
                rows.len() - 1
            }
            // No room: the line is drawn, its label left out (and the footnote says so).
            None => {
                omitted += 1;
                continue;
            }
        };
        rows[row].push((a, b));
        placed.push((row, x, right_side, v, set));
    }
    (rows.len(), placed, omitted)
}
