//! App state: the library, the matcher and the review session, and the actions the pages
//! call. Every change is saved before it is reported done.

use crate::browser;
use crate::libraries::{self, LibraryMeta};
use crate::sessions::{self, LoadError, SessionMeta};
use leptos::prelude::*;
use trustfill_core::export;
use trustfill_core::import::package;
use trustfill_core::library::learn::{self, Learned};
use trustfill_core::library::{builtin, Library};
use trustfill_core::matching::Matcher;
use trustfill_core::review::{Response, ReviewAction, ReviewSession};
use trustfill_core::SourceFormat;

/// The id of the session that was open, so that a reload reopens it.
const CURRENT_KEY: &str = "trustfill.current";

/// Which page is showing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Start,
    Review,
    Library,
    /// Review mode: a completed response, read-only, for procurement.
    Reviewer,
}

/// A message for the user, shown in the notice bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub error: bool,
    pub text: String,
}

/// The review page's filters. They live here rather than in the page so that a re-rank by the
/// meaning model, which rebuilds the page, keeps them; a questionnaire opened anew starts with
/// none.
#[derive(Clone, Copy)]
pub struct ReviewFilters {
    pub status: RwSignal<String>,
    pub tier: RwSignal<String>,
    pub section: RwSignal<String>,
    pub control: RwSignal<String>,
    pub search: RwSignal<String>,
}

impl ReviewFilters {
    fn new() -> Self {
        Self {
            status: RwSignal::new(String::new()),
            tier: RwSignal::new(String::new()),
            section: RwSignal::new(String::new()),
            control: RwSignal::new(String::new()),
            search: RwSignal::new(String::new()),
        }
    }

    fn clear(&self) {
        for filter in [self.status, self.tier, self.section, self.control, self.search] {
            filter.set(String::new());
        }
    }
}

