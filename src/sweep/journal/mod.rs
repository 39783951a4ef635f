//! A shard's journal: the append-only file its runs stream into, in blocks that each end in a
//! checksummed commit line, so a resumed sweep, `status` and `merge` can tell intact runs from
//! a write cut short by a kill and from damage done afterwards.
//!
//! ```text
//! # orgsim sweep journal v2 <sweep id> shard <I> of <N>
//! r,<run>,<seed>,<outcome>,...          one line per run
//! s,<run>,<step>,<metric>,...           its kept steps, if any
//! c,<from>,<to>,<lines>,<crc32>         commits the shard's runs from..to (positions in the
//!                                       shard), the block's line count, and the CRC-32 of the
//!                                       block's bytes followed by this line up to its last comma
//! ```
//!
//! Reading a journal, a block counts only if its checksum, line count, run range and run
//! numbers all agree. What is safe to do with one that does not depends on what a kill can
//! leave. A process writes its journal in order and commits a block by appending its commit
//! line last, so a kill (or a full disk) leaves the intact blocks followed by a **torn tail**:
//! lines with no complete commit line after them, the last possibly cut mid-line. A resumed
//! sweep cuts a torn tail off and redoes its runs, which writes the bytes an uninterrupted
//! run writes (runs are deterministic).
//!
//! Anything else, a complete commit line that does not match its block (a changed digit, a
//! dropped or added line, a missing or repeated block), at the end or with intact blocks
//! after it, means the file was changed, or damaged by the disk, after it was written. That
//! is never dropped silently: resume, `status` and `merge` refuse it, naming the file and the
//! lines, and change nothing; `orgsim sweep --repair` then keeps every intact run before the
//! damage and redoes the rest. (A power cut before a commit reached the disk could leave such
//! an end too; `--repair` is the remedy there as well.)

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use super::SweepError;
use crate::output::fmt_opt;

/// The first words of a journal of this format.
const MAGIC: &str = "# orgsim sweep journal v2";
/// The first words of a journal of the previous (unchecked) format.
const MAGIC_V1: &str = "# orgsim sweep journal v1";
/// The longest line a journal can hold (a run's outcomes or a step's kept metrics are a few
/// hundred bytes): a longer one is damage, and is not read into memory.
const MAX_LINE: usize = 1 << 20;

/// A journal's first line (without its newline).
pub fn header(id: &str, index: u64, count: u64) -> String {
    format!("{MAGIC} {id} shard {index} of {count}")
}

/// The path of shard `index` of `count`'s journal in `dir`.
pub fn journal_file(dir: &Path, index: u64, count: u64) -> PathBuf {
    dir.join(format!("journal-{index}-of-{count}.csv"))
}

/// One run as its journal holds it: its run number, seed and outcomes, and its kept steps.
#[derive(Clone, Debug, PartialEq)]
pub struct JournalRun {
    /// The run's number in the sweep (replicate g mod R of point g div R).
    pub run: u64,
    /// Its seed.
    pub seed: u64,
    /// Its outcomes, in the model's order (`None` where the run does not define one).
    pub outcomes: Vec<Option<f64>>,
    /// Its kept steps, in order.
    pub steps: Vec<KeptStep>,
}

/// One kept step of a run: the step and the kept metrics' values there.
#[derive(Clone, Debug, PartialEq)]
pub struct KeptStep {
    /// The step.
    pub step: u64,
    /// The kept metrics, in the sweep file's order (`None` where not finite).
    pub values: Vec<Option<f64>>,
}

impl JournalRun {
    /// The run's lines, as the journal holds them (each with its newline).
    pub fn lines(&self) -> String {
        let mut text = format!("r,{},{}", self.run, self.seed);
        for o in &self.outcomes {
            text.push(',');
            text.push_str(&fmt_opt(*o));
        }
        text.push('\n');
        for s in &self.steps {
            text.push_str(&format!("s,{},{}", self.run, s.step));
            for v in &s.values {
                text.push(',');
                text.push_str(&fmt_opt(*v));
            }
            text.push('\n');
        }
        text
    }

