//! Several reviews in progress, kept in local storage. Each save is atomic: the session is
//! written under a new key before the index points at it, so a reload in the middle of a
//! write finds the previous good state.

use crate::browser;
use serde::{Deserialize, Serialize};
use trustfill_core::review::{ReviewSession, SessionError};

/// The index of saved sessions.
const INDEX_KEY: &str = "trustfill.sessions";
/// Where the first version of the app kept its one session; read once and moved.
const LEGACY_SESSION_KEY: &str = "trustfill.session";
const LEGACY_SOURCE_KEY: &str = "trustfill.source";
/// Saved data that could not be read, kept for the user to download.
pub const SET_ASIDE_KEY: &str = "trustfill.unreadable";

/// One saved review, as the start page lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionMeta {
    pub id: String,
    pub file_name: String,
    pub questions: usize,
    /// Questions with a final (accepted or edited) answer.
    pub answered: usize,
    /// When it was last saved, in milliseconds since the epoch.
    pub updated: f64,
    /// The generation whose key holds the session.
    generation: u64,
}

fn session_key(id: &str, generation: u64) -> String {
    format!("trustfill.session.{id}.{generation}")
}

fn source_key(id: &str) -> String {
    format!("trustfill.source.{id}")
}

/// The saved sessions, most recent first. An unreadable index is set aside and reported.
pub fn list() -> Result<Vec<SessionMeta>, String> {
    let Some(json) = browser::load(INDEX_KEY) else { return Ok(Vec::new()) };
    match serde_json::from_str::<Vec<SessionMeta>>(&json) {
        Ok(mut list) => {
            list.sort_by(|a, b| b.updated.total_cmp(&a.updated));
            Ok(list)
        }
        Err(error) => {
            set_aside(&json);
            browser::remove(INDEX_KEY);
            Err(format!("The list of saved sessions was damaged ({error}); it was set aside."))
        }
    }
}

fn write_index(list: &[SessionMeta]) -> Result<(), String> {
    browser::save(INDEX_KEY, &serde_json::to_string(list).unwrap_or_default())
}

/// A new session id: the time, plus a counter against two in one millisecond.
pub fn new_id() -> String {
    let taken = list().unwrap_or_default();
    let base = format!("{:x}", browser::epoch_ms() as u64);
    (0..).map(|n| format!("{base}{n}")).find(|id| taken.iter().all(|m| &m.id != id)).unwrap_or(base)
}

/// Saves a session atomically: the new generation first, then the index, then the old
/// generation is removed. Returns the saved sessions as the index now lists them.
pub fn save(id: &str, session: &ReviewSession) -> Result<Vec<SessionMeta>, String> {
    let mut list = list().unwrap_or_default();
    let previous = list.iter().find(|m| m.id == id).map(|m| m.generation);
    let generation = previous.map_or(1, |g| g + 1);
    browser::save(&session_key(id, generation), &session.to_saved_json())
        .map_err(|e| format!("{e} Export your work, or close sessions you no longer need on the start page."))?;
    let meta = SessionMeta {
        id: id.to_owned(),
        file_name: session.questionnaire.file_name.clone(),
        questions: session.responses.len(),
        answered: session.responses.iter().filter(|r| r.status.is_final()).count(),
        updated: browser::epoch_ms(),
        generation,
    };
    list.retain(|m| m.id != id);
    list.push(meta);
    if let Err(error) = write_index(&list) {
        browser::remove(&session_key(id, generation));
        return Err(error);
    }
    if let Some(old) = previous {
        browser::remove(&session_key(id, old));
    }
    list.sort_by(|a, b| b.updated.total_cmp(&a.updated));
    Ok(list)
}

/// Saves the original file beside the session, once.
pub fn save_source(id: &str, bytes: &[u8]) -> Result<(), String> {
    use base64::Engine as _;
    browser::save(&source_key(id), &base64::engine::general_purpose::STANDARD.encode(bytes)).map_err(|e| {
        format!("{e} The review is saved, but the original file is too large to keep; import it again to fill it in.")
    })
}

pub fn load_source(id: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    browser::load(&source_key(id)).and_then(|s| base64::engine::general_purpose::STANDARD.decode(s).ok())
}

/// Why a saved session did not open.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadError {
    Missing,
    /// Damaged or from an unknown schema: the raw JSON was set aside for download.
    Unreadable(SessionError),
}

/// Loads a saved session. One that cannot be read is set aside, removed from the list, and
/// reported; never silently dropped.
pub fn load(id: &str) -> Result<ReviewSession, LoadError> {
    let meta = list().unwrap_or_default().into_iter().find(|m| m.id == id).ok_or(LoadError::Missing)?;
    let json = browser::load(&session_key(id, meta.generation)).ok_or(LoadError::Missing)?;
    ReviewSession::from_json(&json).map_err(|error| {
        set_aside(&json);
        remove(id);
        LoadError::Unreadable(error)
    })
}

/// Forgets a session and its source.
pub fn remove(id: &str) {
    let mut list = list().unwrap_or_default();
    if let Some(meta) = list.iter().find(|m| m.id == id) {
        browser::remove(&session_key(id, meta.generation));
    }
    browser::remove(&source_key(id));
    list.retain(|m| m.id != id);
    let _ = write_index(&list);
}

/// Keeps unreadable saved data under one key, appended, for the user to download.
fn set_aside(json: &str) {
    let mut kept = browser::load(SET_ASIDE_KEY).unwrap_or_default();
    if !kept.is_empty() {
        kept.push('\n');
    }
    kept.push_str(json);
    let _ = browser::save(SET_ASIDE_KEY, &kept);
}

/// Moves the single session of the app's first version into the list, once.
pub fn migrate_legacy() -> Option<String> {
    let json = browser::load(LEGACY_SESSION_KEY)?;
    browser::remove(LEGACY_SESSION_KEY);
    let source = browser::load(LEGACY_SOURCE_KEY);
    browser::remove(LEGACY_SOURCE_KEY);
    match ReviewSession::from_json(&json) {
        Ok(session) => {
            let id = new_id();
            save(&id, &session).ok()?;
            if let Some(encoded) = source {
                let _ = browser::save(&source_key(&id), &encoded);
            }
            Some(id)
        }
        Err(_) => {
            set_aside(&json);
            None
        }
    }
}
