//! What time charts draw, prepared from the results: each scenario's metric as a line with
//! its band (averaged into at most [`MAX_POINTS`] points), interventions as vertical lines,
//! and the ranges the axes span; and the two drawing steps several charts share (bands drawn
//! once where scenarios coincide, dashed intervention lines).

use plotters::prelude::DrawingBackend;
use plotters::style::RGBColor;

use super::data::{Band, BandKind, Results, ScenarioInfo};
use super::frame::{Canvas, Drawn, Panel};
use super::style::{Dash, Palette};
use crate::numbers::short;

/// A line to draw over time.
pub(super) struct Line {
    /// What the chart calls the scenario (its title, or its name).
    pub(super) name: String,
    pub(super) color: RGBColor,
    pub(super) dash: Dash,
    pub(super) points: Vec<(f64, f64)>,
    /// (x, low, high) where the shaded interval is known.
    pub(super) band: Vec<(f64, f64, f64)>,
    /// A label written at the line's right end.
    pub(super) end_label: Option<String>,
    /// Steps averaged into each point.
    pub(super) bin: usize,
    /// The first and last x of the data before averaging (the axis spans them).
    pub(super) x_span: (f64, f64),
    /// The peak of the mean curve: the first step with the highest mean in `bands.csv`
    /// (x, mean), before averaging, so it is the number the console prints.
    pub(super) peak: Option<(f64, f64)>,
}

/// At most this many points a line: monthly points over 20 years, no visible loss at 1600
/// pixels, and the week-to-week sampling noise of the means is averaged out.
pub(super) const MAX_POINTS: usize = 260;

impl Line {
    /// The band's means (and the bounds of the interval `kind` shades) averaged over
    /// consecutive bins of steps.
    pub(super) fn from_band(
        name: &str,
        b: &Band,
        kind: BandKind,
        color: RGBColor,
        dash: Dash,
    ) -> Line {
        let interval = b.interval(kind);
        let bin = b.x.len().div_ceil(MAX_POINTS).max(1);
        let mut points = Vec::with_capacity(b.x.len() / bin + 1);
        let mut band = Vec::with_capacity(points.capacity());
        for start in (0..b.x.len()).step_by(bin) {
            let end = (start + bin).min(b.x.len());
            let k = (end - start) as f64;
            let x = b.x[start..end].iter().sum::<f64>() / k;
            points.push((x, b.mean[start..end].iter().sum::<f64>() / k));
            let cis: Vec<(f64, f64)> = interval[start..end].iter().flatten().copied().collect();
            if cis.len() == end - start {
                let lo = cis.iter().map(|c| c.0).sum::<f64>() / k;
                let hi = cis.iter().map(|c| c.1).sum::<f64>() / k;
                band.push((x, lo, hi));
            }
        }
        Line {
            name: name.to_string(),
            color,
            dash,
            points,
            band,
            end_label: None,
            bin,
            x_span: (
                b.x.first().copied().unwrap_or(0.0),
                b.x.last().copied().unwrap_or(0.0),
            ),
            peak: b.x.iter().zip(&b.mean).filter(|(_, m)| m.is_finite()).fold(
                None,
                |best: Option<(f64, f64)>, (&x, &m)| match best {
                    Some(b) if b.1 >= m => Some(b),
                    _ => Some((x, m)),
                },
            ),
        }
    }
}

/// The parts of `line`'s band that differ from `reference`'s. Scenarios share seeds, so
/// before an intervention their runs, and bands, are identical: drawn once, not stacked into
/// a darker band that matches no legend entry.
pub(super) fn distinct_band<'a>(
    line: &'a Line,
    reference: Option<&Line>,
) -> Vec<&'a [(f64, f64, f64)]> {
    let Some(reference) = reference else {
        return vec![&line.band[..]];
    };
    let same = |i: usize| reference.band.get(i) == line.band.get(i);
    let mut segments = Vec::new();
    let mut i = 0;
    while i < line.band.len() {
        if same(i) {
            i += 1;
            continue;
        }
        let start = i.saturating_sub(1);
        while i < line.band.len() && !same(i) {
            i += 1;
        }
        let end = (i + 1).min(line.band.len());
        segments.push(&line.band[start..end]);
    }
    segments
}

