//! The comparison chart drawn: the layout tried (names beside the rows, or a legend; every
//! window, or the run's only), the grid of panels, and each panel's intervals and numbers.

use plotters::prelude::DrawingBackend;
use plotters::style::text_anchor::{HPos, VPos};

use super::{Comparison, Form, Pairs, Slot, TICK, extent, numbers, symmetric};
use crate::chart::columns::{Columns, column_label};
use crate::chart::data::ComparisonRow;
use crate::chart::frame::{
    Anchor, Block, CENTER, CENTER_LEFT, Canvas, Drawn, LINE_SPACING, Panel, Ticks, size, within,
};
use crate::chart::style::Dash;
use crate::numbers::{decimals_for_value, number};

/// Draws the comparison chart.
pub(in crate::chart) fn draw<DB: DrawingBackend>(c: &Canvas<DB>, plan: &Comparison) -> Drawn {
    match plan {
        Comparison::NoScenarios { title } => {
            let y = c.header(title, "")?;
            let bottom = c.footnote(&[])?;
            c.message(y, bottom, "No scenarios in these results")
        }
        Comparison::NoPairs {
            title,
            subtitle,
            notes,
        } => {
            let y = c.header(title, subtitle)?;
            let bottom = c.footnote(notes)?;
            c.message(
                y,
                bottom,
                "No paired comparisons in these results (comparison.csv)",
            )
        }
        Comparison::Pairs(pairs) => draw_pairs(c, pairs),
    }
}

fn draw_pairs<DB: DrawingBackend>(c: &Canvas<DB>, t: &Pairs) -> Drawn {
    let margin = c.px(36.0);
    let all_slots = &t.slots;
    let tick = TICK;
    let text_h = f64::from(c.px(tick));

    // Rows are labelled in a column at the left: each scenario's name (in its colour) beside
    // its rows, wrapping over their height, at most 30% of the width; and the window on
    // every row when there are several. The layouts tried, from the most informative: names
    // and every window; names and the run's window only; then, when a name fits in no way, a
    // legend above the panels whose order the rows follow, with every window, then without.
    // The first whose rows are tall enough for a line of text is drawn.
    let gap = c.px(14.0);
    let whole: Vec<Slot> = all_slots.iter().filter(|s| s.first).cloned().collect();
    let variants: Vec<&Vec<Slot>> = if all_slots.len() > whole.len() {
        vec![all_slots, &whole]
    } else {
        vec![all_slots]
    };
    let name_w_for = |window_w: i32| {
        let cap = ((c.w - 2 * margin) * 3 / 10 - window_w - gap).max(c.px(80.0));
        t.others
            .iter()
            .map(|s| c.measure(s.display(), tick, true).0)
            .max()
            .unwrap_or(0)
            .min(cap)
    };
    let attempts: Vec<(bool, &Vec<Slot>)> = [true, false]
        .iter()
        .flat_map(|&named| variants.iter().map(move |v| (named, *v)))
        .collect();
    let mut chosen = None;
    for (i, &(named, slots)) in attempts.iter().enumerate() {
        let windows_differ = slots.iter().any(|s| !s.first);
        let window_w = if windows_differ {
            slots
                .iter()
                .map(|s| c.measure(&window_text(&s.window), tick, false).0)
                .max()
                .unwrap_or(0)
                + gap
        } else {
            0
        };
        let (title, subtitle) = &t.headers[usize::from(windows_differ)];
        let mut top = c.header_bottom(title, subtitle) + c.px(8.0);
        let mut these_notes = t.notes.clone();
        let left = if named {
            margin + name_w_for(window_w) + gap + window_w
        } else {
            top = c.legend_bottom(&t.legend, margin, top - c.px(8.0), c.w - margin);
            these_notes.insert(0, "Rows follow the legend\u{2019}s order.".into());
            margin + window_w
        };
        let grid = layout_grid(
            c,
            t.columns,
            &t.rows,
            slots,
            &t.outcomes,
            top,
            left,
            &these_notes,
        );
        let slot_h = grid.panels.first().map_or(0.0, |l| {
            f64::from(l.panel.y1 - l.panel.y0) / (slots.len() as f64 + 0.4)
        });
        let last = i + 1 == attempts.len();
        if slot_h < text_h * 1.15 && !last {
            continue;
        }
        let names = if named {
            match row_names(c, &grid, slots, name_w_for(window_w), tick) {
                Some(names) => names,
                None if !last => continue,
                None => Vec::new(),
            }
        } else {
            Vec::new()
        };
        chosen = Some((named, slots, grid, names, window_w, title, subtitle));
        break;
    }
    let Some((named, slots, grid, names, window_w, title, subtitle)) = chosen else {
        return Ok(());
    };
    c.header(title, subtitle)?;
    if !named {
        let top = c.header_bottom(title, subtitle);
        c.legend(&t.legend, margin, top, c.w - margin)?;
    }
    c.footnote(&grid.notes)?;
    for (k, name, mid) in &names {
        let (_, h) = c.block_size(name);
        c.block(
            name,
            (margin, mid - h / 2),
            c.pal.scenario(slots[*k].scenario.index),
            HPos::Left,
        )?;
    }
    if window_w > 0 {
        let left = grid
            .panels
            .first()
            .map_or(margin, |l| l.panel.x0 - c.px(24.0));
        for row in 0..grid.rows {
            let Some(layout) = grid.panels.get((row * grid.cols) as usize) else {
                continue;
            };
            for (k, slot) in slots.iter().enumerate() {
                c.text(
                    &window_text(&slot.window),
                    (left - gap, slot_y(&layout.panel, slots.len(), k)),
                    tick,
                    false,
                    c.pal.muted,
                    Anchor(HPos::Right, VPos::Center),
                )?;
            }
        }
    }
    let panels = grid.panels;

    for (outcome, layout) in t.outcomes.iter().zip(&panels) {
        draw_panel(c, outcome, layout, slots, tick)?;
    }
    Ok(())
}

