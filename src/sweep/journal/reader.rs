//! Reading a shard's journal run by run into typed runs ([`JournalRun`]), for the final
//! files: every block's commit line is checked as it passes.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use super::{Block, Expect, JournalRun, header, header_error, located, read_line};
use crate::sweep::SweepError;

/// Reads one shard's journal run by run, checking every block's commit line as it passes.
/// A run is handed out before its block's commit line is read, so memory does not grow with
/// the block: the caller writes only into files it publishes after the whole journal has
/// been read (reading past the last run checks the last commit line), so a damaged block
/// stops it before anything is published.
pub struct JournalReader {
    reader: BufReader<File>,
    path: PathBuf,
    expect: (String, (u64, u64)),
    line_no: u64,
    done: u64,
    block: Block,
    peeked: Option<String>,
}

impl JournalReader {
    /// Opens the journal of shard `shard` of sweep `id` at `path` and checks its header.
    pub fn open(path: &Path, id: &str, shard: (u64, u64)) -> Result<JournalReader, SweepError> {
        let io = |e: std::io::Error| SweepError::Io {
            path: path.to_path_buf(),
            message: e.to_string(),
        };
        let mut reader = BufReader::new(File::open(path).map_err(io)?);
        let mut buf = Vec::new();
        read_line(&mut reader, &mut buf).map_err(io)?;
        let expected = header(id, shard.0, shard.1);
        let text = String::from_utf8_lossy(&buf);
        if text.trim_end_matches('\n') != expected || buf.last() != Some(&b'\n') {
            return Err(header_error(path, text.trim_end_matches('\n'), &expected));
        }
        Ok(JournalReader {
            reader,
            path: path.to_path_buf(),
            expect: (id.to_string(), shard),
            line_no: 1,
            done: 0,
            block: Block::new(2),
            peeked: None,
        })
    }

    /// The journal's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn damaged(&self, line: u64, why: String) -> SweepError {
        SweepError::Damaged {
            path: self.path.clone(),
            message: format!(
                "{}; nothing was written. Run the shard's sweep command again: it redoes a cut end, and names damage it cannot repair",
                located(line, why)
            ),
        }
    }

    /// The next data line, checking the commit lines on the way (None at the end).
    fn next_line(&mut self) -> Result<Option<String>, SweepError> {
        if let Some(l) = self.peeked.take() {
            return Ok(Some(l));
        }
        let mut buf = Vec::new();
        loop {
            let (any, long) =
                read_line(&mut self.reader, &mut buf).map_err(|e| SweepError::Io {
                    path: self.path.clone(),
                    message: e.to_string(),
                })?;
            if !any {
                return if self.block.lines == 0 {
                    Ok(None)
                } else {
                    Err(self.damaged(self.block.first_line, "runs not committed".into()))
                };
            }
            self.line_no += 1;
            let line_no = self.line_no;
            let Some(text) = std::str::from_utf8(&buf)
                .ok()
                .filter(|_| !long)
                .and_then(|t| t.strip_suffix('\n'))
            else {
                return Err(self.damaged(line_no, "a line cut short or unreadable".into()));
            };
            if text.starts_with("c,") {
                let block = std::mem::replace(&mut self.block, Block::new(line_no + 1));
                self.done = block
                    .commit(line_no, text, Some(self.done))
                    .map_err(|(l, why)| self.damaged(l, why))?;
                continue;
            }
            let expect = Expect {
                id: &self.expect.0,
                shard: self.expect.1,
                widths: None,
            };
            self.block
                .data(line_no, &buf, text, &expect, Some(self.done));
            if let Some((l, why)) = &self.block.fault {
                return Err(self.damaged(*l, why.clone()));
            }
            return Ok(Some(text.to_string()));
        }
    }

    /// The next run: its `r` line and its `s` lines (None at the end of the journal).
    pub fn next_run(&mut self) -> Result<Option<JournalRun>, SweepError> {
        let Some(r) = self.next_line()? else {
            return Ok(None);
        };
        let mut series = Vec::new();
        while let Some(l) = self.next_line()? {
            if l.starts_with("s,") {
                series.push(l);
            } else {
                self.peeked = Some(l);
                break;
            }
        }
        Ok(Some(JournalRun::parse(&r, &series)))
    }
}