/// Each scenario of `model` with a band of `metric`, as a line in its colour and pattern.
pub(super) fn scenario_lines(
    results: &Results,
    pal: &Palette,
    model: &str,
    metric: &str,
) -> Vec<Line> {
    results
        .of_model(model)
        .filter_map(|(i, s)| {
            results.band(&s.name, metric).map(|b| {
                Line::from_band(
                    s.display(),
                    b,
                    results.band_kind,
                    pal.scenario(i),
                    Dash::scenario(i),
                )
            })
        })
        .collect()
}

/// A vertical line on the time axis.
pub(super) struct VLine {
    pub(super) x: f64,
    pub(super) label: Option<String>,
    pub(super) color: RGBColor,
}

/// Each life-cycle scenario's interventions as vertical lines: at each start (labelled, if
/// `labels`; interventions of one scenario that start together share a label), at each
/// recurrence of a repeating one (if `recurrences`), and at an end.
pub(super) fn intervention_lines(
    results: &Results,
    pal: &Palette,
    horizon: f64,
    labels: bool,
    recurrences: bool,
) -> Vec<VLine> {
    let mut out = Vec::new();
    for (i, s) in results.of_model("lifecycle") {
        let (lines, _) = scenario_interventions(s, pal.scenario(i), horizon, labels, recurrences);
        out.extend(lines);
        if out.len() >= 200 {
            out.truncate(200);
            break;
        }
    }
    out
}

/// One scenario's interventions: their vertical lines (as [`intervention_lines`] draws
/// them), and what starts when, in words ("Dual operating system from year 10").
pub(super) fn scenario_interventions(
    s: &ScenarioInfo,
    color: RGBColor,
    horizon: f64,
    labels: bool,
    recurrences: bool,
) -> (Vec<VLine>, Vec<String>) {
    let mut out = Vec::new();
    // (start, what) in the scenario's order, merged by start.
    let mut starts: Vec<(f64, Vec<String>)> = Vec::new();
    for m in &s.interventions {
        let what = match m.every {
            Some(e) => format!("{} every {} years", m.label, short(e)),
            None => m.label.clone(),
        };
        match starts.iter_mut().find(|(x, _)| *x == m.start) {
            Some((_, list)) => list.push(what.to_lowercase()),
            None => starts.push((m.start, vec![what])),
        }
        if let Some(e) = m.every.filter(|e| *e > 0.0 && recurrences) {
            let mut x = m.start + e;
            while x < horizon && out.len() < 200 {
                out.push(VLine {
                    x,
                    label: None,
                    color,
                });
                x += e;
            }
        }
        if let Some(end) = m.end.filter(|e| *e < horizon) {
            out.push(VLine {
                x: end,
                label: labels.then(|| format!("{}: ends in year {}", s.display(), short(end))),
                color,
            });
        }
    }
    let mut words = Vec::new();
    for (x, whats) in starts {
        let what = format!("{} from year {}", whats.join(", "), short(x));
        out.push(VLine {
            x,
            label: labels.then(|| format!("{}: {what}", s.display())),
            color,
        });
        words.push(what);
    }
    (out, words)
}

/// Where the time axis ends: the run's real end, the longest drawn scenario's `years`
/// from the manifest, or, for models without calendar time (or results without it), the
/// last step in the data.
pub(super) fn horizon(results: &Results, model: &str, lines: &[Line]) -> Option<f64> {
    let scenarios: Vec<_> = results.of_model(model).map(|(_, s)| s).collect();
    if !scenarios.is_empty() && scenarios.iter().all(|s| s.years.is_some()) {
        return scenarios.iter().filter_map(|s| s.years).reduce(f64::max);
    }
    x_extent(lines).map(|x| x.1)
}