/// Each scenario's name set beside its rows in each row of panels (its first slot, the name,
/// the y of its middle), or None if a name fits there in no way.
fn row_names<DB: DrawingBackend>(
    c: &Canvas<DB>,
    grid: &Grid,
    slots: &[Slot],
    name_w: i32,
    tick: f64,
) -> Option<Vec<(usize, Block, i32)>> {
    let mut out = Vec::new();
    for row in 0..grid.rows {
        let p = &grid.panels.get((row * grid.cols) as usize)?.panel;
        let slot_h = f64::from(p.y1 - p.y0) / (slots.len() as f64 + 0.4);
        for (k, slot) in slots.iter().enumerate().filter(|(_, s)| s.first) {
            // Centred on its rows, in as many lines as they have room for.
            let rows_of = slots
                .iter()
                .filter(|s| s.scenario.name == slot.scenario.name)
                .count();
            let line_h = f64::from(c.px(size::MIN * LINE_SPACING));
            let max_lines = ((rows_of as f64 * slot_h) / line_h).floor().max(1.0) as usize;
            let name = c.set(slot.scenario.display(), tick, true, name_w, max_lines);
            if name.cut {
                return None;
            }
            let mid = slot_y(p, slots.len(), k) + ((rows_of as f64 - 1.0) * slot_h / 2.0) as i32;
            out.push((k, name, mid));
        }
    }
    Some(out)
}

/// The panels laid out, with the notes the footnote carries.
struct Grid<'a> {
    panels: Vec<PanelLayout<'a>>,
    notes: Vec<String>,
    cols: i32,
    rows: i32,
}

