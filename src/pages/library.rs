//! The library page: pick, make and delete libraries; browse, edit and add entries; the
//! coverage grid and checks; learned phrasings and drafts; import and export.

use crate::components::coverage::Coverage;
use crate::components::entry_list::EntryList;
use crate::components::library_import::LibraryImport;
use crate::components::profile_editor::ProfileEditor;
use crate::components::review_queue::ReviewQueue;
use crate::state::AppState;
use leptos::prelude::*;

/// The page's tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Entries,
    Coverage,
    Queue,
    Profile,
    Import,
}

impl Tab {
    fn label(self) -> &'static str {
        match self {
            Tab::Entries => "Entries",
            Tab::Coverage => "Coverage and checks",
            Tab::Queue => "Learned and drafts",
            Tab::Profile => "SOC 2 profile",
            Tab::Import => "Import",
        }
    }

    fn key(self) -> &'static str {
        match self {
            Tab::Entries => "entries",
            Tab::Coverage => "coverage",
            Tab::Queue => "queue",
            Tab::Profile => "profile",
            Tab::Import => "import",
        }
    }
}

#[component]
pub fn LibraryPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let tab = RwSignal::new(Tab::Entries);
    // A click on the coverage grid opens the entries filtered by that criterion.
    let control_filter = RwSignal::new(String::new());
    let making = RwSignal::new(false);
    let new_name = RwSignal::new(String::new());
    let copy_current = RwSignal::new(true);
    let started = crate::browser::now_ms();
    Effect::new(move |_| crate::browser::record_timing("library_page_ms", crate::browser::now_ms() - started));

    let queue_count = move || {
        state.library_revision.track();
        state.library.with_value(|lib| {
            lib.entries.iter().map(|e| e.learned.len()).sum::<usize>()
                + lib.entries.iter().filter(|e| e.status == trustfill_core::library::EntryStatus::Draft).count()
        })
    };
    let summary = move || {
        state.library_revision.track();
        state.library.with_value(|lib| {
            format!("{} entries, {} approved · version {}", lib.entries.len(), lib.approved().count(), lib.version())
        })
    };
    let pick_library = move |ev| {
        let id = event_target_value(&ev);
        if id != state.library_id.get_untracked() {
            state.switch_library(&id);
        }
    };

    view! {
        <section class="tf-library" data-testid="library-page" aria-labelledby="library-title">
            <div class="tf-library-head">
                <div>
                    <h1 id="library-title">"Answer library"</h1>
                    <p class="tf-muted" data-testid="library-summary">{summary}</p>
                </div>
                <div class="tf-toolbar-actions">
                    <label class="tf-inline-label">
                        "Library in use "
                        <select data-testid="library-picker" on:change=pick_library prop:value=move || state.library_id.get()>
                            {move || state.libraries.get().into_iter().map(|meta| view! {
                                <option value=meta.id.clone() selected=meta.id == state.library_id.get_untracked()>
                                    {format!("{} ({} entries)", meta.name, meta.entries)}
                                </option>
                            }).collect_view()}
                        </select>
                    </label>
                    <button class="tf-button" data-testid="new-library" on:click=move |_| making.update(|m| *m = !*m)>"New library"</button>
                    <button class="tf-button" data-testid="export-library-json" on:click=move |_| state.export_library("json")>"Export JSON"</button>
                    <button class="tf-button" data-testid="export-library-csv" on:click=move |_| state.export_library("csv")>"Export CSV"</button>
                    <button class="tf-button" data-testid="export-library-xlsx" on:click=move |_| state.export_library("xlsx")>"Export XLSX"</button>
                    <button class="tf-button tf-ghost" data-testid="delete-library" on:click=move |_| {
                        let builtin = state.library_id.get_untracked() == crate::libraries::BUILTIN_ID;
                        let question = if builtin {
                            "Put the sample library back as it was shipped? Your changes to it are deleted."
                        } else {
                            "Delete this library from this browser? Export it first if you may need it."
                        };
                        let sure = web_sys::window().and_then(|w| w.confirm_with_message(question).ok()).unwrap_or(false);
                        if sure { state.delete_library(); }
                    }>
                        {move || if state.library_id.get() == crate::libraries::BUILTIN_ID { "Reset sample library" } else { "Delete library" }}
                    </button>
                </div>
            </div>
            {move || making.get().then(|| view! {
                <form class="tf-new-library" data-testid="new-library-form" on:submit=move |ev| {
                    ev.prevent_default();
                    state.new_library(&new_name.get_untracked(), copy_current.get_untracked());
                    making.set(false);
                    new_name.set(String::new());
                }>
                    <label>"Name "<input type="text" required data-testid="new-library-name" prop:value=move || new_name.get() on:input=move |ev| new_name.set(event_target_value(&ev)) /></label>
                    <label><input type="checkbox" prop:checked=move || copy_current.get() on:change=move |ev| copy_current.set(event_target_checked(&ev)) />" Start from a copy of the library in use"</label>
                    <button class="tf-button tf-primary" type="submit">"Make library"</button>
                </form>
            })}
            <div class="tf-tabs" role="tablist" aria-label="Library views">
                {[Tab::Entries, Tab::Coverage, Tab::Queue, Tab::Profile, Tab::Import].into_iter().map(|t| view! {
                    <button
                        role="tab"
                        class="tf-tab"
                        id=format!("tab-{}", t.key())
                        data-testid=format!("tab-{}", t.key())
                        aria-selected=move || (tab.get() == t).to_string()
                        aria-controls="library-panel"
                        on:click=move |_| tab.set(t)
                    >
                        {t.label()}
                        {(t == Tab::Queue).then(|| view! { <span class="tf-count" data-testid="queue-count">{queue_count}</span> })}
                    </button>
                }).collect_view()}
            </div>
            <div id="library-panel" role="tabpanel" aria-labelledby=move || format!("tab-{}", tab.get().key())>
                {move || match tab.get() {
                    Tab::Entries => view! { <EntryList control_filter=control_filter /> }.into_any(),
                    Tab::Coverage => view! { <Coverage on_pick=Callback::new(move |control: String| {
                        control_filter.set(control);
                        tab.set(Tab::Entries);
                    }) /> }.into_any(),
                    Tab::Queue => view! { <ReviewQueue /> }.into_any(),
                    Tab::Profile => view! { <ProfileEditor /> }.into_any(),
                    Tab::Import => view! { <LibraryImport on_done=Callback::new(move |()| tab.set(Tab::Entries)) /> }.into_any(),
                }}
            </div>
        </section>
    }
}
