//! The answer library: approved entries tied to SOC 2 criteria, and how it is read and hashed.

pub mod browse;
pub mod builtin;
pub mod check;
pub mod edit;
pub mod exchange;
pub mod learn;
pub mod profile;
pub mod tabular;

use crate::criteria::{CriteriaCatalog, CriterionId};
use profile::{ProfileFact, Soc2Profile};
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
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
    /// Evidence references: a policy and section, a report section, a trust-centre document.
    /// They are names to look up, never links, and nothing ever fetches them.
    #[serde(default)]
    pub evidence: Vec<String>,
    /// Phrasings learned from reviews, used for matching at once and listed on the library
    /// page until the owner approves them (they become alternates) or dismisses them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub learned: Vec<String>,
    /// The fact about the SOC 2 report that this entry states. Its answer and detail are then
    /// written from the library's profile (see [`profile::answers`]), never by hand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_profile: Option<ProfileFact>,
}

impl Entry {
    /// Every phrasing of the entry's question: the canonical one first, then the alternates,
    /// then the phrasings learned from reviews.
    pub fn phrasings(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.question.as_str())
            .chain(self.alternates.iter().map(String::as_str))
            .chain(self.learned.iter().map(String::as_str))
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
    #[error("The library's SOC 2 profile cannot be read: {0}.")]
    Profile(String),
    /// The file's size in bytes, over [`crate::limits::MAX_FILE_BYTES`].
    #[error(
        "The library file is {}; Trustfill reads library files up to {}.",
        crate::limits::megabytes(*.0 as u64),
        crate::limits::megabytes(crate::limits::MAX_FILE_BYTES as u64)
    )]
    FileTooLarge(usize),
}

/// The entries in use, the criteria catalogue, the SOC 2 profile, and a content hash as the
/// version.
#[derive(Debug, Clone, PartialEq)]
pub struct Library {
    pub entries: Vec<Entry>,
    pub criteria: CriteriaCatalog,
    profile: Option<Soc2Profile>,
    version: String,
}

/// What a library JSON file holds: its entries, and its SOC 2 profile when it has one.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LibraryContents {
    pub entries: Vec<Entry>,
    pub profile: Option<Soc2Profile>,
}

impl Library {
    /// A library without a SOC 2 profile: profile answers keep their stored text.
    pub fn new(entries: Vec<Entry>, criteria: CriteriaCatalog) -> Self {
        Self::with_profile(entries, criteria, None)
    }

    /// A library with its SOC 2 profile. Every entry that states a profile fact gets its
    /// answer and detail from the profile, so they always agree with it.
    pub fn with_profile(mut entries: Vec<Entry>, criteria: CriteriaCatalog, profile: Option<Soc2Profile>) -> Self {
        profile::answers::resolve(&mut entries, profile.as_ref());
        let version = content_hash(&entries, profile.as_ref());
        Self { entries, criteria, profile, version }
    }

    /// This library with other entries: the same criteria and profile.
    pub fn with_entries(&self, entries: Vec<Entry>) -> Self {
        Self::with_profile(entries, self.criteria.clone(), self.profile.clone())
    }

    /// The SOC 2 profile, when the library has one.
    pub fn profile(&self) -> Option<&Soc2Profile> {
        self.profile.as_ref()
    }

    /// Replaces the SOC 2 profile (or removes it), rewriting the profile answers and renewing
    /// the version.
    pub fn set_profile(&mut self, profile: Option<Soc2Profile>) {
        let entries = std::mem::take(&mut self.entries);
        *self = Self::with_profile(entries, std::mem::take(&mut self.criteria), profile);
    }

    /// A short hex digest of the entries and the profile, stable across platforms: the
    /// library version.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Reads entries from a library JSON file: `{"entries": [...]}` or a bare array. A
    /// profile in the file is checked but left out; [`Library::contents_from_json`] keeps it.
    pub fn entries_from_json(json: &str) -> Result<Vec<Entry>, LibraryError> {
        Ok(Self::contents_from_json(json)?.entries)
    }

