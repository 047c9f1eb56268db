//! The built-in library, embedded at build time from `answer-library/` by `build.rs`.

use super::{Entry, Library, LibraryError};
use crate::criteria::CriteriaCatalog;

include!(concat!(env!("OUT_DIR"), "/builtin_library.rs"));

/// The SOC 2 criteria catalogue shipped in `answer-library/criteria.json`.
pub fn criteria() -> CriteriaCatalog {
    CriteriaCatalog::from_json(CRITERIA_JSON).unwrap_or_default()
}

/// Reads every built-in entry file, in file-name order, reporting the first file that fails.
pub fn try_entries() -> Result<Vec<Entry>, (String, LibraryError)> {
    let mut entries = Vec::new();
    for (name, json) in ENTRY_FILES {
        entries.extend(Library::entries_from_json(json).map_err(|e| ((*name).to_owned(), e))?);
    }
    Ok(entries)
}

/// The built-in library. The library test proves every file parses, so a parse failure here
/// cannot ship; should one happen anyway, the bad file's entries are left out.
pub fn library() -> Library {
    let entries =
        ENTRY_FILES.iter().flat_map(|(_, json)| Library::entries_from_json(json).unwrap_or_default()).collect();
    Library::new(entries, criteria())
}