    /// A run from its `r` line and `s` lines, which [`Block::data`] has checked: run
    /// numbers, seeds and steps are whole numbers, values are finite numbers or empty.
    fn parse(r: &str, steps: &[String]) -> JournalRun {
        let real = |f: &str| f.parse::<f64>().ok();
        let whole = |f: Option<&str>| f.and_then(|f| f.parse::<u64>().ok()).unwrap_or(0);
        let fields: Vec<&str> = r.split(',').collect();
        JournalRun {
            run: whole(fields.get(1).copied()),
            seed: whole(fields.get(2).copied()),
            outcomes: fields.iter().skip(3).map(|f| real(f)).collect(),
            steps: steps
                .iter()
                .map(|line| {
                    let f: Vec<&str> = line.split(',').collect();
                    KeptStep {
                        step: whole(f.get(2).copied()),
                        values: f.iter().skip(3).map(|f| real(f)).collect(),
                    }
                })
                .collect(),
        }
    }
}

/// Appends runs to a journal in checksummed blocks.
pub struct BlockWriter<'a> {
    out: BufWriter<&'a mut File>,
    crc: crc32fast::Hasher,
    lines: u64,
    from: u64,
}

impl<'a> BlockWriter<'a> {
    /// A writer appending to `file`, whose intact blocks hold the shard's first `done` runs.
    pub fn new(file: &'a mut File, done: u64) -> BlockWriter<'a> {
        BlockWriter {
            out: BufWriter::with_capacity(1 << 20, file),
            crc: crc32fast::Hasher::new(),
            lines: 0,
            from: done,
        }
    }

    /// Appends one run's lines (each ending in a newline).
    pub fn write_run(&mut self, text: &str) -> std::io::Result<()> {
        self.crc.update(text.as_bytes());
        self.lines += text.bytes().filter(|&b| b == b'\n').count() as u64;
        self.out.write_all(text.as_bytes())
    }

    /// Commits the runs written since the last commit (the shard's runs up to `to`) and makes
    /// them durable.
    pub fn commit(&mut self, to: u64) -> std::io::Result<()> {
        if self.lines == 0 && to == self.from {
            return Ok(());
        }
        let head = format!("c,{},{to},{},", self.from, self.lines);
        let mut crc = std::mem::replace(&mut self.crc, crc32fast::Hasher::new());
        crc.update(head.as_bytes());
        writeln!(self.out, "{head}{:08x}", crc.finalize())?;
        self.out.flush()?;
        self.out.get_ref().sync_data()?;
        self.from = to;
        self.lines = 0;
        Ok(())
    }
}

/// What follows a journal's intact blocks, when it is not the end of the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Damage {
    /// The first line not intact.
    pub line: u64,
    /// Where and what is wrong: "line 12: ..." or "lines 12 to 40: ...".
    pub why: String,
    /// Whether it is a torn tail (no complete commit line after the intact blocks), which a
    /// kill leaves and a resumed sweep cuts off; otherwise the file was changed.
    pub torn: bool,
    /// Whether intact blocks follow the damage.
    pub intact_after: bool,
}

/// What a journal holds.
#[derive(Clone, Debug)]
pub struct Scan {
    /// The shard's runs in the intact blocks from the start.
    pub done: u64,
    /// The byte length of the header and the intact blocks.
    pub intact_bytes: u64,
    /// What follows them, if anything.
    pub damage: Option<Damage>,
}

impl Scan {
    /// The message for damage that is not a torn tail: which line, and what is safe to do.
    pub fn changed(&self) -> Option<String> {
        let d = self.damage.as_ref().filter(|d| !d.torn)?;
        Some(format!(
            "{}; {}the journal was changed or damaged after it was written (a kill only cuts a journal's end). Nothing was changed. The {} runs before line {} are intact: the same `orgsim sweep` command with --repair keeps them and redoes the rest; or restore the file from a copy",
            d.why,
            if d.intact_after {
                "intact blocks follow, so "
            } else {
                "its commit line is complete, so "
            },
            self.done,
            d.line
        ))
    }

