//! The answer library: approved entries tied to SOC 2 criteria, and how it is read and hashed.

pub mod builtin;
pub mod check;
pub mod learn;
pub mod tabular;

use crate::criteria::{CriteriaCatalog, CriterionId};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Whether an entry may be used to answer questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryStatus {
    #[default]
    Approved,
    Draft,
    Retired,
}

/// One approved answer: the question it answers, how customers phrase it, the answer itself,
/// and the SOC 2 criteria it rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub id: String,
    pub question: String,
    #[serde(default)]
    pub alternates: Vec<String>,
    /// The short answer: Yes, No, N/A, Partial, or free text.
    pub answer: String,
    /// The explanation, one to four sentences.
    #[serde(default)]
    pub detail: String,
    #[serde(default)]
    pub controls: Vec<CriterionId>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub owner: String,
    /// The last review date, `YYYY-MM-DD`.
    #[serde(default)]
    pub reviewed: String,
    #[serde(default)]
    pub status: EntryStatus,
    #[serde(default)]
    pub evidence: Vec<String>,
}

impl Entry {
    /// Every phrasing of the entry's question: the canonical one first, then the alternates.
    pub fn phrasings(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.question.as_str()).chain(self.alternates.iter().map(String::as_str))
    }
}

/// Why a library could not be read. Each message is one plain sentence for the user.
#[derive(Debug, thiserror::Error)]
pub enum LibraryError {
    #[error("The library file is not a library Trustfill reads: {}.", crate::import::json_problem(.0))]
    Json(#[from] serde_json::Error),
    #[error("The library file has no usable rows: {0}.")]
    Table(String),
    /// An XLSX library that cannot be read as a workbook: the import's own sentence.
    #[error(transparent)]
    Workbook(#[from] crate::import::ImportError),
    /// The number of entries, over [`crate::limits::MAX_LIBRARY_ENTRIES`].
    #[error(
        "The library holds {} entries, more than the {} entries Trustfill reads.",
        crate::limits::count(*.0),
        crate::limits::count(crate::limits::MAX_LIBRARY_ENTRIES)
    )]
    TooLarge(usize),
    /// The file's size in bytes, over [`crate::limits::MAX_FILE_BYTES`].
    #[error(
        "The library file is {}; Trustfill reads library files up to {}.",
        crate::limits::megabytes(*.0 as u64),
        crate::limits::megabytes(crate::limits::MAX_FILE_BYTES as u64)
    )]
    FileTooLarge(usize),
}

/// The entries in use, the criteria catalogue, and a content hash as the version.
#[derive(Debug, Clone, PartialEq)]
pub struct Library {
    pub entries: Vec<Entry>,
    pub criteria: CriteriaCatalog,
    version: String,
}

/// The shapes a library JSON file may take.
#[derive(Deserialize)]
#[serde(untagged)]
enum LibraryFile {
    Wrapped { entries: Vec<Entry> },
    Bare(Vec<Entry>),
}

impl Library {
    pub fn new(entries: Vec<Entry>, criteria: CriteriaCatalog) -> Self {
        let version = content_hash(&entries);
        Self { entries, criteria, version }
    }

    /// A short hex digest of the entries, stable across platforms: the library version.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Reads entries from a library JSON file: `{"entries": [...]}` or a bare array.
    pub fn entries_from_json(json: &str) -> Result<Vec<Entry>, LibraryError> {
        let entries = match serde_json::from_str::<LibraryFile>(json)? {
            LibraryFile::Wrapped { entries } | LibraryFile::Bare(entries) => entries,
        };
        if entries.len() > crate::limits::MAX_LIBRARY_ENTRIES {
            return Err(LibraryError::TooLarge(entries.len()));
        }
        Ok(entries)
    }

    /// The library as the portable JSON file that [`Library::entries_from_json`] reads back.
    pub fn to_json(&self) -> String {
        let file =
            serde_json::json!({ "format": "trustfill-library", "version": self.version, "entries": self.entries });
        serde_json::to_string_pretty(&file).unwrap_or_default()
    }

    /// Reads library entries from a JSON, CSV or XLSX file, chosen by its name. A file over
    /// the size limit is refused before it is parsed.
    pub fn entries_from_file(bytes: &[u8], file_name: &str) -> Result<Vec<Entry>, LibraryError> {
        if bytes.len() > crate::limits::MAX_FILE_BYTES {
            return Err(LibraryError::FileTooLarge(bytes.len()));
        }
        let lower = file_name.to_ascii_lowercase();
        if lower.ends_with(".json") {
            let text =
                std::str::from_utf8(bytes).map_err(|_| LibraryError::Table("the file is not UTF-8 text".into()))?;
            Self::entries_from_json(text)
        } else if lower.ends_with(".xlsx") || lower.ends_with(".xlsm") {
            let grids = crate::import::spreadsheet::read_xlsx(bytes)?;
            let grid = grids
                .into_iter()
                .find(|g| !g.hidden)
                .ok_or_else(|| LibraryError::Table("the workbook has no sheet".into()))?;
            let width = grid.rows.values().flat_map(|r| r.iter().map(|c| c.col + 1)).max().unwrap_or(0);
            let rows: Vec<Vec<String>> =
                grid.rows.keys().map(|&r| (0..width).map(|c| grid.text(r, c).to_owned()).collect()).collect();
            tabular::entries_from_rows(&rows)
        } else {
            tabular::entries_from_rows(&crate::import::csv::rows(bytes))
        }
    }

    pub fn entry(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id)
    }

    /// Entries that may answer questions.
    pub fn approved(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.status == EntryStatus::Approved)
    }
}

fn content_hash(entries: &[Entry]) -> String {
    let mut hasher = Sha256::new();
    for entry in entries {
        hasher.update(serde_json::to_vec(entry).unwrap_or_default());
        hasher.update([0u8]);
    }
    hasher.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect()
}
