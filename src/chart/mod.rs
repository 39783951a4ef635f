//! Charts for workshops and decks, drawn with plotters from an output directory's result
//! files (`manifest.json`, `bands.csv`, `comparison.csv`), never from the engine, so they can
//! be redrawn at any time without re-simulating: `orgsim plot DIR`.
//!
//! Every chart is written as PNG and/or SVG, atomically (a temporary file renamed into
//! place). The palette is Okabe and Ito's colour-blind-safe one, scenarios also differ by line
//! pattern (so a greyscale print keeps them apart), and the font (DejaVu Sans) is compiled
//! into the binary.

pub mod calibration;
mod capacity;
mod captions;
mod columns;
mod comparison;
mod dashboard;
mod data;
#[cfg(test)]
mod fixture;
mod frame;
mod knowledge;
mod metric;
mod plan;
mod series;
mod style;
mod sweep;
mod time_chart;
mod two_systems;

use std::path::{Path, PathBuf};

use plotters::prelude::{BitMapBackend, DrawingBackend, IntoDrawingArea, SVGBackend};

pub use columns::{Columns, outcome_title};
pub use data::{BandKind, Marker, intervention_label, marker};
pub use frame::PlacedText;
pub use style::Theme;
pub use sweep::{GridView, SensitivityBar, grid_charts, tornado};

use crate::model::Stop;
use crate::output::{DirError, DirLock, FileCheck, write_atomic};
use data::Results;

/// Why charts could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// The directory is not one `orgsim run` wrote.
    #[error(
        "{} is not a results directory written by `orgsim run` (it has no manifest.json)",
        dir.display()
    )]
    NotResults {
        /// The directory.
        dir: PathBuf,
    },
    /// A result file could not be read.
    #[error("{}: {cause}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        cause: std::io::Error,
    },
    /// A result file is not in the format `orgsim run` writes.
    #[error("{}: {message}", path.display())]
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// `--metric` names a metric the results do not have.
    #[error("no metric `{name}` in bands.csv; the metrics are: {}", available.join(", "))]
    UnknownMetric {
        /// The name asked for.
        name: String,
        /// The metrics there are.
        available: Vec<String>,
    },
    /// `--scenarios` names a scenario the results do not have.
    #[error("no scenario `{name}` in these results; the scenarios are: {}", available.join(", "))]
    UnknownScenario {
        /// The name asked for.
        name: String,
        /// The scenarios there are.
        available: Vec<String>,
    },
    /// `--chart` names a chart that does not exist.
    #[error("no chart `{name}`; the charts are: {}", CHARTS.join(", "))]
    UnknownChart {
        /// The name asked for.
        name: String,
    },
    /// plotters failed while drawing.
    #[error("drawing failed: {0}")]
    Draw(String),
    /// `--chart` names a chart these results cannot give.
    #[error("no `{name}` chart for these results: {why}")]
    NotApplicable {
        /// The chart.
        name: String,
        /// Why not.
        why: String,
    },
    /// A chart file could not be written.
    #[error("{}: {cause}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The cause.
        cause: std::io::Error,
    },
    /// The directory is locked by another process, or does not hold one run's output.
    #[error(transparent)]
    Dir(#[from] DirError),
    /// Stopped (Ctrl-C) before every chart was drawn.
    #[error("stopped before every chart was drawn")]
    Stopped,
}

/// The charts there are, by file name (without extension).
pub const CHARTS: &[&str] = &[
    "innovation_capacity",
    "innovation_capacity_per_100",
    "two_systems",
    "dashboard",
    "comparison",
    "knowledge",
];

/// An image format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A bitmap, for slides and documents.
    Png,
    /// A vector drawing with its text kept as text, for editing and print.
    Svg,
}

impl Format {
    /// Parses `png` or `svg`.
    pub fn parse(name: &str) -> Option<Format> {
        match name.trim().to_ascii_lowercase().as_str() {
            "png" => Some(Format::Png),
            "svg" => Some(Format::Svg),
            _ => None,
        }
    }

    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Svg => "svg",
        }
    }
}

/// What to draw and how.
#[derive(Clone, Debug)]
pub struct PlotOptions {
    /// Replaces every drawn chart's title.
    pub title: Option<String>,
    /// Replaces every drawn chart's subtitle.
    pub subtitle: Option<String>,
    /// Width and height in pixels (the design size is 1600x900).
    pub size: (u32, u32),
    /// Colours for a lit room, a dark deck or a greyscale printer.
    pub theme: Theme,
    /// Draw only this metric of `bands.csv`, over time (file `NAME.png`).
    pub metric: Option<String>,
    /// Draw only these scenarios, in this order.
    pub scenarios: Option<Vec<String>>,
    /// Draw only these charts (names from [`CHARTS`]).
    pub charts: Option<Vec<String>>,
    /// The formats to write.
    pub formats: Vec<Format>,
    /// The directory to write into (default: the results directory).
    pub out: Option<PathBuf>,
    /// The interval time charts shade around each mean curve.
    pub band: BandKind,
}

