//! The start page: drop a questionnaire, pick one, or try the sample.

use crate::state::{AppState, Page};
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
    let dragging = RwSignal::new(false);
    let (entries, approved, covered, criteria) = state.library.with_value(|lib| {
        let per = approved_per_criterion(lib);
        (lib.entries.len(), lib.approved().count(), per.iter().filter(|(_, n)| *n >= 2).count(), per.len())
    });
    let in_progress = state
        .session
        .with_value(|s| s.as_ref().map(|s| (s.questionnaire.file_name.clone(), s.questionnaire.questions.len())));
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
                <span class="tf-drop-formats">"Excel (.xlsx, .xlsm, .xls), OpenDocument (.ods), CSV, TSV or VSAQ (.json)"</span>
                <input
                    type="file"
                    data-testid="file-input"
                    accept=".xlsx,.xlsm,.xls,.ods,.csv,.tsv,.txt,.json"
                    on:change=move |ev| {
                        let input = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
                        open_files(state, input.and_then(|i| i.files()));
                    }
                />
            </label>
            <div class="tf-start-actions">
                <button class="tf-button tf-primary" data-testid="try-sample" on:click=move |_| state.open_file("sample-questionnaire.csv", SAMPLE.to_vec())>
                    "Try a sample questionnaire"
                </button>
                {in_progress.map(|(name, count)| view! {
                    <button class="tf-button" data-testid="resume-session" on:click=move |_| state.page.set(Page::Review)>
                        {format!("Continue {name} ({count} questions)")}
                    </button>
                })}
            </div>
            <aside class="tf-library-card" data-testid="library-card">
                <h2>"Answer library in use"</h2>
                <p>
                    <strong>{format!("{approved} approved entries")}</strong>
                    {format!(" of {entries}, covering {covered} of {criteria} SOC 2 criteria with at least two answers each.")}
                </p>
                <p class="tf-muted" data-testid="library-stale">{state.library.with_value(|lib| {
                    let stale = trustfill_core::library::check::check(lib, &crate::browser::today())
                        .iter()
                        .filter(|f| matches!(f, trustfill_core::library::check::Finding::Stale { .. }))
                        .count();
                    format!("Version {} · {stale} entries are due for review (last reviewed over 12 months ago).", lib.version())
                })}</p>
            </aside>
        </section>
    }
}