/// The y range to show: the means' range, widened to take in the confidence bands by at most
/// 30% of it on each side (with a few replicates a t-interval can be many times wider than
/// the curves; it is then clipped at the frame rather than flattening every line). With a
/// `floor` (0 for quantities that cannot be negative) the axis starts there when every mean
/// is at or above it.
pub(super) fn y_range(lines: &[Line], floor: Option<f64>) -> Option<(f64, f64)> {
    let means = lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.1))
        .filter(|v| v.is_finite());
    let (lo, hi) = means.fold(None, |acc: Option<(f64, f64)>, v| {
        Some(acc.map_or((v, v), |(a, b)| (a.min(v), b.max(v))))
    })?;
    let span = (hi - lo).max(hi.abs() * 0.1).max(1e-9);
    let (band_lo, band_hi) = lines
        .iter()
        .flat_map(|l| l.band.iter())
        .fold((lo, hi), |(a, b), &(_, l, h)| (a.min(l), b.max(h)));
    let top = band_hi.min(hi + 0.3 * span);
    let bottom = match floor {
        Some(f) if lo >= f => f,
        _ => band_lo.max(lo - 0.3 * span),
    };
    Some((bottom, top))
}

/// The time axis the lines span, before averaging into bins.
pub(super) fn x_extent(lines: &[Line]) -> Option<(f64, f64)> {
    lines
        .iter()
        .filter(|l| !l.points.is_empty())
        .map(|l| l.x_span)
        .reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)))
}

/// Each line's band, the first line's whole and the others' where they leave it.
pub(super) fn draw_bands<DB: DrawingBackend>(c: &Canvas<DB>, p: &Panel, lines: &[Line]) -> Drawn {
    for (k, l) in lines.iter().enumerate() {
        for segment in distinct_band(l, (k > 0).then(|| &lines[0])) {
            c.band(p, segment, l.color)?;
        }
    }
    Ok(())
}