/// Lays out a panel per outcome in a grid from `y` down to the footnote and from `left` to
/// the right margin. Every panel's numbers are placed first, as the footnote says what was
/// shortened; laid out again if those notes take more room than was left for them.
#[allow(clippy::too_many_arguments)]
fn layout_grid<'a, DB: DrawingBackend>(
    c: &Canvas<DB>,
    columns: &Columns,
    rows: &'a [ComparisonRow],
    slots: &[Slot],
    outcomes: &[String],
    y: i32,
    left: i32,
    base_notes: &[String],
) -> Grid<'a> {
    let margin = c.px(36.0);
    let cols = if outcomes.len() <= 2 {
        outcomes.len()
    } else if outcomes.len() == 4 {
        2
    } else {
        3
    } as i32;
    let grid_rows = (outcomes.len() as i32 + cols - 1) / cols;
    let cell_w = (c.w - margin - left) / cols.max(1);
    // Panel heads take a second line where a narrow panel needs it, the same in every panel
    // so that each row of panels lines up with its labels.
    let head_lines = outcomes
        .iter()
        .map(|o| {
            panel_head(c, columns, o, cell_w - c.px(28.0), 2)
                .lines
                .len()
        })
        .max()
        .unwrap_or(1);
    let mut bottom = c.footnote_top(base_notes);
    loop {
        let cell_h = (bottom - y) / grid_rows.max(1);
        let mut used_pm = false;
        let mut omitted = 0;
        let mut panels = Vec::new();
        for (k, outcome) in outcomes.iter().enumerate() {
            let (col, row) = (k as i32 % cols, k as i32 / cols);
            let (cx, cy) = (left + col * cell_w, y + row * cell_h);
            let layout = panel_layout(
                c,
                columns,
                rows,
                slots,
                outcome,
                (cx, cy),
                (cell_w, cell_h),
                head_lines,
            );
            used_pm |= layout.form == Form::PlusMinus && !layout.texts.is_empty();
            omitted += layout.texts.iter().filter(|t| t.is_none()).count();
            panels.push(layout);
        }
        let mut notes = base_notes.to_vec();
        if used_pm {
            notes.push(
                "\u{b1}: half the width of the 95% confidence interval (written so where the interval\u{2019}s ends do not fit).".into(),
            );
        }
        if omitted > 0 {
            notes.push(format!(
                "{omitted} number{} left out for room (comparison.csv has every one); `orgsim plot DIR --scenarios a,b` draws fewer scenarios.",
                if omitted == 1 { "" } else { "s" }
            ));
        }
        let needed = c.footnote_top(&notes);
        if needed >= bottom {
            return Grid {
                panels,
                notes,
                cols,
                rows: grid_rows,
            };
        }
        bottom = needed;
    }
}

fn window_text(window: &str) -> String {
    window.replace('-', "\u{2013}")
}

/// Where slot `k` of `n` sits in a panel.
fn slot_y(p: &Panel, n: usize, k: usize) -> i32 {
    p.y_px(n as f64 - k as f64 - 0.5)
}

/// One outcome's panel, laid out: its box, its data, and each slot's numbers (None: left
/// out for room) with where they go.
struct PanelLayout<'a> {
    head: Block,
    head_at: (i32, i32),
    /// The plot; None when every difference is negligible (a sentence is drawn instead).
    panel: Panel,
    negligible: Option<f64>,
    xticks: Option<Ticks>,
    data: Vec<(usize, &'a ComparisonRow)>,
    form: Form,
    /// Per slot with data: the text, its size, its left x and centre y.
    texts: Vec<Option<(String, f64, i32, i32)>>,
}

