//! App state: the library, the matcher and the review session, and the actions the pages
//! call. Every change is saved before it is reported done.

use crate::browser;
use base64::Engine as _;
use leptos::prelude::*;
use trustfill_core::export;
use trustfill_core::library::{builtin, Library};
use trustfill_core::matching::Matcher;
use trustfill_core::review::{Response, ReviewAction, ReviewSession};

const SESSION_KEY: &str = "trustfill.session";
const SOURCE_KEY: &str = "trustfill.source";
const SET_ASIDE_KEY: &str = "trustfill.session.unreadable";

/// Which page is showing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Start,
    Review,
}

/// A message for the user, shown in the notice bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub error: bool,
    pub text: String,
}

/// Everything the pages share. `Copy`, so components take it by value.
#[derive(Clone, Copy)]
pub struct AppState {
    pub library: StoredValue<Library>,
    pub matcher: StoredValue<Matcher>,
    pub session: StoredValue<Option<ReviewSession>>,
    source: StoredValue<Option<Vec<u8>>>,
    /// One signal per question, so that a change re-renders only its own row.
    pub rows: RwSignal<Vec<RwSignal<Response>>>,
    /// Bumped on every change, for the counts and the progress bar.
    pub revision: RwSignal<u64>,
    pub page: RwSignal<Page>,
    pub notice: RwSignal<Option<Notice>>,
    pub selected: RwSignal<usize>,
    /// The app's root owner. Row signals are created under it, so that they outlive the page
    /// whose event handler made them.
    owner: StoredValue<Owner>,
}

impl Default for AppState {
    fn default() -> Self {
        Self::new()
    }
}

impl AppState {
    /// Builds the state with the built-in library. Call it inside the app's root component,
    /// whose owner then owns every signal here.
    pub fn new() -> Self {
        let library = builtin::library();
        let matcher = Matcher::new(&library);
        Self {
            library: StoredValue::new(library),
            matcher: StoredValue::new(matcher),
            session: StoredValue::new(None),
            source: StoredValue::new(None),
            rows: RwSignal::new(Vec::new()),
            revision: RwSignal::new(0),
            page: RwSignal::new(Page::Start),
            notice: RwSignal::new(None),
            selected: RwSignal::new(0),
            owner: StoredValue::new(Owner::current().unwrap_or_default()),
        }
    }

    pub fn tell(&self, text: impl Into<String>) {
        self.notice.set(Some(Notice { error: false, text: text.into() }));
    }

    pub fn warn(&self, text: impl Into<String>) {
        self.notice.set(Some(Notice { error: true, text: text.into() }));
    }

    /// Imports a file, matches every question and opens the review.
    pub fn open_file(&self, name: &str, bytes: Vec<u8>) {
        let started = browser::now_ms();
        let questionnaire = match trustfill_core::import_questionnaire(&bytes, name) {
            Ok(q) => q,
            Err(error) => {
                self.warn(format!("{name}: {error}"));
                return;
            }
        };
        let imported = browser::now_ms();
        if questionnaire.questions.is_empty() {
            self.warn(format!("{name}: no questions were found in this file. Check that it is a questionnaire with one question per row."));
            return;
        }
        let suggestions =
            self.matcher.with_value(|m| m.match_all(questionnaire.questions.iter().map(|q| q.text.as_str())));
        let matched = browser::now_ms();
        let session =
            self.library.with_value(|lib| ReviewSession::new(questionnaire, suggestions, &lib.entries, lib.version()));
        let count = session.questionnaire.questions.len();
        self.source.set_value(Some(bytes));
        self.install(session);
        self.persist();
        browser::record_timing("import_ms", imported - started);
        browser::record_timing("match_ms", matched - imported);
        self.tell(format!("{name}: {count} questions imported and matched."));
    }

    fn install(&self, session: ReviewSession) {
        let rows = self
            .owner
            .with_value(|owner| owner.with(|| session.responses.iter().cloned().map(RwSignal::new).collect()));
        self.session.set_value(Some(session));
        self.replace_rows(rows);
        self.selected.set(0);
        self.revision.update(|r| *r += 1);
        self.page.set(Page::Review);
    }

    /// Swaps in new row signals and disposes of the old ones, which nothing else holds.
    fn replace_rows(&self, rows: Vec<RwSignal<Response>>) {
        let old = self.rows.get_untracked();
        self.rows.set(rows);
        old.into_iter().for_each(|signal| signal.dispose());
    }

    /// Applies a review action, saves, then updates the rows it changed.
    pub fn apply(&self, action: ReviewAction) -> usize {
        let changed = self.session.try_update_value(|s| s.as_mut().map_or(0, |s| s.apply(action))).unwrap_or(0);
        self.after_change();
        changed
    }