    /// A note on a torn tail, for `status` and `merge`.
    pub fn torn(&self) -> Option<String> {
        let d = self.damage.as_ref().filter(|d| d.torn)?;
        Some(format!(
            "from line {} the journal's end is cut short ({}), as a kill leaves it; the same sweep command drops it and redoes its runs",
            d.line, d.why
        ))
    }
}

/// The shard a journal belongs to, and the widths its lines must have when known.
#[derive(Clone, Copy, Debug)]
pub struct Expect<'a> {
    /// The sweep's identity.
    pub id: &'a str,
    /// Shard index and count.
    pub shard: (u64, u64),
    /// Fields of an `r` line and of an `s` line, when the caller knows the model.
    pub widths: Option<(usize, usize)>,
}

impl Expect<'_> {
    /// The run at position `pos` of the shard.
    fn run_at(&self, pos: u64) -> u64 {
        self.shard
            .0
            .saturating_add(pos.saturating_mul(self.shard.1))
    }
}

/// Reads `reader`'s next line (with its newline, if it has one) into `buf`, reading at most
/// `MAX_LINE` bytes; returns whether a line was read and whether it was cut at the limit.
fn read_line<R: BufRead>(reader: &mut R, buf: &mut Vec<u8>) -> std::io::Result<(bool, bool)> {
    buf.clear();
    let n = std::io::Read::take(&mut *reader, MAX_LINE as u64).read_until(b'\n', buf)?;
    Ok((n > 0, n == MAX_LINE && buf.last() != Some(&b'\n')))
}

/// One block being read: its bytes' checksum, its lines, its runs, and the first line that
/// breaks the format.
struct Block {
    crc: crc32fast::Hasher,
    first_line: u64,
    lines: u64,
    runs: u64,
    run: Option<u64>,
    fault: Option<(u64, String)>,
}

impl Block {
    fn new(first_line: u64) -> Block {
        Block {
            crc: crc32fast::Hasher::new(),
            first_line,
            lines: 0,
            runs: 0,
            run: None,
            fault: None,
        }
    }

    /// Takes in a data line (without its newline); `from` is the position of the block's
    /// first run, when the block is expected to continue the intact ones.
    fn data(&mut self, line_no: u64, bytes: &[u8], text: &str, e: &Expect, from: Option<u64>) {
        self.crc.update(bytes);
        self.lines += 1;
        if self.fault.is_some() {
            return;
        }
        let fields: Vec<&str> = text.split(',').collect();
        let number = |s: &str| s.is_empty() || s.parse::<f64>().is_ok_and(|x| x.is_finite());
        let fault = match fields[0] {
            "r" => {
                let g = fields.get(1).and_then(|g| g.parse::<u64>().ok());
                let expected = from.map(|f| e.run_at(f + self.runs));
                self.runs += 1;
                self.run = g;
                if g.is_none() || fields.get(2).and_then(|s| s.parse::<u64>().ok()).is_none() {
                    Some("a run line without its run number and seed".to_string())
                } else if expected.is_some() && g != expected {
                    Some(format!(
                        "run {} where run {} comes next",
                        g.unwrap_or_default(),
                        expected.unwrap_or_default()
                    ))
                } else if e.widths.is_some_and(|(r, _)| fields.len() != r) {
                    Some(format!(
                        "{} fields where a run line has {}",
                        fields.len(),
                        e.widths.map_or(0, |w| w.0)
                    ))
                } else if !fields[3..].iter().all(|f| number(f)) {
                    Some("an outcome that is not a number".to_string())
                } else {
                    None
                }
            }
            "s" => {
                let g = fields.get(1).and_then(|g| g.parse::<u64>().ok());
                if g.is_none() || g != self.run {
                    Some("a step line that does not follow its run".to_string())
                } else if fields.get(2).and_then(|s| s.parse::<u64>().ok()).is_none() {
                    Some("a step line without its step".to_string())
                } else if e.widths.is_some_and(|(_, s)| fields.len() != s) {
                    Some(format!(
                        "{} fields where a step line has {}",
                        fields.len(),
                        e.widths.map_or(0, |w| w.1)
                    ))
                } else if !fields[3..].iter().all(|f| number(f)) {
                    Some("a kept metric that is not a number".to_string())
                } else {
                    None
                }
            }
            _ => Some("not a line of a journal".to_string()),
        };
        self.fault = fault.map(|f| (line_no, f));
    }