    /// Reads a library JSON file: `{"profile": {...}, "entries": [...]}` (the profile is
    /// optional) or a bare array of entries.
    pub fn contents_from_json(json: &str) -> Result<LibraryContents, LibraryError> {
        let value: serde_json::Value = serde_json::from_str(json)?;
        let (entries, profile) = match value {
            serde_json::Value::Array(_) => (value, None),
            serde_json::Value::Object(mut file) => {
                let entries = file.remove("entries").unwrap_or(serde_json::Value::Null);
                (entries, file.remove("profile").filter(|p| !p.is_null()))
            }
            _ => (serde_json::Value::Null, None),
        };
        let entries: Vec<Entry> = serde_json::from_value(entries)?;
        if entries.len() > crate::limits::MAX_LIBRARY_ENTRIES {
            return Err(LibraryError::TooLarge(entries.len()));
        }
        let profile = profile
            .map(serde_json::from_value::<Soc2Profile>)
            .transpose()
            .map_err(|e| LibraryError::Profile(e.to_string()))?;
        Ok(LibraryContents { entries, profile })
    }

    /// Reads a library JSON file, profile and all (see [`Library::contents_from_json`]).
    pub fn from_json(json: &str, criteria: CriteriaCatalog) -> Result<Self, LibraryError> {
        let contents = Self::contents_from_json(json)?;
        Ok(Self::with_profile(contents.entries, criteria, contents.profile))
    }

    /// The library as the portable JSON file that [`Library::from_json`] reads back, with
    /// the SOC 2 profile when there is one. (The CSV and XLSX library formats hold entries
    /// only: they cannot carry the profile.)
    pub fn to_json(&self) -> String {
        let mut file = serde_json::json!({ "format": "trustfill-library", "version": self.version });
        if let Some(profile) = &self.profile {
            file["profile"] = serde_json::to_value(profile).unwrap_or_default();
        }
        file["entries"] = serde_json::to_value(&self.entries).unwrap_or_default();
        serde_json::to_string_pretty(&file).unwrap_or_default()
    }

    /// Reads library entries from a JSON, CSV or XLSX file, chosen by its name (see
    /// [`Library::contents_from_file`]).
    pub fn entries_from_file(bytes: &[u8], file_name: &str) -> Result<Vec<Entry>, LibraryError> {
        Ok(Self::contents_from_file(bytes, file_name)?.entries)
    }

    /// Reads a library file, chosen by its name: a JSON file with its SOC 2 profile when it
    /// has one, or a CSV or XLSX table (entries only). A file over the size limit is refused
    /// before it is parsed.
    pub fn contents_from_file(bytes: &[u8], file_name: &str) -> Result<LibraryContents, LibraryError> {
        if bytes.len() > crate::limits::MAX_FILE_BYTES {
            return Err(LibraryError::FileTooLarge(bytes.len()));
        }
        let lower = file_name.to_ascii_lowercase();
        if lower.ends_with(".json") {
            let text =
                std::str::from_utf8(bytes).map_err(|_| LibraryError::Table("the file is not UTF-8 text".into()))?;
            return Self::contents_from_json(text);
        }
        let entries = if lower.ends_with(".xlsx") || lower.ends_with(".xlsm") {
            let grids = crate::import::spreadsheet::read_xlsx(bytes)?;
            let grid = grids
                .into_iter()
                .find(|g| !g.hidden)
                .ok_or_else(|| LibraryError::Table("the workbook has no sheet".into()))?;
            let width = grid.rows.values().flat_map(|r| r.iter().map(|c| c.col + 1)).max().unwrap_or(0);
            let rows: Vec<Vec<String>> =
                grid.rows.keys().map(|&r| (0..width).map(|c| grid.text(r, c).to_owned()).collect()).collect();
            tabular::entries_from_rows(&rows)?
        } else {
            tabular::entries_from_rows(&crate::import::csv::rows(bytes))?
        };
        Ok(LibraryContents { entries, profile: None })
    }

    pub fn entry(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id)
    }

    /// Entries that may answer questions.
    pub fn approved(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.status == EntryStatus::Approved)
    }
}

fn content_hash(entries: &[Entry], profile: Option<&Soc2Profile>) -> String {
    let mut hasher = Sha256::new();
    for entry in entries {
        hasher.update(serde_json::to_vec(entry).unwrap_or_default());
        hasher.update([0u8]);
    }
    if let Some(profile) = profile {
        hasher.update(b"profile");
        hasher.update(serde_json::to_vec(profile).unwrap_or_default());
    }
    hasher.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect()
}