/// Everything the pages share. `Copy`, so components take it by value.
#[derive(Clone, Copy)]
pub struct AppState {
    pub library: StoredValue<Library>,
    /// The matcher over the library. After a large change (an import, another library) it is
    /// rebuilt the next time it is needed; see [`AppState::ensure_matcher`].
    pub matcher: StoredValue<Matcher>,
    /// The library version the matcher was built for.
    pub(crate) matcher_version: StoredValue<String>,
    /// The saved libraries, and the id of the one in use.
    pub libraries: RwSignal<Vec<LibraryMeta>>,
    pub library_id: RwSignal<String>,
    pub session: StoredValue<Option<ReviewSession>>,
    /// The id under which the open session is saved.
    current: StoredValue<Option<String>>,
    source: StoredValue<Option<Vec<u8>>>,
    /// The saved sessions, for the start page.
    pub sessions: RwSignal<Vec<SessionMeta>>,
    /// Bumped when the library changes.
    pub library_revision: RwSignal<u64>,
    /// One signal per question, so that a change re-renders only its own row.
    pub rows: RwSignal<Vec<RwSignal<Response>>>,
    /// Bumped on every change, for the counts and the progress bar.
    pub revision: RwSignal<u64>,
    /// Bumped whenever a session is opened or re-read, so that the review page is built anew.
    pub opened: RwSignal<u64>,
    pub page: RwSignal<Page>,
    pub notice: RwSignal<Option<Notice>>,
    pub selected: RwSignal<usize>,
    /// The question whose answer is open for editing on the review page, if any.
    pub editing: RwSignal<Option<usize>>,
    /// The review page's filters, kept across a re-rank.
    pub filters: ReviewFilters,
    /// What the page that mounted the app asked for (see `embed`).
    pub config: StoredValue<crate::embed::Config>,
    /// The on-device semantic model, its vectors and its status (see `semantic`).
    pub semantic: crate::semantic::SemanticState,
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
        let config = use_context::<crate::embed::Config>().unwrap_or_default();
        let (saved_libraries, library_id, loaded) = libraries::restore();
        let (library, problem) = match loaded {
            Ok(library) => (library, None),
            Err(message) => (builtin::library(), Some(message)),
        };
        let matcher = Matcher::new(&library);
        let state = Self {
            matcher_version: StoredValue::new(library.version().to_owned()),
            library: StoredValue::new(library),
            matcher: StoredValue::new(matcher),
            libraries: RwSignal::new(saved_libraries),
            library_id: RwSignal::new(library_id),
            session: StoredValue::new(None),
            current: StoredValue::new(None),
            source: StoredValue::new(None),
            sessions: RwSignal::new(Vec::new()),
            library_revision: RwSignal::new(0),
            rows: RwSignal::new(Vec::new()),
            revision: RwSignal::new(0),
            opened: RwSignal::new(0),
            page: RwSignal::new(if config.mode == crate::embed::Mode::Review { Page::Reviewer } else { Page::Start }),
            notice: RwSignal::new(None),
            selected: RwSignal::new(0),
            editing: RwSignal::new(None),
            filters: ReviewFilters::new(),
            semantic: crate::semantic::SemanticState::new(),
            owner: StoredValue::new(Owner::current().unwrap_or_default()),
            config: StoredValue::new(config),
        };
        if let Some(message) = problem {
            state.warn(message);
        }
        state
    }

    /// Rebuilds the matcher if the library changed since it was built.
    pub fn ensure_matcher(&self) {
        let version = self.library.with_value(|lib| lib.version().to_owned());
        if self.matcher_version.with_value(|v| *v != version) {
            let matcher = self.library.with_value(Matcher::new);
            self.matcher.set_value(matcher);
            self.matcher_version.set_value(version);
        }
    }

    pub fn tell(&self, text: impl Into<String>) {
        self.notice.set(Some(Notice { error: false, text: text.into() }));
    }

    pub fn warn(&self, text: impl Into<String>) {
        self.notice.set(Some(Notice { error: true, text: text.into() }));
    }

    /// Imports a file, matches every question and opens the review as a new saved session.
    /// A response package reopens with its answers as they were exported.
    pub fn open_file(&self, name: &str, bytes: Vec<u8>) {
        let started = browser::now_ms();
        if package::looks_like_package(&bytes) {
            match package::read_package(&bytes, name) {
                Ok(package) => {
                    let session = ReviewSession::reopened(package);
                    let count = session.questionnaire.questions.len();
                    self.start_session(session, None);
                    self.tell(format!("{name}: a saved response with {count} questions reopened."));
                }
                Err(error) => self.warn(format!("{name}: {error}")),
            }
            return;
        }
        let questionnaire = match trustfill_core::import_questionnaire(&bytes, name) {
            Ok(q) => q,
            Err(error) => {
                self.warn(format!("{name}: {error}"));
                return;
            }
        };
        let imported = browser::now_ms();
        if questionnaire.questions.is_empty() && !questionnaire.format.is_grid() {
            self.warn(format!("{name}: no questions were found in this file. Check that it is a questionnaire with one question per row."));
            return;
        }
        let nothing_found = questionnaire.questions.is_empty();
        self.ensure_matcher();
        let suggestions =
            self.matcher.with_value(|m| m.match_all(questionnaire.questions.iter().map(|q| q.text.as_str())));
        let matched = browser::now_ms();
        let session =
            self.library.with_value(|lib| ReviewSession::new(questionnaire, suggestions, &lib.entries, lib.version()));
        let count = session.questionnaire.questions.len();
        let note = export::export_note(session.questionnaire.format);
        self.start_session(session, Some(bytes));
        browser::record_timing("import_ms", imported - started);
        browser::record_timing("match_ms", matched - imported);
        let note = note.map(|n| format!(" {n}")).unwrap_or_default();
        if nothing_found {
            self.warn(format!("{name}: no questions were found. Use \"Fix columns\" to show where the questions are."));
        } else {
            self.tell(format!("{name}: {count} questions imported and matched.{note}"));
        }
    }

    /// Saves a new session with its source file, and opens it.
    fn start_session(&self, session: ReviewSession, source: Option<Vec<u8>>) {
        let id = sessions::new_id();
        self.current.set_value(Some(id.clone()));
        let _ = browser::save(CURRENT_KEY, &id);
        if let Some(bytes) = &source {
            if let Err(message) = sessions::save_source(&id, bytes) {
                self.warn(message);
            }
        }
        self.source.set_value(source);
        let started = browser::now_ms();
        self.install(session);
        browser::record_timing("render_ms", browser::now_ms() - started);
        self.persist();
    }

    fn install(&self, session: ReviewSession) {
        let rows = self
            .owner
            .with_value(|owner| owner.with(|| session.responses.iter().cloned().map(RwSignal::new).collect()));
        self.session.set_value(Some(session));
        self.filters.clear();
        self.replace_rows(rows);
        self.selected.set(0);
        self.revision.update(|r| *r += 1);
        self.opened.update(|o| *o += 1);
        self.page.set(Page::Review);
        // Ranked by words now; by words and meaning as soon as the model has the questions.
        leptos::task::spawn_local(crate::semantic::rerank(*self));
    }

    /// After the semantic model re-ranked the open questionnaire: saves, updates the rows, and
    /// rebuilds the review page so that the new suggestions and tiers show. The selected
    /// question stays selected, and the filters stay as they were.
    pub fn reranked(&self) {
        self.after_change();
        // An answer open for editing keeps its form: the rows show the new answers, and the
        // new alternatives appear when the review is next opened.
        if self.page.get_untracked() == Page::Review && self.editing.get_untracked().is_none() {
            self.opened.update(|o| *o += 1);
        }
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

    /// Saves the open session (atomically; see `sessions`), and shows the updated list.
    fn persist(&self) {
        let Some(id) = self.current.get_value() else { return };
        let started = browser::now_ms();
        let result = self.session.with_value(|s| s.as_ref().map(|s| sessions::save(&id, s)));
        browser::record_timing("save_ms", browser::now_ms() - started);
        match result {
            Some(Ok(list)) => {
                if let Some(meta) = list.iter().find(|m| m.id == id) {
                    self.emit(
                        "session-changed",
                        serde_json::json!({
                            "id": meta.id, "file": meta.file_name, "questions": meta.questions, "answered": meta.answered,
                        }),
                    );
                }
                self.sessions.set(list);
            }
            Some(Err(message)) => self.warn(message),
            None => {}
        }
    }

    /// Tells the embedding page what happened (see `embed::emit`).
    pub fn emit(&self, name: &str, detail: serde_json::Value) {
        self.config.with_value(|config| crate::embed::emit(config, name, detail));
    }

    pub fn refresh_sessions(&self) {
        match sessions::list() {
            Ok(list) => self.sessions.set(list),
            Err(message) => {
                self.sessions.set(Vec::new());
                self.warn(message);
            }
        }
    }

    /// At start-up: moves an old single session into the list, then reopens the session
    /// that was open, if any.
    pub fn restore(&self) {
        if let Some(id) = sessions::migrate_legacy() {
            let _ = browser::save(CURRENT_KEY, &id);
        }
        self.refresh_sessions();
        if browser::load(sessions::SET_ASIDE_KEY).is_some() && self.notice.get_untracked().is_none() {
            self.warn("Some saved data could not be read. It was set aside: download it from the start page.");
        }
        if let Some(id) = browser::load(CURRENT_KEY) {
            self.resume(&id);
        }
    }

    /// Opens a saved session. One that cannot be read is set aside and reported, and the
    /// start page shows instead: never a blank page.
    pub fn resume(&self, id: &str) {
        match sessions::load(id) {
            Ok(mut session) => {
                if session.needs_suggestions() {
                    self.ensure_matcher();
                    let questions = &session.questionnaire.questions;
                    session.suggestions =
                        self.matcher.with_value(|m| m.match_all(questions.iter().map(|q| q.text.as_str())));
                }
                self.current.set_value(Some(id.to_owned()));
                let _ = browser::save(CURRENT_KEY, id);
                self.source.set_value(sessions::load_source(id));
                self.install(session);
            }
            Err(error) => {
                browser::remove(CURRENT_KEY);
                self.refresh_sessions();
                self.page.set(Page::Start);
                if let LoadError::Unreadable(error) = error {
                    self.warn(format!("{error} It was set aside and you are starting fresh."));
                }
            }
        }
    }

    /// Back to the start page; the session stays saved and listed there.
    pub fn close(&self) {
        self.session.set_value(None);
        self.source.set_value(None);
        self.current.set_value(None);
        browser::remove(CURRENT_KEY);
        self.replace_rows(Vec::new());
        self.refresh_sessions();
        self.page.set(Page::Start);
    }

    /// Deletes a saved session for good.
    pub fn delete_session(&self, id: &str) {
        if self.current.get_value().as_deref() == Some(id) {
            self.close();
        }
        sessions::remove(id);
        self.refresh_sessions();
    }

    /// Saves the question's reviewed answer to the library: a new phrasing of its entry, or
    /// a draft entry. The matcher learns the phrasing at once; the library is saved locally.
    pub fn save_to_library(&self, index: usize) {
        let Some((question, response)) = self.session.with_value(|s| {
            s.as_ref().and_then(|s| {
                Some((s.questionnaire.questions.get(index)?.text.clone(), s.responses.get(index)?.clone()))
            })
        }) else {
            return;
        };
        let today = browser::today();
        let touched: Vec<String> = response.entry_id.iter().cloned().collect();
        let mut result = Err(learn::LearnError::NoAnswer);
        self.change_library(&touched, |lib| result = learn::learn(lib, &question, &response, &today));
        match result {
            Ok(learned) => {
                if !matches!(learned, Learned::AlreadyKnown { .. }) {
                    // A draft is not used for matching, so the matcher needs nothing more.
                    if !self.persist_library() {
                        return;
                    }
                }
                self.tell(learned.message());
            }
            Err(error) => self.warn(error.to_string()),
        }
    }

    /// The sheets of the open session's source file, for choosing columns by hand.
    pub fn read_grids(&self) -> Option<Vec<trustfill_core::import::grid::Grid>> {
        let format = self.session.with_value(|s| s.as_ref().map(|s| s.questionnaire.format))?;
        let name = self.session.with_value(|s| s.as_ref().map(|s| s.questionnaire.file_name.clone()))?;
        self.source.with_value(|bytes| {
            let bytes = bytes.as_ref()?;
            trustfill_core::import::read_grids(bytes, &name, format).ok().map(|(grids, _)| grids)
        })
    }

    /// Whether the open session's questions come from sheets whose columns can be chosen.
    pub fn can_choose_columns(&self) -> bool {
        self.session.with_value(|s| s.as_ref().is_some_and(|s| s.questionnaire.format.is_grid()))
            && self.source.with_value(Option::is_some)
    }

    /// Re-reads the source with the user's layout for one sheet (and the layouts chosen
    /// before for others), matches again and replaces the open session under the same id.
    pub fn apply_layout(&self, sheet: &str, layout: trustfill_core::model::SheetLayout) {
        let Some((name, mut chosen)) = self.session.with_value(|s| {
            s.as_ref().map(|s| {
                let chosen: trustfill_core::import::ChosenLayouts = s
                    .questionnaire
                    .sheets
                    .iter()
                    .filter(|x| x.chosen)
                    .filter_map(|x| x.layout.clone().map(|l| (x.name.clone(), l)))
                    .collect();
                (s.questionnaire.file_name.clone(), chosen)
            })
        }) else {
            return;
        };
        chosen.insert(sheet.to_owned(), layout);
        let result = self
            .source
            .with_value(|bytes| bytes.as_ref().map(|b| trustfill_core::import::import_with_layouts(b, &name, &chosen)));
        match result {
            Some(Ok(questionnaire)) => {
                self.ensure_matcher();
                let suggestions =
                    self.matcher.with_value(|m| m.match_all(questionnaire.questions.iter().map(|q| q.text.as_str())));
                let session = self
                    .library
                    .with_value(|lib| ReviewSession::new(questionnaire, suggestions, &lib.entries, lib.version()));
                let count = session.questionnaire.questions.len();
                self.install(session);
                self.persist();
                self.tell(format!("{name}: re-read with the columns you chose; {count} questions."));
            }
            Some(Err(error)) => self.warn(format!("{name}: {error}")),
            None => self.warn("The original file is no longer available; import it again."),
        }
    }

    /// Downloads the saved data that could not be read, then forgets it.
    pub fn download_set_aside(&self) {
        if let Some(raw) = browser::load(sessions::SET_ASIDE_KEY) {
            match browser::download(raw.as_bytes(), "trustfill-unreadable-data.json", "application/json") {
                Ok(()) => browser::remove(sessions::SET_ASIDE_KEY),
                Err(message) => self.warn(message),
            }
        }
    }

    fn export_name(&self, extension: &str) -> String {
        let name =
            self.session.with_value(|s| s.as_ref().map(|s| s.questionnaire.file_name.clone())).unwrap_or_default();
        let stem = name.rsplit_once('.').map(|(s, _)| s.to_owned()).unwrap_or(name);
        format!("{stem}-trustfill.{extension}")
    }

    /// Whether the original file can be filled in (or, for xls and ods, rebuilt as xlsx).
    pub fn can_fill_original(&self) -> bool {
        self.session.with_value(|s| s.as_ref().is_some_and(|s| export::can_fill(s.questionnaire.format)))
            && self.source.with_value(Option::is_some)
    }

    /// The label of the fill-in download, by the original's format.
    pub fn fill_label(&self) -> &'static str {
        match self.session.with_value(|s| s.as_ref().map(|s| s.questionnaire.format)) {
            Some(SourceFormat::Docx) => "Download filled document",
            Some(SourceFormat::Xls | SourceFormat::Ods) => "Download as filled .xlsx",
            _ => "Download filled workbook",
        }
    }

    /// Downloads the answers in the given format: `csv`, `json` (the response package),
    /// `html` (the printable report), or the original file filled in.
    pub fn export(&self, format: &str) {
        let started = browser::now_ms();
        let result: Result<(Vec<u8>, String, &str), String> = self.session.with_value(|s| {
            let Some(session) = s else { return Err("Nothing to export yet.".to_owned()) };
            match format {
                "csv" => Ok((export::csv::to_csv(session), self.export_name("csv"), "text/csv")),
                "json" => Ok((
                    self.library
                        .with_value(|lib| export::package::to_package_with_library(session, lib, &browser::today()))
                        .into_bytes(),
                    self.export_name("json"),
                    "application/json",
                )),
                "html" => {
                    let html = self
                        .library
                        .with_value(|lib| export::report::to_html_with_library(session, lib, &browser::today()));
                    Ok((html.into_bytes(), self.export_name("html"), "text/html"))
                }
                _ => self.source.with_value(|bytes| {
                    let bytes = bytes.as_ref().ok_or("The original file is no longer available; import it again.")?;
                    let format = session.questionnaire.format;
                    let (Some(extension), Some(mime)) = (format.filled_extension(), format.filled_media_type()) else {
                        return Err(export::ExportError::NotFillable.to_string());
                    };
                    export::fill_original(bytes, session)
                        .map(|filled| (filled, self.export_name(extension), mime))
                        .map_err(|e| e.to_string())
                }),
            }
        });
        match result.and_then(|(bytes, name, mime)| browser::download(&bytes, &name, mime).map(|_| name)) {
            Ok(name) => {
                browser::record_timing(&format!("export_{format}_ms"), browser::now_ms() - started);
                self.emit("exported", serde_json::json!({ "file": name, "format": format }));
                let note =
                    self.session.with_value(|s| s.as_ref().and_then(|s| export::export_note(s.questionnaire.format)));
                let note =
                    if format == "xlsx" { note.map(|n| format!(" {n}")).unwrap_or_default() } else { String::new() };
                self.tell(format!("Downloaded {name}.{note}"));
            }
            Err(message) => self.warn(message),
        }
    }
}
