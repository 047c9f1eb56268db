//! Several answer libraries kept in local storage (one per product line, say), and which one
//! answers new questionnaires. Each library is one key, written whole, so a save is atomic.

use crate::browser;
use serde::{Deserialize, Serialize};
use trustfill_core::library::{builtin, Library};

/// The index: which libraries there are and which is in use.
const INDEX_KEY: &str = "trustfill.libraries";
/// Where an earlier version kept its one changed library; read once and moved.
const LEGACY_KEY: &str = "trustfill.library";
/// The id of the library that starts as the built-in one.
pub const BUILTIN_ID: &str = "builtin";

/// One library, as the pickers list it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LibraryMeta {
    pub id: String,
    pub name: String,
    pub entries: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Index {
    active: String,
    libraries: Vec<LibraryMeta>,
}

fn library_key(id: &str) -> String {
    format!("trustfill.library.{id}")
}

fn builtin_meta() -> LibraryMeta {
    LibraryMeta {
        id: BUILTIN_ID.into(),
        name: "Sample library (built in)".into(),
        entries: builtin::library().entries.len(),
    }
}

fn read_index() -> Index {
    browser::load(INDEX_KEY)
        .and_then(|json| serde_json::from_str::<Index>(&json).ok())
        .filter(|index| index.libraries.iter().any(|l| l.id == index.active))
        .unwrap_or_else(|| Index { active: BUILTIN_ID.into(), libraries: vec![builtin_meta()] })
}

fn write_index(index: &Index) -> Result<(), String> {
    browser::save(INDEX_KEY, &serde_json::to_string(index).unwrap_or_default())
}

/// The libraries, in the order they were made, and the id of the one in use.
pub fn list() -> (Vec<LibraryMeta>, String) {
    let index = read_index();
    (index.libraries, index.active)
}

/// Reads a library by id. The built-in library, never changed, is the shipped one. A saved
/// library that no longer reads gives a message; the caller falls back to the built-in one.
pub fn load(id: &str) -> Result<Library, String> {
    match browser::load(&library_key(id)) {
        None if id == BUILTIN_ID => Ok(builtin::library()),
        None => Err("That library is no longer saved in this browser.".into()),
        Some(json) => Library::from_json(&json, builtin::criteria()).map_err(|error| {
            browser::save(crate::sessions::SET_ASIDE_KEY, &json).ok();
            format!("The saved library could not be read ({error}); it was set aside and the sample library is in use.")
        }),
    }
}

/// At start-up: moves a library saved by an earlier version under the built-in id, then
/// reads the library in use. Returns the libraries, the id of the one in use, and it.
pub fn restore() -> (Vec<LibraryMeta>, String, Result<Library, String>) {
    if let Some(json) = browser::load(LEGACY_KEY) {
        if browser::save(&library_key(BUILTIN_ID), &json).is_ok() {
            browser::remove(LEGACY_KEY);
        }
    }
    let (libraries, active) = list();
    let library = load(&active);
    (libraries, active, library)
}

/// Saves a library under its id, creating its index line with `name` when it is new, and
/// makes it the one in use. Returns the updated list.
pub fn save(id: &str, name: Option<&str>, library: &Library) -> Result<Vec<LibraryMeta>, String> {
    browser::save(&library_key(id), &library.to_json())
        .map_err(|e| format!("{e} Export the library, or delete libraries you no longer need."))?;
    let mut index = read_index();
    match index.libraries.iter_mut().find(|l| l.id == id) {
        Some(meta) => {
            meta.entries = library.entries.len();
            if let Some(name) = name {
                meta.name = name.to_owned();
            }
        }
        None => index.libraries.push(LibraryMeta {
            id: id.to_owned(),
            name: name.unwrap_or("Untitled library").to_owned(),
            entries: library.entries.len(),
        }),
    }
    index.active = id.to_owned();
    write_index(&index)?;
    Ok(index.libraries)
}

/// Makes another saved library the one in use.
pub fn activate(id: &str) -> Result<(), String> {
    let mut index = read_index();
    if !index.libraries.iter().any(|l| l.id == id) {
        return Err("That library is no longer saved in this browser.".into());
    }
    index.active = id.to_owned();
    write_index(&index)
}

/// Deletes a library. The built-in one goes back to the shipped entries instead. Returns the
/// libraries left and the id of the one now in use.
pub fn delete(id: &str) -> Result<(Vec<LibraryMeta>, String), String> {
    browser::remove(&library_key(id));
    let mut index = read_index();
    if id == BUILTIN_ID {
        if let Some(meta) = index.libraries.iter_mut().find(|l| l.id == BUILTIN_ID) {
            *meta = builtin_meta();
        }
    } else {
        index.libraries.retain(|l| l.id != id);
    }
    if !index.libraries.iter().any(|l| l.id == index.active) {
        index.active = BUILTIN_ID.into();
    }
    write_index(&index)?;
    Ok((index.libraries, index.active))
}

/// A new library id, from the time.
pub fn new_id() -> String {
    let (taken, _) = list();
    let base = format!("lib{:x}", browser::epoch_ms() as u64);
    (0..).map(|n| format!("{base}{n}")).find(|id| taken.iter().all(|m| &m.id != id)).unwrap_or(base)
}
