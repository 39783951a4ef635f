//! Strict reading of the files orgsim writes. CSV files: the header must be the one the writer
//! writes, every row must have its fields, and a field that does not parse as its column's
//! type stops the reader with the file, line, column and value, rather than turning into a
//! missing or wrong number. Each file's module uses this to read its rows into its record
//! type. JSON files are read whole ([`read_json`]) and deserialized into their types
//! ([`from_json`]), naming the JSON path of a wrong value.

use std::fs::File;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// A result file that cannot be read as written.
#[derive(Debug, thiserror::Error)]
#[error("{}: {message}", path.display())]
pub struct FileError {
    /// The file.
    pub path: PathBuf,
    /// Where and what: "line 12: mean `abc` is not a number" (the column, then the value).
    pub message: String,
}

impl FileError {
    /// An error in the file at `path`.
    pub fn new(path: &Path, message: impl Into<String>) -> FileError {
        FileError {
            path: path.to_path_buf(),
            message: message.into(),
        }
    }
}

/// Reads the JSON file at `path` whole.
pub fn read_json(path: &Path) -> Result<Value, FileError> {
    let text = std::fs::read_to_string(path).map_err(|e| FileError::new(path, e.to_string()))?;
    serde_json::from_str(&text).map_err(|e| FileError::new(path, format!("not valid JSON: {e}")))
}

/// `value` (read from `path`) as a `T`: a missing or mistyped value is an error naming its
/// JSON path.
pub fn from_json<T: DeserializeOwned>(path: &Path, value: Value) -> Result<T, FileError> {
    serde_path_to_error::deserialize(value)
        .map_err(|e| FileError::new(path, format!("`{}`: {}", e.path(), e.inner())))
}

/// The text of a JSON file orgsim writes: pretty-printed, with a final newline.
pub fn json_text<T: Serialize>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("result types always serialize");
    text.push('\n');
    text
}

/// A CSV file read row by row, with its header checked.
pub struct CsvRows {
    reader: csv::Reader<File>,
    path: PathBuf,
    header: Vec<String>,
    record: csv::StringRecord,
    line: u64,
}

impl CsvRows {
    /// Opens `path` and checks that its header is `expected` (the writer's header).
    pub fn open(path: &Path, expected: &str) -> Result<CsvRows, FileError> {
        let rows = CsvRows::open_any(path)?;
        let found = rows.header.join(",");
        if found != expected {
            return Err(FileError::new(
                path,
                format!("line 1: the header is `{found}`, where orgsim writes `{expected}`"),
            ));
        }
        Ok(rows)
    }

    /// Opens `path` whatever its header (the caller checks it with [`CsvRows::header`]).
    pub fn open_any(path: &Path) -> Result<CsvRows, FileError> {
        let file = File::open(path).map_err(|e| FileError::new(path, e.to_string()))?;
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(file);
        let header = reader
            .headers()
            .map_err(|e| FileError::new(path, format!("line 1: {e}")))?
            .iter()
            .map(str::to_string)
            .collect();
        Ok(CsvRows {
            reader,
            path: path.to_path_buf(),
            header,
            record: csv::StringRecord::new(),
            line: 1,
        })
    }

    /// The line of the current row (1 is the header).
    pub fn line(&self) -> u64 {
        self.line
    }

    /// The header's column names.
    pub fn header(&self) -> &[String] {
        &self.header
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Moves to the next row; `false` at the end of the file. A row whose field count
    /// differs from the header's is an error.
    pub fn next_row(&mut self) -> Result<bool, FileError> {
        let more = self
            .reader
            .read_record(&mut self.record)
            .map_err(|e| self.error(e.to_string()))?;
        if more {
            self.line = self.record.position().map_or(self.line + 1, |p| p.line());
            if self.record.len() != self.header.len() {
                return Err(self.error(format!(
                    "{} fields where the header has {}",
                    self.record.len(),
                    self.header.len()
                )));
            }
        }
        Ok(more)
    }

    /// An error at the current line.
    pub fn error(&self, what: impl std::fmt::Display) -> FileError {
        FileError::new(&self.path, format!("line {}: {what}", self.line))
    }

    fn bad(&self, i: usize, what: &str) -> FileError {
        self.error(format!(
            "{} `{}` is not {what}",
            self.header[i], &self.record[i]
        ))
    }

    /// Field `i` as text.
    pub fn text(&self, i: usize) -> &str {
        &self.record[i]
    }

    /// Field `i` as an optional real: empty is undefined; anything else must be a finite
    /// number.
    pub fn real(&self, i: usize) -> Result<Option<f64>, FileError> {
        let text = &self.record[i];
        if text.is_empty() {
            return Ok(None);
        }
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(Some(v)),
            _ => Err(self.bad(i, "a number")),
        }
    }

    /// Field `i` as a count (a whole number, not negative).
    pub fn count(&self, i: usize) -> Result<u64, FileError> {
        self.record[i]
            .parse::<u64>()
            .map_err(|_| self.bad(i, "a count"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_file_line_column_and_value() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        std::fs::write(&path, "a,b\n1,2.5\n3,x\n4\n").unwrap();
        assert!(
            CsvRows::open(&path, "a,c")
                .err()
                .unwrap()
                .to_string()
                .contains("line 1: the header is `a,b`, where orgsim writes `a,c`")
        );
        let mut rows = CsvRows::open(&path, "a,b").unwrap();
        assert!(rows.next_row().unwrap());
        assert_eq!(
            (rows.count(0).unwrap(), rows.real(1).unwrap()),
            (1, Some(2.5))
        );
        assert!(rows.next_row().unwrap());
        let e = rows.real(1).unwrap_err().to_string();
        assert!(e.ends_with("t.csv: line 3: b `x` is not a number"), "{e}");
        let e = rows.next_row().unwrap_err().to_string();
        assert!(e.contains("line 4: 1 fields where the header has 2"), "{e}");
    }
}
