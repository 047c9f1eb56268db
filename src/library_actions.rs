//! The library page's actions on the app state: edit, retire and restore entries, approve
//! learned phrasings, import with a preview, export, and keep several libraries.

use crate::browser;
use crate::libraries;
use crate::state::AppState;
use leptos::prelude::*;
use std::collections::BTreeSet;
use trustfill_core::library::edit::{self, EntryForm};
use trustfill_core::library::exchange::{self, ImportMode, ImportPreview};
use trustfill_core::library::learn;
use trustfill_core::library::{builtin, Entry, EntryStatus, Library};

/// The id under which a portal's library is kept.
const PORTAL_ID: &str = "portal";

impl AppState {
    /// Changes the library, and brings the matcher along for the entries `touched` (by id)
    /// without rebuilding it. A matcher that was already behind is left to be rebuilt when
    /// next needed.
    pub(crate) fn change_library(&self, touched: &[String], change: impl FnOnce(&mut Library)) {
        let before = self.library.with_value(|lib| lib.version().to_owned());
        self.library.update_value(change);
        if self.matcher_version.with_value(|v| *v == before) {
            self.library.with_value(|lib| {
                self.matcher.update_value(|m| {
                    for id in touched {
                        match lib.entry(id) {
                            Some(entry) if entry.status == EntryStatus::Approved => m.upsert(entry),
                            _ => m.remove(id),
                        }
                    }
                });
                self.matcher_version.set_value(lib.version().to_owned());
            });
        }
    }

    /// Saves the library in use under its id; tells the user and returns false when the
    /// browser refuses.
    pub(crate) fn persist_library(&self) -> bool {
        let id = self.library_id.get_untracked();
        let result = self.library.with_value(|lib| libraries::save(&id, None, lib));
        self.library_revision.update(|r| *r += 1);
        match result {
            Ok(list) => {
                self.libraries.set(list);
                true
            }
            Err(message) => {
                self.warn(message);
                false
            }
        }
    }

    /// Replaces the library's entries wholesale (an import); the matcher is rebuilt lazily.
    fn set_entries(&self, entries: Vec<Entry>) {
        self.library.update_value(|lib| *lib = lib.with_entries(entries));
    }

    /// Saves an entry from the editor: `original` is the id it had (None for a new entry).
    /// Returns the problems, in words, when the form does not make a valid entry.
    pub fn save_entry(&self, form: &EntryForm, original: Option<&str>) -> Result<(), Vec<String>> {
        let entry = self.library.with_value(|lib| {
            let taken = lib.entries.iter().map(|e| e.id.as_str()).filter(|id| Some(*id) != original);
            form.to_entry(&lib.criteria, taken)
        });
        let entry = entry.map_err(|problems| problems.iter().map(ToString::to_string).collect::<Vec<_>>())?;
        let mut touched = vec![entry.id.clone()];
        touched.extend(original.map(str::to_owned));
        self.change_library(&touched, |lib| {
            let mut entries = std::mem::take(&mut lib.entries);
            match original.and_then(|old| entries.iter().position(|e| e.id == old)) {
                Some(position) => entries[position] = entry.clone(),
                None => entries.push(entry.clone()),
            }
            *lib = lib.with_entries(entries);
        });
        if self.persist_library() {
            self.tell(format!("Saved library entry {}.", entry.id));
        }
        Ok(())
    }

    /// Retires, restores (approves) or drafts an entry.
    pub fn set_entry_status(&self, id: &str, status: EntryStatus) {
        let Some(mut entry) = self.library.with_value(|lib| lib.entry(id).cloned()) else { return };
        entry.status = status;
        self.change_library(&[entry.id.clone()], |lib| learn::replace(lib, entry));
        if self.persist_library() {
            let done = match status {
                EntryStatus::Approved => "approved and used for matching",
                EntryStatus::Draft => "set back to draft",
                EntryStatus::Retired => "retired; it no longer answers questions",
            };
            self.tell(format!("Entry {id} {done}."));
        }
    }

    /// Approves (true) or dismisses (false) a phrasing learned from a review.
    pub fn decide_learned(&self, id: &str, phrasing: &str, approve: bool) {
        let Some(mut entry) = self.library.with_value(|lib| lib.entry(id).cloned()) else { return };
        let changed = if approve {
            edit::approve_learned(&mut entry, phrasing)
        } else {
            edit::dismiss_learned(&mut entry, phrasing)
        };
        if !changed {
            return;
        }
        self.change_library(&[entry.id.clone()], |lib| learn::replace(lib, entry));
        if self.persist_library() {
            let done = if approve { "is now an alternate phrasing of" } else { "was dismissed from" };
            self.tell(format!("\"{phrasing}\" {done} entry {id}."));
        }
    }

    /// Reads a library file and compares it with the library in use, changing nothing.
    /// The core refuses an oversized file before parsing it, in one sentence.
    pub fn preview_library_import(&self, name: &str, bytes: &[u8]) -> Result<ImportPreview, String> {
        self.library
            .with_value(|lib| exchange::preview_file(lib, bytes, name))
            .map_err(|error| format!("{name}: {error}"))
    }