    /// Checks the commit line `text` (without its newline) against the block; `from` as for
    /// `data`. Returns the runs committed up to (`to`), or the first line at fault and why.
    fn commit(self, line_no: u64, text: &str, from: Option<u64>) -> Result<u64, (u64, String)> {
        let mut crc = self.crc;
        let cut = text.rfind(',').map_or(0, |i| i + 1);
        crc.update(&text.as_bytes()[..cut]);
        let fields: Vec<&str> = text.split(',').collect();
        let num = |i: usize| fields.get(i).and_then(|s| s.parse::<u64>().ok());
        let sum = fields
            .get(4)
            .filter(|s| s.len() == 8)
            .and_then(|s| u32::from_str_radix(s, 16).ok());
        let (Some(f), Some(to), Some(lines), Some(sum), 5) =
            (num(1), num(2), num(3), sum, fields.len())
        else {
            return Err((line_no, "a commit line that cannot be read".into()));
        };
        let at = |why: String| {
            if self.first_line < line_no {
                format!("lines {} to {line_no}: {why}", self.first_line)
            } else {
                format!("line {line_no}: {why}")
            }
        };
        if sum != crc.finalize() {
            // The checksum says the bytes changed; a line that breaks the format says where.
            return Err(match self.fault {
                Some((l, why)) => (l, why),
                None => (
                    self.first_line,
                    at("the bytes do not match their checksum".into()),
                ),
            });
        }
        if let Some((l, why)) = self.fault {
            return Err((l, why));
        }
        if lines != self.lines || to.checked_sub(f) != Some(self.runs) {
            return Err((
                self.first_line,
                at(format!(
                    "{} lines and {} runs where the commit line says {lines} lines and runs {f} to {to}",
                    self.lines, self.runs
                )),
            ));
        }
        if let Some(expected) = from
            && f != expected
        {
            return Err((
                self.first_line,
                at(format!(
                    "the block holds the shard's runs {f} to {to}, but runs from {expected} come next (a block is missing or repeated)"
                )),
            ));
        }
        Ok(to)
    }
}

/// `why` with where: as is if it names its lines, else prefixed with "line N: ".
fn located(line: u64, why: String) -> String {
    if why.starts_with("line") {
        why
    } else {
        format!("line {line}: {why}")
    }
}

/// Skips the rest of a line, reading it in the reader's buffer-sized pieces (an overlong
/// line is never held in memory); returns the bytes skipped.
fn skip_line<R: BufRead>(reader: &mut R) -> std::io::Result<u64> {
    let mut skipped = 0u64;
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(skipped);
        }
        let (n, end) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        reader.consume(n);
        skipped += n as u64;
        if end {
            return Ok(skipped);
        }
    }
}

