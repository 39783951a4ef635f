//! The calibration chart: each observed metric over the years, as the calibrated model
//! simulates it (the posterior's median and the band where 90% of its simulations fall),
//! with the observations and their sds on top.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::style::{FONT, Palette, Theme, register_fonts};
use crate::calibrate::abc::weighted_quantile;
use crate::calibrate::{Calibration, Fit};

/// The chart's size, in pixels.
const SIZE: (u32, u32) = (1600, 900);

/// Draws `calibration.png` and `calibration.svg`: (file name, bytes).
pub fn draw(cal: &Calibration, fit: &Fit) -> Result<Vec<(String, Vec<u8>)>, String> {
    register_fonts();
    let mut out = Vec::new();
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        draw_on(&area, cal, fit).map_err(|e| e.to_string())?;
        area.present().map_err(|e| e.to_string())?;
    }
    let (w, h) = SIZE;
    let mut buffer = vec![0u8; w as usize * h as usize * 3];
    {
        let area = BitMapBackend::with_buffer(&mut buffer, SIZE).into_drawing_area();
        draw_on(&area, cal, fit).map_err(|e| e.to_string())?;
        area.present().map_err(|e| e.to_string())?;
    }
    let mut png_bytes = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut png_bytes, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc.write_header().map_err(|e| e.to_string())?;
        writer
            .write_image_data(&buffer)
            .map_err(|e| e.to_string())?;
    }
    out.push(("calibration.png".to_string(), png_bytes));
    out.push(("calibration.svg".to_string(), svg.into_bytes()));
    Ok(out)
}

type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

fn draw_on<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    cal: &Calibration,
    fit: &Fit,
) -> DrawResult<DB> {
    let pal = Palette::of(Theme::Light);
    area.fill(&pal.background)?;
    let (title_area, body) = area.split_vertically(110);
    title_area.draw(&Text::new(
        format!("Calibration '{}': observed against simulated", cal.name),
        (40, 20),
        (FONT, 46).into_font().color(&pal.text),
    ))?;
    title_area.draw(&Text::new(
        "Line: posterior median; band: where 90% of the posterior's simulations fall; points: observations ± sd",
        (40, 74),
        (FONT, 24).into_font().color(&pal.muted),
    ))?;
    let k = fit.metrics.len().max(1);
    let cols = if k <= 2 { k } else { 2 };
    let rows = k.div_ceil(cols);
    let panels = body.split_evenly((rows, cols));
    let weights: Vec<f64> = fit.particles.iter().map(|p| p.weight).collect();
    let colour = pal.series[1];
    for (m, (metric, panel)) in fit.metrics.iter().zip(&panels).enumerate() {
        let years = fit.particles.first().map_or(0, |p| p.yearly[m].len());
        let mut band = Vec::with_capacity(years);
        for y in 0..years {
            let v: Vec<f64> = fit.particles.iter().map(|p| p.yearly[m][y]).collect();
            band.push((
                (y + 1) as f64,
                weighted_quantile(&v, &weights, 0.05),
                weighted_quantile(&v, &weights, 0.5),
                weighted_quantile(&v, &weights, 0.95),
            ));
        }
        let observed: Vec<(f64, f64, f64)> = cal
            .spec
            .observed
            .iter()
            .filter(|o| o.metric == metric.name())
            .map(|o| (o.year, o.value, o.sd))
            .collect();
        let lo = band
            .iter()
            .map(|b| b.1)
            .chain(observed.iter().map(|o| o.1 - o.2))
            .fold(f64::INFINITY, f64::min);
        let hi = band
            .iter()
            .map(|b| b.3)
            .chain(observed.iter().map(|o| o.1 + o.2))
            .fold(f64::NEG_INFINITY, f64::max);
        let pad = ((hi - lo) * 0.08).max(1e-9);
        let (lo, hi) = if lo.is_finite() && hi.is_finite() {
            (lo - pad, hi + pad)
        } else {
            (0.0, 1.0)
        };
        let mut chart = ChartBuilder::on(panel)
            .margin(20)
            .caption(metric.name(), (FONT, 30).into_font().color(&pal.text))
            .x_label_area_size(50)
            .y_label_area_size(100)
            .build_cartesian_2d(0.0..fit.years.max(1.0) + 0.4, lo..hi)?;
        chart
            .configure_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(pal.grid)
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| crate::numbers::short(*y))
            .axis_style(pal.axis)
            .label_style((FONT, 22).into_font().color(&pal.text))
            .x_desc("years since founding")
            .axis_desc_style((FONT, 22).into_font().color(&pal.muted))
            .draw()?;
        if !band.is_empty() {
            let mut poly: Vec<(f64, f64)> = band.iter().map(|b| (b.0, b.1)).collect();
            poly.extend(band.iter().rev().map(|b| (b.0, b.3)));
            chart.draw_series(std::iter::once(Polygon::new(
                poly,
                colour.mix(pal.band_opacity),
            )))?;
            chart.draw_series(LineSeries::new(
                band.iter().map(|b| (b.0, b.2)),
                colour.stroke_width(3),
            ))?;
        }
        for &(x, v, sd) in &observed {
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(x, v - sd), (x, v + sd)],
                pal.text.stroke_width(3),
            )))?;
            chart.draw_series(std::iter::once(Circle::new(
                (x, v),
                7,
                pal.series[2].filled(),
            )))?;
        }
    }
    Ok(())
}