    /// Applies an import the user has previewed: into the library in use (merge or replace),
    /// or as a new library with the given name.
    pub fn apply_library_import(
        &self,
        preview: &ImportPreview,
        mode: ImportMode,
        overwrite: &BTreeSet<String>,
        new_library: Option<String>,
    ) {
        let started = browser::now_ms();
        match new_library {
            Some(name) => {
                let entries = preview.apply(&[], ImportMode::Replace, &BTreeSet::new());
                self.adopt_new_library(
                    &name,
                    Library::with_profile(entries, builtin::criteria(), preview.profile.clone()),
                );
            }
            None => {
                let entries = self.library.with_value(|lib| preview.apply(&lib.entries, mode, overwrite));
                let count = entries.len();
                self.set_entries(entries);
                // A file's profile is taken when the library has none; replacing one needs
                // the profile editor, so that no profile is overwritten by an import.
                if self.library.with_value(|lib| lib.profile().is_none()) && preview.profile.is_some() {
                    self.library.update_value(|lib| lib.set_profile(preview.profile.clone()));
                }
                if self.persist_library() {
                    self.tell(format!("Imported: the library now has {count} entries."));
                }
            }
        }
        browser::record_timing("library_import_ms", browser::now_ms() - started);
    }

    /// Switches to another saved library for new questionnaires.
    pub fn switch_library(&self, id: &str) {
        match libraries::activate(id).and_then(|()| libraries::load(id)) {
            Ok(library) => {
                let count = library.entries.len();
                self.library.set_value(library);
                self.library_id.set(id.to_owned());
                self.library_revision.update(|r| *r += 1);
                let name = self.libraries.with_untracked(|l| l.iter().find(|m| m.id == id).map(|m| m.name.clone()));
                self.tell(format!("Now using \"{}\" ({count} entries).", name.unwrap_or_default()));
            }
            Err(message) => self.warn(message),
        }
    }

    /// Makes a new library: empty, or a copy of the one in use.
    pub fn new_library(&self, name: &str, copy: bool) {
        let name = if name.trim().is_empty() { "Untitled library" } else { name.trim() };
        let library = if copy { self.library.get_value() } else { Library::new(Vec::new(), builtin::criteria()) };
        self.adopt_new_library(name, library);
    }

    /// Saves a library under a new id and name, and makes it the one in use.
    fn adopt_new_library(&self, name: &str, library: Library) {
        let id = libraries::new_id();
        match libraries::save(&id, Some(name), &library) {
            Ok(list) => {
                self.libraries.set(list);
                self.library_id.set(id);
                self.library.set_value(library);
                self.library_revision.update(|r| *r += 1);
                self.tell(format!("Made the library \"{name}\"; it is now in use."));
            }
            Err(message) => self.warn(message),
        }
    }

    /// Loads the library a portal names (`data-library`, same origin only) and uses it,
    /// saved as the "Portal library" so that it stays pickable.
    pub fn load_portal_library(&self, url: String) {
        let state = *self;
        leptos::task::spawn_local(async move {
            match crate::embed::fetch_same_origin(&url).await {
                Ok(json) => match Library::from_json(&json, builtin::criteria()) {
                    Ok(library) => match libraries::save(PORTAL_ID, Some("Portal library"), &library) {
                        Ok(list) => {
                            state.libraries.set(list);
                            let count = library.entries.len();
                            state.library.set_value(library);
                            state.library_id.set(PORTAL_ID.to_owned());
                            state.library_revision.update(|r| *r += 1);
                            state.tell(format!("Using the portal's library ({count} entries)."));
                        }
                        Err(message) => state.warn(message),
                    },
                    Err(error) => state.warn(format!("The portal's library could not be read: {error}.")),
                },
                Err(message) => state.warn(message),
            }
        });
    }

    /// Sets the library's SOC 2 profile (already validated): the report answers are written
    /// from it and the matcher is rebuilt when next needed.
    pub fn set_profile(&self, profile: trustfill_core::library::profile::Soc2Profile) {
        self.library.update_value(|lib| lib.set_profile(Some(profile)));
        if self.persist_library() {
            self.tell("Saved the SOC 2 profile; answers about the report now follow it.");
        }
    }

    /// Deletes the library in use (the sample library goes back to its shipped entries).
    pub fn delete_library(&self) {
        let id = self.library_id.get_untracked();
        match libraries::delete(&id) {
            Ok((list, active)) => {
                self.libraries.set(list);
                self.switch_library(&active);
            }
            Err(message) => self.warn(message),
        }
    }

    /// Downloads the library in use as `json`, `csv` or `xlsx`.
    pub fn export_library(&self, format: &str) {
        let stem = self.libraries.with_untracked(|list| {
            let id = self.library_id.get_untracked();
            list.iter().find(|m| m.id == id).map(|m| file_stem(&m.name)).unwrap_or_else(|| "library".into())
        });
        let file = self.library.with_value(|lib| match format {
            "csv" => Ok((exchange::to_csv(&lib.entries), "text/csv")),
            "xlsx" => exchange::to_xlsx(&lib.entries)
                .map(|bytes| (bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
                .map_err(|e| e.to_string()),
            _ => Ok((lib.to_json().into_bytes(), "application/json")),
        });
        let name = format!("{stem}.{format}");
        match file.and_then(|(bytes, mime)| browser::download(&bytes, &name, mime)) {
            Ok(()) => {
                self.emit("exported", serde_json::json!({ "file": name, "format": format, "what": "library" }));
                self.tell(format!("Downloaded {name}."));
            }
            Err(message) => self.warn(message),
        }
    }
}

/// A file name stem from a library's name: lower case, dashes for anything else.
fn file_stem(name: &str) -> String {
    let stem: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    let stem = stem.split('-').filter(|s| !s.is_empty()).collect::<Vec<_>>().join("-");
    format!("trustfill-{}", if stem.is_empty() { "library" } else { &stem })
}