impl Default for PlotOptions {
    fn default() -> PlotOptions {
        PlotOptions {
            title: None,
            subtitle: None,
            size: (1600, 900),
            theme: Theme::Light,
            metric: None,
            scenarios: None,
            charts: None,
            formats: vec![Format::Png, Format::Svg],
            out: None,
            band: BandKind::Ci,
        }
    }
}

/// Smallest and largest chart sides accepted, in pixels.
pub const SIZE_RANGE: (u32, u32) = (320, 8000);

/// Parses `WIDTHxHEIGHT`, for example `1600x900`.
pub fn parse_size(text: &str) -> Result<(u32, u32), String> {
    let (w, h) = text
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("`{text}` is not WIDTHxHEIGHT, for example 1600x900"))?;
    let side = |v: &str| -> Result<u32, String> {
        let n: u32 = v
            .trim()
            .parse()
            .map_err(|_| format!("`{text}` is not WIDTHxHEIGHT, for example 1600x900"))?;
        if (SIZE_RANGE.0..=SIZE_RANGE.1).contains(&n) {
            Ok(n)
        } else {
            Err(format!(
                "`{text}`: each side must be {} to {} pixels",
                SIZE_RANGE.0, SIZE_RANGE.1
            ))
        }
    };
    Ok((side(w)?, side(h)?))
}

/// Draws the charts of the results in `dir` and returns the files written, in order.
///
/// The directory written into (`dir`, or `opts.out`) is locked while the charts are drawn.
/// Charts drawn into the results directory itself are added to its manifest, listed before
/// they are written and their checksums recorded after, so the directory stays one run's
/// output.
pub fn plot_dir(dir: &Path, opts: &PlotOptions) -> Result<Vec<PathBuf>, ChartError> {
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let mut opts = opts.clone();
    if opts
        .out
        .as_deref()
        .is_some_and(|o| canonical(o) == canonical(dir))
    {
        opts.out = None;
    }
    let into = opts.out.as_deref().unwrap_or(dir);
    let _lock = if opts.out.is_none() {
        // The results directory must exist: it is not created.
        if !dir.join("manifest.json").is_file() {
            return Err(ChartError::NotResults {
                dir: dir.to_path_buf(),
            });
        }
        DirLock::acquire(dir, false)?
    } else {
        DirLock::acquire(into, true)?
    };
    crate::output::remove_stale_partials(into);
    draw(dir, &opts, &Stop::never())
}

/// Draws the charts of the run in `dir` (a staging directory the caller holds) into it, and
/// records them in its manifest; stops between charts when `stop` is requested.
pub(crate) fn draw_run_charts(
    dir: &Path,
    opts: &PlotOptions,
    stop: &Stop,
) -> Result<Vec<PathBuf>, ChartError> {
    let opts = PlotOptions {
        out: None,
        ..opts.clone()
    };
    draw(dir, &opts, stop)
}

fn draw(dir: &Path, opts: &PlotOptions, stop: &Stop) -> Result<Vec<PathBuf>, ChartError> {
    style::register_fonts();
    if let Some(names) = &opts.charts
        && let Some(bad) = names.iter().find(|n| !CHARTS.contains(&n.as_str()))
    {
        return Err(ChartError::UnknownChart { name: bad.clone() });
    }
    let (results, plan) = read_and_plan(dir, opts)?;
    // Into the results directory: the manifest lists the charts before they are written.
    let record = opts.out.is_none();
    if record {
        let names: Vec<String> = plan
            .iter()
            .flat_map(|c| {
                opts.formats
                    .iter()
                    .map(move |f| format!("{}.{}", c.file_name(), f.extension()))
            })
            .collect();
        crate::output::list_files(dir, &names)?;
    }
    let mut written = Vec::new();
    for chart in &plan {
        if stop.requested() {
            return Err(ChartError::Stopped);
        }
        let drawing = plan::RunChart {
            chart,
            results: &results,
            opts,
        };
        written.extend(save_checked(&drawing, dir, &chart.file_name(), opts)?);
    }
    if record {
        let checks: Vec<(String, FileCheck)> = written
            .iter()
            .filter_map(|(p, c)| {
                let name = p.file_name()?.to_string_lossy().into_owned();
                Some((name, c.clone()))
            })
            .collect();
        crate::output::record_checks(dir, &checks)?;
    }
    Ok(written.into_iter().map(|(p, _)| p).collect())
}

