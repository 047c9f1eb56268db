//! The built-in library, embedded at build time from `answer-library/` by `build.rs`.

use super::profile::Soc2Profile;
use super::{Entry, Library, LibraryError};
use crate::criteria::CriteriaCatalog;

include!(concat!(env!("OUT_DIR"), "/builtin_library.rs"));

/// The SOC 2 criteria catalogue shipped in `answer-library/criteria.json`.
pub fn criteria() -> CriteriaCatalog {
    CriteriaCatalog::from_json(CRITERIA_JSON).unwrap_or_default()
}

/// The SOC 2 profile shipped in `answer-library/profile.json`, or the reason it cannot be read.
pub fn try_profile() -> Result<Soc2Profile, serde_json::Error> {
    Soc2Profile::from_json(PROFILE_JSON)
}

/// Reads every built-in entry file, in file-name order, reporting the first file that fails.
pub fn try_entries() -> Result<Vec<Entry>, (String, LibraryError)> {
    let mut entries = Vec::new();
    for (name, json) in ENTRY_FILES {
        entries.extend(Library::entries_from_json(json).map_err(|e| ((*name).to_owned(), e))?);
    }
    Ok(entries)
}

/// The built-in library, with its SOC 2 profile. The library test proves every file parses,
/// so a parse failure here cannot ship; should one happen anyway, the bad file's entries (or
/// the profile) are left out.
pub fn library() -> Library {
    let entries =
        ENTRY_FILES.iter().flat_map(|(_, json)| Library::entries_from_json(json).unwrap_or_default()).collect();
    Library::with_profile(entries, criteria(), try_profile().ok())
}