    pub fn undo(&self) {
        if self.session.try_update_value(|s| s.as_mut().is_some_and(|s| s.undo())).unwrap_or(false) {
            self.after_change();
        }
    }

    pub fn redo(&self) {
        if self.session.try_update_value(|s| s.as_mut().is_some_and(|s| s.redo())).unwrap_or(false) {
            self.after_change();
        }
    }

    fn after_change(&self) {
        self.persist();
        let rows = self.rows.get_untracked();
        self.session.with_value(|s| {
            if let Some(s) = s {
                for (signal, response) in rows.iter().zip(&s.responses) {
                    if signal.with_untracked(|current| current != response) {
                        signal.set(response.clone());
                    }
                }
            }
        });
        self.revision.update(|r| *r += 1);
    }

    /// Saves the session and its source file to local storage.
    fn persist(&self) {
        let saved = self.session.with_value(|s| s.as_ref().map(|s| s.to_json()));
        let Some(json) = saved else { return };
        let source =
            self.source.with_value(|b| b.as_ref().map(|b| base64::engine::general_purpose::STANDARD.encode(b)));
        let result = match source {
            Some(encoded) => browser::save(SOURCE_KEY, &encoded).and_then(|_| browser::save(SESSION_KEY, &json)),
            None => browser::save(SESSION_KEY, &json),
        };
        if let Err(message) = result {
            self.warn(message);
        }
    }

    /// Restores the saved session, if any. A session that cannot be read is set aside (kept
    /// under another key) and reported, never silently dropped.
    pub fn restore(&self) {
        let Some(json) = browser::load(SESSION_KEY) else { return };
        match ReviewSession::from_json(&json) {
            Ok(session) => {
                let source =
                    browser::load(SOURCE_KEY).and_then(|s| base64::engine::general_purpose::STANDARD.decode(s).ok());
                self.source.set_value(source);
                self.install(session);
            }
            Err(error) => {
                let _ = browser::save(SET_ASIDE_KEY, &json);
                browser::remove(SESSION_KEY);
                self.warn(format!("{error} It was set aside and you are starting fresh."));
            }
        }
    }

    /// Closes the review and forgets the saved session.
    pub fn close(&self) {
        self.session.set_value(None);
        self.source.set_value(None);
        browser::remove(SESSION_KEY);
        browser::remove(SOURCE_KEY);
        self.replace_rows(Vec::new());
        self.page.set(Page::Start);
    }

    fn export_name(&self, extension: &str) -> String {
        let name =
            self.session.with_value(|s| s.as_ref().map(|s| s.questionnaire.file_name.clone())).unwrap_or_default();
        let stem = name.rsplit_once('.').map(|(s, _)| s.to_owned()).unwrap_or(name);
        format!("{stem}-trustfill.{extension}")
    }

    pub fn can_fill_workbook(&self) -> bool {
        self.session.with_value(|s| s.as_ref().is_some_and(|s| s.questionnaire.format.supports_fill_back()))
    }

    /// Downloads the answers in the given format: `csv`, `xlsx` (filled in place) or `json`.
    pub fn export(&self, format: &str) {
        let started = browser::now_ms();
        let result: Result<(Vec<u8>, String, &str), String> = self.session.with_value(|s| {
            let Some(session) = s else { return Err("Nothing to export yet.".to_owned()) };
            match format {
                "csv" => Ok((export::csv::to_csv(session), self.export_name("csv"), "text/csv")),
                "json" => Ok((
                    export::package::to_package(session).into_bytes(),
                    self.export_name("json"),
                    "application/json",
                )),
                _ => {
                    let extension = if session.questionnaire.format == trustfill_core::SourceFormat::Xlsm {
                        "xlsm"
                    } else {
                        "xlsx"
                    };
                    self.source.with_value(|bytes| {
                        let bytes =
                            bytes.as_ref().ok_or("The original workbook is no longer available; import it again.")?;
                        export::xlsx::fill_xlsx(bytes, session)
                            .map(|filled| {
                                (
                                    filled,
                                    self.export_name(extension),
                                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                )
                            })
                            .map_err(|e| e.to_string())
                    })
                }
            }
        });
        match result.and_then(|(bytes, name, mime)| browser::download(&bytes, &name, mime).map(|_| name)) {
            Ok(name) => {
                browser::record_timing(&format!("export_{format}_ms"), browser::now_ms() - started);
                self.tell(format!("Downloaded {name}."));
            }
            Err(message) => self.warn(message),
        }
    }
}