#[allow(clippy::too_many_arguments)]
fn panel_layout<'a, DB: DrawingBackend>(
    c: &Canvas<DB>,
    columns: &Columns,
    rows: &'a [ComparisonRow],
    slots: &[Slot],
    outcome: &str,
    (cx, cy): (i32, i32),
    (cell_w, cell_h): (i32, i32),
    head_lines: usize,
) -> PanelLayout<'a> {
    let tick = TICK;
    let pad = c.px(28.0);
    let head = panel_head(c, columns, outcome, cell_w - pad, head_lines);
    let data: Vec<(usize, &ComparisonRow)> = slots
        .iter()
        .enumerate()
        .filter_map(|(k, s)| {
            rows.iter()
                .find(|r| {
                    r.scenario == s.scenario.name && r.outcome == outcome && r.window == s.window
                })
                .map(|r| (k, r))
        })
        .collect();
    let top = cy + c.px(size::PANEL_TITLE * (1.7 + LINE_SPACING * (head_lines as f64 - 1.0)));
    let mut panel = Panel {
        x0: cx + c.px(24.0),
        y0: top,
        x1: cx + cell_w - pad,
        y1: cy + cell_h - c.px(tick * 2.4),
        xr: (0.0, 1.0),
        // Headroom above the first slot for its numbers.
        yr: (0.0, slots.len() as f64 + 0.4),
    };
    let mut layout = PanelLayout {
        head,
        head_at: (cx, cy + c.px(4.0)),
        panel: panel.clone(),
        negligible: None,
        xticks: None,
        data: Vec::new(),
        form: Form::Bracket,
        texts: Vec::new(),
    };
    // Differences too small to matter (all within 0.01% of the reference's mean) get a
    // sentence instead of an axis of 0.00001s.
    let reference_mean = data.first().map_or(0.0, |(_, r)| r.versus_mean.abs());
    let largest = data
        .iter()
        .map(|(_, r)| {
            let (a, b) = extent(r);
            a.abs().max(b.abs())
        })
        .fold(0.0, f64::max);
    if !data.is_empty() && reference_mean > 0.0 && largest < 1e-4 * reference_mean {
        layout.negligible = Some(reference_mean);
        return layout;
    }
    let mut lo = 0.0f64;
    let mut hi = 0.0f64;
    for (_, r) in &data {
        let (a, b) = extent(r);
        lo = lo.min(a);
        hi = hi.max(b);
    }
    if hi - lo <= 0.0 {
        hi = lo + 1.0;
    }
    // As many ticks as fit: fewer where the labels are wide for the panel (−0.075 ...).
    let (xticks, xr) = (2..=4)
        .rev()
        .map(|target| Ticks::covering(lo - (hi - lo) * 0.06, hi + (hi - lo) * 0.06, target, false))
        .find(|(ticks, _)| {
            let widest = c.widest_tick(ticks, tick);
            (widest + c.px(12.0)) * ticks.values.len() as i32 <= panel.x1 - panel.x0
        })
        .unwrap_or_else(|| Ticks::covering(lo - (hi - lo) * 0.06, hi + (hi - lo) * 0.06, 2, false));
    panel.xr = xr;
    let p = &panel;
    let slot_h = f64::from(p.y1 - p.y0) / (slots.len() as f64 + 0.4);
    let text_h = f64::from(c.px(tick));
    // Each row's numbers: above the point when the rows are tall enough, else beside the
    // interval on the side with more room; the whole panel in one form.
    let place = |r: &ComparisonRow, yc: i32, form: Form| -> Option<(String, f64, i32, i32)> {
        let text = numbers(r, form);
        if slot_h >= text_h * 2.1 {
            let set = c.set(&text, tick, false, p.x1 - p.x0 - c.px(16.0), 1);
            if set.cut {
                return None;
            }
            let tw = c.measure(&set.lines[0], set.px, false).0;
            let tx = within(
                p.x_px(r.difference) - tw / 2,
                p.x0 + c.px(8.0),
                p.x1 - tw - c.px(8.0),
            );
            let ty = yc - (slot_h * 0.22).max(f64::from(c.px(22.0))) as i32;
            Some((set.lines[0].clone(), set.px, tx, ty))
        } else if slot_h >= text_h * 1.15 {
            let (a, b) = extent(r);
            let gap = c.px(16.0);
            let right = p.x_px(a.max(b)) + gap;
            let left = p.x_px(a.min(b)) - gap;
            let (room_right, room_left) = (p.x1 - right, left - p.x0);
            let set = c.set(&text, tick, false, room_right.max(room_left), 1);
            if set.cut {
                return None;
            }
            let tw = c.measure(&set.lines[0], set.px, false).0;
            let tx = if tw <= room_right { right } else { left - tw };
            Some((set.lines[0].clone(), set.px, tx, yc))
        } else {
            None
        }
    };
    let texts = |form: Form| -> Vec<Option<(String, f64, i32, i32)>> {
        data.iter()
            .map(|&(k, r)| place(r, slot_y(p, slots.len(), k), form))
            .collect()
    };
    let mut form = Form::Bracket;
    let mut placed = texts(form);
    if placed.iter().any(Option::is_none) && data.iter().all(|(_, r)| symmetric(r)) {
        let pm = texts(Form::PlusMinus);
        if pm.iter().filter(|t| t.is_some()).count()
            >= placed.iter().filter(|t| t.is_some()).count()
        {
            form = Form::PlusMinus;
            placed = pm;
        }
    }
    layout.panel = panel;
    layout.xticks = Some(xticks);
    layout.data = data;
    layout.form = form;
    layout.texts = placed;
    layout
}