/// Reads and checks the journal at `path` without changing it (None if there is none).
pub fn scan(path: &Path, e: &Expect) -> Result<Option<Scan>, SweepError> {
    let io = |err: std::io::Error| SweepError::Io {
        path: path.to_path_buf(),
        message: err.to_string(),
    };
    let file = match File::open(path) {
        Ok(f) => f,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(io(err)),
    };
    let mut reader = BufReader::new(file);
    let mut buf = Vec::new();
    let expected_header = header(e.id, e.shard.0, e.shard.1);
    let mut scan = Scan {
        done: 0,
        intact_bytes: 0,
        damage: None,
    };
    // The header.
    let (any, long) = read_line(&mut reader, &mut buf).map_err(io)?;
    if !any {
        return Ok(Some(scan));
    }
    let text = String::from_utf8_lossy(&buf);
    let line = text.trim_end_matches('\n');
    if buf.last() == Some(&b'\n') && line == expected_header {
        scan.intact_bytes = buf.len() as u64;
    } else if !long && buf.last() != Some(&b'\n') && expected_header.starts_with(line) {
        // The header itself was cut short: nothing was committed.
        scan.damage = Some(Damage {
            line: 1,
            why: "the first line is cut short".into(),
            torn: true,
            intact_after: false,
        });
        return Ok(Some(scan));
    } else {
        return Err(header_error(path, line, &expected_header));
    }
    // The blocks.
    let mut line_no = 1u64;
    let mut offset = scan.intact_bytes;
    let mut block = Block::new(2);
    let mut first_fault: Option<(u64, String)> = None;
    let mut intact_after_fault = false;
    // A complete commit line at or after the first fault: not what a kill leaves.
    let mut commit_after_fault = false;
    loop {
        let (any, long) = read_line(&mut reader, &mut buf).map_err(io)?;
        if !any {
            break;
        }
        line_no += 1;
        offset += buf.len() as u64;
        let complete = buf.last() == Some(&b'\n');
        let text = std::str::from_utf8(&buf).unwrap_or("\u{fffd}");
        let text = text.trim_end_matches('\n');
        // Blocks after damage are read only to tell a cut end from damage in the middle.
        let from = first_fault.is_none().then_some(scan.done);
        if long || !complete {
            if first_fault.is_none() {
                first_fault = Some((
                    block.first_line,
                    if long {
                        format!("line {line_no} is over {MAX_LINE} bytes long")
                    } else {
                        format!("line {line_no} is cut short")
                    },
                ));
            }
            if long {
                offset += skip_line(&mut reader).map_err(io)?;
            }
            block = Block::new(line_no + 1);
            continue;
        }
        if text.starts_with("c,") {
            let done = std::mem::replace(&mut block, Block::new(line_no + 1));
            match done.commit(line_no, text, from) {
                Ok(to) if first_fault.is_none() => {
                    scan.done = to;
                    scan.intact_bytes = offset;
                }
                Ok(_) => intact_after_fault = true,
                Err(fault) => {
                    if first_fault.is_none() {
                        first_fault = Some(fault);
                    }
                }
            }
            commit_after_fault |= first_fault.is_some();
        } else {
            block.data(line_no, &buf[..], text, e, from);
        }
    }
    if first_fault.is_none() && block.lines > 0 {
        first_fault = Some((block.first_line, "runs not committed".into()));
    }
    scan.damage = first_fault.map(|(line, why)| Damage {
        line,
        why: located(line, why),
        torn: !commit_after_fault,
        intact_after: intact_after_fault,
    });
    Ok(Some(scan))
}

fn header_error(path: &Path, line: &str, expected: &str) -> SweepError {
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    if line.starts_with(MAGIC_V1) {
        return SweepError::Foreign {
            dir,
            what: format!(
                "a journal written by an earlier orgsim without checksums ({}); finish that sweep with the orgsim that started it, or remove the journal to start again",
                path.display()
            ),
        };
    }
    let shown: String = line.chars().take(120).collect();
    if line.starts_with(MAGIC) {
        SweepError::Foreign {
            dir,
            what: format!(
                "a journal of a different sweep, shard or orgsim version ({}: line 1 is `{shown}`, this sweep's is `{expected}`)",
                path.display()
            ),
        }
    } else {
        SweepError::Damaged {
            path: path.to_path_buf(),
            message: format!(
                "line 1: `{shown}` is not the first line of an orgsim sweep journal; nothing was changed"
            ),
        }
    }
}

mod reader;

pub use reader::JournalReader;

#[cfg(test)]
mod tests;