/// Interventions as dashed vertical lines across a panel, `width` design pixels wide.
pub(super) fn draw_vlines<DB: DrawingBackend>(
    c: &Canvas<DB>,
    p: &Panel,
    vlines: &[VLine],
    width: f64,
) -> Drawn {
    for v in vlines {
        let x = p.x_px(v.x);
        c.line(
            vec![(x, p.y0), (x, p.y1)],
            v.color,
            c.stroke(width),
            Dash::Dashed,
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::fixture::{band, marker, results, scenario};

    #[test]
    fn lines_average_consecutive_steps_and_keep_the_peak_before_averaging() {
        // 20 years of weeks: 1,040 steps in bins of 4, at most MAX_POINTS points.
        let x: Vec<f64> = (0..1040).map(|k| f64::from(k) / 52.0).collect();
        let mean: Vec<f64> = (0..1040)
            .map(|k| if k == 101 { 50.0 } else { 1.0 })
            .collect();
        let l = Line::from_band(
            "s",
            &band(&x, &mean, true),
            BandKind::Ci,
            RGBColor(0, 0, 0),
            Dash::Solid,
        );
        assert_eq!(l.bin, 4);
        assert_eq!(l.points.len(), 260);
        assert_eq!(l.band.len(), 260);
        assert!((l.points[0].0 - 1.5 / 52.0).abs() < 1e-12);
        // The bin holding the peak averages it down; the marked peak is the step's own.
        assert!((l.points[25].1 - (50.0 + 3.0) / 4.0).abs() < 1e-12);
        assert_eq!(l.peak, Some((101.0 / 52.0, 50.0)));
        assert_eq!(l.x_span, (0.0, 1039.0 / 52.0));
    }

    #[test]
    fn the_band_kind_picks_the_interval_shaded() {
        let x = [0.0, 1.0, 2.0];
        let b = band(&x, &[5.0, 5.0, 5.0], true);
        let line = |kind| Line::from_band("s", &b, kind, RGBColor(0, 0, 0), Dash::Solid);
        // The fixture's CI is the mean +/- 1, its 10th-90th percentiles the mean +/- 3.
        assert_eq!(line(BandKind::Ci).band[0], (0.0, 4.0, 6.0));
        assert_eq!(line(BandKind::Pi).band[0], (0.0, 2.0, 8.0));
    }

    #[test]
    fn a_band_equal_to_the_reference_s_is_drawn_once() {
        let x = [0.0, 1.0, 2.0, 3.0, 4.0];
        let reference = Line::from_band(
            "a",
            &band(&x, &[1.0, 1.0, 1.0, 1.0, 1.0], true),
            BandKind::Ci,
            RGBColor(0, 0, 0),
            Dash::Solid,
        );
        let same = Line::from_band(
            "b",
            &band(&x, &[1.0, 1.0, 1.0, 1.0, 1.0], true),
            BandKind::Ci,
            RGBColor(0, 0, 0),
            Dash::Solid,
        );
        assert!(distinct_band(&same, Some(&reference)).is_empty());
        // Leaving the reference at step 3: drawn from the step before, to the end.
        let leaves = Line::from_band(
            "c",
            &band(&x, &[1.0, 1.0, 1.0, 2.0, 3.0], true),
            BandKind::Ci,
            RGBColor(0, 0, 0),
            Dash::Solid,
        );
        let segments = distinct_band(&leaves, Some(&reference));
        assert_eq!(segments.len(), 1);
        assert_eq!(segments[0].first().map(|p| p.0), Some(2.0));
        assert_eq!(segments[0].len(), 3);
        assert_eq!(distinct_band(&leaves, None).len(), 1);
    }

    #[test]
    fn interventions_are_lines_at_each_start_recurrence_and_end() {
        let mut s = scenario(0, "task-forces", 20.0, 2);
        s.interventions = vec![
            marker("Task force", 6.0, Some(6.5), Some(3.0)),
            marker("Autonomy", 6.0, None, None),
        ];
        let (lines, words) = scenario_interventions(&s, RGBColor(1, 2, 3), 20.0, true, true);
        let at: Vec<f64> = lines.iter().map(|v| v.x).collect();
        assert_eq!(at, vec![9.0, 12.0, 15.0, 18.0, 6.5, 6.0]);
        assert_eq!(
            words,
            vec!["Task force every 3 years, autonomy from year 6".to_string()]
        );
        assert_eq!(
            lines.last().and_then(|v| v.label.clone()).as_deref(),
            Some("task-forces: Task force every 3 years, autonomy from year 6")
        );
        assert_eq!(
            lines[4].label.as_deref(),
            Some("task-forces: ends in year 6.5")
        );
        // Without labels or recurrences: the start and the end only, unlabelled.
        let (lines, _) = scenario_interventions(&s, RGBColor(1, 2, 3), 20.0, false, false);
        assert_eq!(lines.len(), 2);
        assert!(lines.iter().all(|v| v.label.is_none()));
        let r = results(vec![s], Vec::new());
        assert_eq!(horizon(&r, "lifecycle", &[]), Some(20.0));
    }

    #[test]
    fn the_y_range_starts_at_the_floor_and_clips_wide_bands() {
        let x = [0.0, 1.0, 2.0];
        let l = Line::from_band(
            "a",
            &band(&x, &[10.0, 20.0, 30.0], true),
            BandKind::Ci,
            RGBColor(0, 0, 0),
            Dash::Solid,
        );
        assert_eq!(
            y_range(std::slice::from_ref(&l), Some(0.0)),
            Some((0.0, 31.0))
        );
        assert_eq!(y_range(std::slice::from_ref(&l), None), Some((9.0, 31.0)));
        assert_eq!(y_range(&[], Some(0.0)), None);
        assert_eq!(x_extent(&[l]), Some((0.0, 2.0)));
    }
}