/// Reads what the charts of `dir` need (the metrics they draw, the chosen scenarios) and plans
/// the charts `opts` asks for: what drawing and laying out share.
fn read_and_plan(
    dir: &Path,
    opts: &PlotOptions,
) -> Result<(Results, Vec<plan::Chart>), ChartError> {
    let metric = opts.metric.clone();
    let wanted = move |m: &str| {
        plan::NEEDED.contains(&m) || m.starts_with("phase=") || metric.as_deref() == Some(m)
    };
    let mut results = Results::read(dir, &wanted)?;
    results.band_kind = opts.band;
    if let Some(names) = &opts.scenarios {
        results.select(names)?;
    }
    let plan = plan::plan(&results, opts)?;
    Ok((results, plan))
}

/// The text each chart of `dir` draws under `opts`, with where it goes: per chart (by file
/// name), every text with its box and size, as laid out at `opts.size`. Nothing is written.
/// For checking a layout without looking at it: that nothing is cut or off the canvas.
pub fn text_layout(
    dir: &Path,
    opts: &PlotOptions,
) -> Result<Vec<(String, Vec<PlacedText>)>, ChartError> {
    style::register_fonts();
    let (results, plan) = read_and_plan(dir, opts)?;
    let mut out = Vec::new();
    for chart in &plan {
        let drawing = plan::RunChart {
            chart,
            results: &results,
            opts,
        };
        let mut text = String::new();
        let area = SVGBackend::with_string(&mut text, opts.size).into_drawing_area();
        let pal = style::Palette::of(opts.theme);
        let canvas = frame::Canvas::new(&area, &pal);
        canvas.fill()?;
        drawing.draw(&canvas)?;
        out.push((chart.file_name(), canvas.placed()));
    }
    Ok(out)
}

/// Something drawn on a chart canvas (already filled with the background).
trait Drawing {
    fn draw<DB: DrawingBackend>(&self, c: &frame::Canvas<DB>) -> frame::Drawn;
}

/// Draws `d` in every format of `opts` into `STEM.png`/`STEM.svg` under `opts.out` (or
/// `dir`), each file written atomically; returns the files.
fn save<D: Drawing>(
    d: &D,
    dir: &Path,
    stem: &str,
    opts: &PlotOptions,
) -> Result<Vec<PathBuf>, ChartError> {
    Ok(save_checked(d, dir, stem, opts)?
        .into_iter()
        .map(|(p, _)| p)
        .collect())
}

/// [`save`], with each file's check.
fn save_checked<D: Drawing>(
    d: &D,
    dir: &Path,
    stem: &str,
    opts: &PlotOptions,
) -> Result<Vec<(PathBuf, FileCheck)>, ChartError> {
    style::register_fonts();
    let out = opts.out.as_deref().unwrap_or(dir);
    std::fs::create_dir_all(out).map_err(|cause| ChartError::Write {
        path: out.to_path_buf(),
        cause,
    })?;
    let (w, h) = opts.size;
    let mut files = Vec::new();
    for &format in &opts.formats {
        let bytes = match format {
            Format::Png => {
                let mut buffer = vec![0u8; w as usize * h as usize * 3];
                draw_on(BitMapBackend::with_buffer(&mut buffer, (w, h)), d, opts)?;
                encode_png(&buffer, w, h)?
            }
            Format::Svg => {
                let mut text = String::new();
                draw_on(SVGBackend::with_string(&mut text, (w, h)), d, opts)?;
                text.into_bytes()
            }
        };
        let path = out.join(format!("{stem}.{}", format.extension()));
        write_atomic(&path, &bytes).map_err(|cause| ChartError::Write {
            path: path.clone(),
            cause,
        })?;
        files.push((path, FileCheck::of(&bytes)));
    }
    Ok(files)
}

fn draw_on<DB: DrawingBackend, D: Drawing>(
    backend: DB,
    d: &D,
    opts: &PlotOptions,
) -> Result<(), ChartError> {
    let area = backend.into_drawing_area();
    let pal = style::Palette::of(opts.theme);
    let canvas = frame::Canvas::new(&area, &pal);
    canvas.fill()?;
    d.draw(&canvas)?;
    area.present().map_err(|e| ChartError::Draw(e.to_string()))
}

fn encode_png(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>, ChartError> {
    let mut bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut bytes, w, h);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder
            .write_header()
            .map_err(|e| ChartError::Draw(e.to_string()))?;
        writer
            .write_image_data(rgb)
            .map_err(|e| ChartError::Draw(e.to_string()))?;
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_and_are_bounded() {
        assert_eq!(parse_size("1600x900"), Ok((1600, 900)));
        assert_eq!(parse_size("800X450"), Ok((800, 450)));
        assert!(parse_size("1600").unwrap_err().contains("WIDTHxHEIGHT"));
        assert!(parse_size("10x900").unwrap_err().contains("320 to 8000"));
        assert_eq!(Format::parse(" SVG"), Some(Format::Svg));
        assert_eq!(Format::parse("pdf"), None);
    }
}
