//! What ties a run's files together: `manifest.json` carries the run's id and, per file, its
//! size and CRC-32. Writers compute them as they write; readers check them, so a directory
//! that mixes two runs' files (copied by hand, or left by an older orgsim) is refused rather
//! than drawn.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::error::{DirError, io_at};
use super::{COMPARISON_FILE, FILES, Manifest};

/// A file's size and checksum, as the manifest records them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileCheck {
    /// Size in bytes.
    pub bytes: u64,
    /// CRC-32 (IEEE), 8 hexadecimal digits.
    pub crc32: String,
}

impl FileCheck {
    /// The check of `bytes`.
    pub fn of(bytes: &[u8]) -> FileCheck {
        FileCheck {
            bytes: bytes.len() as u64,
            crc32: format!("{:08x}", crc32fast::hash(bytes)),
        }
    }

    /// The check of the file at `path`, read in blocks.
    pub fn of_file(path: &Path) -> io::Result<FileCheck> {
        let mut file = File::open(path)?;
        let mut hasher = crc32fast::Hasher::new();
        let mut buf = vec![0u8; 1 << 16];
        let mut bytes = 0u64;
        loop {
            let n = file.read(&mut buf)?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            bytes += n as u64;
        }
        Ok(FileCheck {
            bytes,
            crc32: format!("{:08x}", hasher.finalize()),
        })
    }
}

/// A file written straight into a staging directory (which becomes visible only as a
/// whole), checksummed as it is written.
#[derive(Debug)]
pub struct CheckedFile {
    writer: BufWriter<File>,
    hasher: crc32fast::Hasher,
    bytes: u64,
    path: PathBuf,
}

impl CheckedFile {
    /// Creates `path`.
    pub fn create(path: &Path) -> io::Result<CheckedFile> {
        Ok(CheckedFile {
            writer: BufWriter::with_capacity(1 << 16, File::create(path)?),
            hasher: crc32fast::Hasher::new(),
            bytes: 0,
            path: path.to_path_buf(),
        })
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Flushes the file to disk and returns its check.
    pub fn finish(self) -> io::Result<FileCheck> {
        let file = self.writer.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        Ok(FileCheck {
            bytes: self.bytes,
            crc32: format!("{:08x}", self.hasher.finalize()),
        })
    }
}

impl Write for CheckedFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.writer.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

/// Whether `name` is a file an `orgsim run` writes whatever its scenarios (data files, not
/// charts): one present but not in the manifest belongs to another run.
fn is_run_data(name: &str) -> bool {
    FILES.contains(&name) || name == COMPARISON_FILE
}

/// The manifest's record of the run: its id, its files and their checks.
#[derive(Debug)]
pub struct RunFiles {
    /// The run's id.
    pub run_id: String,
    /// The files, in the manifest's order.
    pub files: Vec<String>,
    /// Per file, its check (files being drawn have none yet).
    pub checks: BTreeMap<String, FileCheck>,
}

impl RunFiles {
    /// The run's record in its manifest (`None` if it has no run id or no checksums).
    pub fn from_manifest(manifest: &Manifest) -> Option<RunFiles> {
        if manifest.run_id.is_empty() || manifest.checksums.is_empty() {
            return None;
        }
        Some(RunFiles {
            run_id: manifest.run_id.clone(),
            files: manifest.files.clone(),
            checks: manifest.checksums.clone(),
        })
    }
}

/// Checks that `dir` (whose `manifest.json` is `manifest`) holds exactly one run's
/// output before a reader uses it: each data file the manifest lists has its recorded size,
/// the files in `read` (those about to be read) are there and match their checksums, and no
/// data file of another run lies beside them. A listed file deleted to save space (a large
/// `timeseries.csv`, a chart) is no mix, unless the reader needs it.
pub fn verify_run(dir: &Path, manifest: &Manifest, read: &[&str]) -> Result<RunFiles, DirError> {
    let mixed = |message: String| DirError::Mixed {
        dir: dir.to_path_buf(),
        message,
    };
    let run = RunFiles::from_manifest(manifest).ok_or_else(|| {
        mixed(
            "its manifest.json has no run id and file checksums (it was written by an older \
             orgsim, or by hand), so files of different runs cannot be told apart"
                .into(),
        )
    })?;
    for name in &run.files {
        let path = dir.join(name);
        let Some(check) = run.checks.get(name) else {
            continue;
        };
        if !is_run_data(name) {
            continue;
        }
        let size = match std::fs::metadata(&path) {
            Ok(m) => m.len(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                if read.contains(&name.as_str()) {
                    return Err(mixed(format!(
                        "{name}, listed in manifest.json, is missing"
                    )));
                }
                continue;
            }
            Err(e) => return Err(io_at(&path)(e)),
        };
        let differs = size != check.bytes
            || (read.contains(&name.as_str())
                && FileCheck::of_file(&path).map_err(io_at(&path))? != *check);
        if differs {
            return Err(mixed(format!(
                "{name} is not the file run {} wrote (its size or checksum differs from the one in manifest.json)",
                run.run_id
            )));
        }
    }
    let entries = std::fs::read_dir(dir).map_err(io_at(dir))?;
    for entry in entries {
        let name = entry.map_err(io_at(dir))?.file_name();
        let name = name.to_string_lossy();
        if is_run_data(&name) && name != "manifest.json" && !run.files.iter().any(|f| *f == name) {
            return Err(mixed(format!(
                "{name} is not part of run {} (manifest.json does not list it)",
                run.run_id
            )));
        }
    }
    Ok(run)
}