/// An outcome's panel head: on one line, a little smaller if that is all it takes, else on up
/// to `max_lines` lines. The head is the outcome's declared title and unit: each names the
/// per-run statistic whose paired difference the panel shows (`peak_capacity` is each run's
/// own peak, not the peak of the mean curve the capacity chart marks).
fn panel_head<DB: DrawingBackend>(
    c: &Canvas<DB>,
    columns: &Columns,
    outcome: &str,
    width: i32,
    max_lines: usize,
) -> Block {
    let label = column_label(columns, outcome);
    let one = c.set_between(&label, size::PANEL_TITLE, TICK, true, width, 1);
    if one.cut {
        c.set(&label, size::PANEL_TITLE, true, width, max_lines)
    } else {
        one
    }
}

fn draw_panel<DB: DrawingBackend>(
    c: &Canvas<DB>,
    _outcome: &str,
    layout: &PanelLayout,
    slots: &[Slot],
    tick: f64,
) -> Drawn {
    c.block(&layout.head, layout.head_at, c.pal.text, HPos::Left)?;
    let p = &layout.panel;
    if let Some(reference_mean) = layout.negligible {
        let lines = [
            "No difference that matters:".to_string(),
            format!(
                "all within 0.01% of {}",
                number(reference_mean, decimals_for_value(reference_mean) + 1)
            ),
        ];
        let mid = (p.y0 + p.y1) / 2;
        for (j, line) in lines.iter().enumerate() {
            c.text(
                line,
                (p.x0, mid + j as i32 * c.px(tick * 1.4)),
                tick,
                false,
                c.pal.muted,
                CENTER_LEFT,
            )?;
        }
        return Ok(());
    }
    let Some(xticks) = &layout.xticks else {
        return Ok(());
    };
    c.outline((p.x0, p.y0), (p.x1, p.y1), c.pal.grid, c.stroke(1.5))?;
    let none = Ticks {
        values: Vec::new(),
        decimals: 0,
        percent: false,
    };
    c.axes(p, xticks, &none, None, None, tick, true)?;
    let zero = p.x_px(0.0);
    c.line(
        vec![(zero, p.y0), (zero, p.y1)],
        c.pal.axis,
        c.stroke(2.5),
        Dash::Solid,
    )?;
    for (k, _) in slots.iter().enumerate() {
        if !layout.data.iter().any(|(j, _)| *j == k) {
            c.text(
                "not compared",
                ((p.x0 + p.x1) / 2, slot_y(p, slots.len(), k)),
                tick,
                false,
                c.pal.muted,
                CENTER,
            )?;
        }
    }
    for (&(k, r), text) in layout.data.iter().zip(&layout.texts) {
        let yc = slot_y(p, slots.len(), k);
        let color = c.pal.scenario(slots[k].scenario.index);
        if let Some((a, b)) = r.pi {
            c.line(
                vec![(p.x_px(a), yc), (p.x_px(b), yc)],
                color,
                c.stroke(1.5),
                Dash::Solid,
            )?;
            for e in [a, b] {
                let x = p.x_px(e);
                c.line(
                    vec![(x, yc - c.px(6.0)), (x, yc + c.px(6.0))],
                    color,
                    c.stroke(1.5),
                    Dash::Solid,
                )?;
            }
        }
        if let Some((a, b)) = r.ci {
            c.line(
                vec![(p.x_px(a), yc), (p.x_px(b), yc)],
                color,
                c.stroke(5.0),
                Dash::Solid,
            )?;
            for e in [a, b] {
                let x = p.x_px(e);
                c.line(
                    vec![(x, yc - c.px(10.0)), (x, yc + c.px(10.0))],
                    color,
                    c.stroke(3.0),
                    Dash::Solid,
                )?;
            }
        }
        c.dot((p.x_px(r.difference), yc), c.px(9.0), color)?;
        if let Some((text, px, tx, ty)) = text {
            c.label(text, (*tx, *ty), *px, false, c.pal.text, CENTER_LEFT)?;
        }
    }
    Ok(())
}
