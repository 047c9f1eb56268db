//! The start page: drop a questionnaire, pick one, or try the sample.

use crate::state::AppState;
use leptos::prelude::*;
use trustfill_core::library::check::approved_per_criterion;
use wasm_bindgen::JsCast;

/// The sample questionnaire shipped in `assets/`, embedded so that trying it needs no request.
const SAMPLE: &[u8] = include_bytes!("../../assets/sample-questionnaire.csv");

fn open_files(state: AppState, files: Option<web_sys::FileList>) {
    let Some(file) = files.and_then(|f| f.get(0)) else { return };
    leptos::task::spawn_local(async move {
        match crate::browser::read_file(file).await {
            Ok((name, bytes)) => state.open_file(&name, bytes),
            Err(error) => state.warn(format!("The file could not be read: {error}")),
        }
    });
}

#[component]
pub fn StartPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let shows = move |feature: &str| state.config.with_value(|c| c.shows(feature));
    let dragging = RwSignal::new(false);
    let library_numbers = move || {
        state.library_revision.track();
        state.library.with_value(|lib| {
            let per = approved_per_criterion(lib);
            (lib.entries.len(), lib.approved().count(), per.iter().filter(|(_, n)| *n >= 2).count(), per.len())
        })
    };
    let has_set_aside = RwSignal::new(crate::browser::load(crate::sessions::SET_ASIDE_KEY).is_some());
    view! {
        <section class="tf-start" data-testid="start-page">
            <h1>"Answer a security questionnaire"</h1>
            <p class="tf-lead">
                "Load the customer's file. Trustfill suggests an approved answer for every question, with the SOC 2 controls behind it. "
                "You review, then download their own file filled in."
            </p>
            <label
                class="tf-dropzone"
                class:tf-dragging=move || dragging.get()
                data-testid="dropzone"
                on:dragover=move |ev: web_sys::DragEvent| { ev.prevent_default(); dragging.set(true); }
                on:dragleave=move |_| dragging.set(false)
                on:drop=move |ev: web_sys::DragEvent| {
                    ev.prevent_default();
                    dragging.set(false);
                    open_files(state, ev.data_transfer().and_then(|d| d.files()));
                }
            >
                <span class="tf-drop-title">"Drop a questionnaire here, or choose a file"</span>
                <span class="tf-drop-formats">"Excel (.xlsx, .xlsm, .xls), OpenDocument (.ods), Word (.docx), CSV, TSV, VSAQ (.json) or a saved Trustfill response (.json)"</span>
                <input
                    type="file"
                    data-testid="file-input"
                    accept=".xlsx,.xlsm,.xls,.ods,.docx,.docm,.csv,.tsv,.txt,.json"
                    on:change=move |ev| {
                        let input = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
                        open_files(state, input.and_then(|i| i.files()));
                    }
                />
            </label>
            <div class="tf-start-actions">
                {shows("sample").then(|| view! { <button class="tf-button tf-primary" data-testid="try-sample" on:click=move |_| state.open_file("sample-questionnaire.csv", SAMPLE.to_vec())>
                    "Try a sample questionnaire"
                </button> })}
            </div>
            {move || (shows("sessions") && !state.sessions.with(Vec::is_empty)).then(|| view! {
                <section class="tf-sessions" aria-labelledby="sessions-title" data-testid="sessions">
                    <h2 id="sessions-title">"In progress"</h2>
                    <ul>
                        {state.sessions.get().into_iter().map(|meta| {
                            let id = meta.id.clone();
                            let delete_id = meta.id.clone();
                            let name = meta.file_name.clone();
                            let percent = meta.answered * 100 / meta.questions.max(1);
                            view! {
                                <li class="tf-session" data-testid="session-item">
                                    <div class="tf-session-text">
                                        <strong>{meta.file_name.clone()}</strong>
                                        <span class="tf-muted">{format!("{} of {} answered · saved {}", meta.answered, meta.questions, crate::browser::describe_time(meta.updated))}</span>
                                        <div class="tf-progress tf-progress-small" role="progressbar" aria-label=format!("{name} answered") aria-valuemin="0" aria-valuemax="100" aria-valuenow=percent.to_string()>
                                            <div class="tf-progress-bar" style:width=format!("{percent}%")></div>
                                        </div>
                                    </div>
                                    <button class="tf-button tf-primary" data-testid="resume-session" on:click=move |_| state.resume(&id)>"Continue"</button>
                                    <button class="tf-button tf-ghost" data-testid="delete-session" aria-label=format!("Delete {}", meta.file_name)
                                        on:click=move |_| {
                                            let sure = web_sys::window().and_then(|w| w.confirm_with_message(&format!("Delete the review of {name}? This cannot be undone.")).ok()).unwrap_or(false);
                                            if sure { state.delete_session(&delete_id); }
                                        }>"Delete"</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            })}
            {move || has_set_aside.get().then(|| view! {
                <aside class="tf-set-aside" role="alert" data-testid="set-aside">
                    <p>"Some saved data could not be read (it was damaged, or saved by a newer version). It is kept here so that nothing is lost."</p>
                    <button class="tf-button" data-testid="download-set-aside" on:click=move |_| { state.download_set_aside(); has_set_aside.set(false); }>"Download the raw data"</button>
                </aside>
            })}
            <aside class="tf-library-card" data-testid="library-card">
                <h2>"Answer library in use"</h2>
                <label class="tf-inline-label">
                    "Answer new questionnaires from "
                    <select data-testid="start-library-picker" prop:value=move || state.library_id.get() on:change=move |ev| {
                        let id = event_target_value(&ev);
                        if id != state.library_id.get_untracked() { state.switch_library(&id); }
                    }>
                        {move || state.libraries.get().into_iter().map(|meta| view! {
                            <option value=meta.id.clone() selected=meta.id == state.library_id.get_untracked()>{meta.name.clone()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <p data-testid="library-counts">{move || {
                    let (entries, approved, covered, criteria) = library_numbers();
                    view! {
                        <strong>{format!("{approved} approved entries")}</strong>
                        {format!(" of {entries}, covering {covered} of {criteria} SOC 2 criteria with at least two answers each.")}
                    }
                }}</p>
                <p class="tf-muted" data-testid="library-stale">{move || {
                    state.library_revision.track();
                    state.library.with_value(|lib| {
                        let stale = trustfill_core::library::check::check(lib, &crate::browser::today())
                            .iter()
                            .filter(|f| matches!(f, trustfill_core::library::check::Finding::Stale { .. }))
                            .count();
                        format!("Version {} · {stale} entries are due for review (last reviewed over 12 months ago).", lib.version())
                    })
                }}</p>
                <div class="tf-actions">
                    <button class="tf-button" data-testid="open-library" on:click=move |_| state.page.set(crate::state::Page::Library)>"Open the library"</button>
                    <button class="tf-button" data-testid="export-library" on:click=move |_| state.export_library("json")>"Download library (JSON)"</button>
                </div>
            </aside>
        </section>
    }
}
