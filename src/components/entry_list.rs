//! The library's entries: fuzzy type-ahead, filters by series, control, tag and status, and
//! each entry with its edit, retire and restore actions.

use crate::components::entry_editor::EntryEditor;
use crate::state::AppState;
use leptos::prelude::*;
use trustfill_core::library::browse::{BrowseFilter, BrowseIndex};
use trustfill_core::library::EntryStatus;

/// Entries shown at first, and added by "Show more". Few enough that a keystroke renders fast.
const PAGE: usize = 25;

/// What one line of the list shows.
#[derive(Clone, PartialEq)]
struct Line {
    id: String,
    question: String,
    answer: String,
    status: EntryStatus,
    controls: String,
    learned: usize,
}

fn status_label(status: EntryStatus) -> &'static str {
    match status {
        EntryStatus::Approved => "approved",
        EntryStatus::Draft => "draft",
        EntryStatus::Retired => "retired",
    }
}

/// One entry of the list, or its editor while it is being edited.
fn entry_item(state: AppState, line: Line, editing: RwSignal<Option<String>>) -> impl IntoView {
    let retired = line.status == EntryStatus::Retired;
    let entry_id = line.id.clone();
    let item_id = line.id.clone();
    view! {
        <li class="tf-entry" data-testid="library-entry" data-entry-id=item_id class:tf-retired=retired>
            {move || if editing.get().as_deref() == Some(entry_id.as_str()) {
                view! { <EntryEditor id=Some(line.id.clone()) on_close=Callback::new(move |()| editing.set(None)) /> }.into_any()
            } else {
                let (edit_id, status_id) = (line.id.clone(), line.id.clone());
                view! {
                    <div class="tf-entry-text">
                        <span class="tf-entry-id">{line.id.clone()}</span>
                        " "
                        <span class="tf-badge" data-testid="entry-status">{status_label(line.status)}</span>
                        <p class="tf-entry-question">{line.question.clone()}</p>
                        <p class="tf-muted">
                            <span class="tf-short" data-testid="entry-answer">{line.answer.clone()}</span>
                            {format!(" · {}", if line.controls.is_empty() { "no control" } else { line.controls.as_str() })}
                            {(line.learned > 0).then(|| format!(" · {} learned phrasings to review", line.learned))}
                        </p>
                    </div>
                    <div class="tf-actions">
                        <button class="tf-button" data-testid="edit-entry" on:click=move |_| editing.set(Some(edit_id.clone()))>"Edit"</button>
                        {if retired {
                            view! { <button class="tf-button" data-testid="restore-entry" on:click=move |_| state.set_entry_status(&status_id, EntryStatus::Approved)>"Restore"</button> }.into_any()
                        } else {
                            view! { <button class="tf-button tf-ghost" data-testid="retire-entry" on:click=move |_| state.set_entry_status(&status_id, EntryStatus::Retired)>"Retire"</button> }.into_any()
                        }}
                    </div>
                }.into_any()
            }}
        </li>
    }
}

#[component]
pub fn EntryList(control_filter: RwSignal<String>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let query = RwSignal::new(String::new());
    let series = RwSignal::new(String::new());
    let tag = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let shown = RwSignal::new(PAGE);
    // The entry being edited: its id, or "" for a new one.
    let editing = RwSignal::new(None::<String>);

    let index = Memo::new(move |_| {
        state.library_revision.track();
        state.library.with_value(|lib| std::sync::Arc::new(BrowseIndex::new(&lib.entries)))
    });
    let (series_names, control_names) = state.library.with_value(|lib| {
        let mut series: Vec<String> = lib.criteria.all().iter().map(|c| c.series.clone()).collect();
        series.dedup();
        (series, lib.criteria.all().iter().map(|c| c.id.to_string()).collect::<Vec<_>>())
    });
    let tags = Memo::new(move |_| {
        state.library_revision.track();
        state.library.with_value(|lib| BrowseIndex::tags(&lib.entries))
    });
    let last_hits = StoredValue::new(None::<(BrowseFilter, u64, Vec<usize>)>);
    let results = Memo::new(move |_| {
        let filter = BrowseFilter {
            query: query.get(),
            series: series.get(),
            control: control_filter.get(),
            tag: tag.get(),
            status: match status.get().as_str() {
                "approved" => Some(EntryStatus::Approved),
                "draft" => Some(EntryStatus::Draft),
                "retired" => Some(EntryStatus::Retired),
                _ => None,
            },
        };
        let limit = shown.get();
        // The index only changes with the searchable text; an edited answer or status
        // still changes the lines.
        let revision = state.library_revision.get();
        let index = index.get();
        state.library.with_value(|lib| {
            // A keystroke that extends a fuzzy query searches only the last query's hits.
            let all = last_hits.with_value(|last| {
                let within = last
                    .as_ref()
                    .filter(|(f, r, _)| *r == revision && BrowseIndex::narrows(f, &filter))
                    .map(|(_, _, hits)| hits.as_slice());
                index.hits(&lib.entries, &filter, within)
            });
            let total = all.len();
            let found: Vec<usize> = all.iter().copied().take(limit).collect();
            last_hits.set_value(Some((filter.clone(), revision, all)));
            let lines: Vec<Line> = found
                .into_iter()
                .map(|i| {
                    let e = &lib.entries[i];
                    Line {
                        id: e.id.clone(),
                        question: e.question.clone(),
                        answer: e.answer.clone(),
                        status: e.status,
                        controls: e.controls.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(" "),
                        learned: e.learned.len(),
                    }
                })
                .collect();
            (lines, total)
        })
    });
    let reset_page = move || shown.set(PAGE);
    let started_typing = RwSignal::new(0.0f64);
    Effect::new(move |_| {
        results.track();
        let started = started_typing.get_untracked();
        if started > 0.0 {
            crate::browser::record_timing("library_search_ms", crate::browser::now_ms() - started);
        }
    });

    view! {
        <div class="tf-entry-browser">
            <div class="tf-filters" role="search">
                <label>"Search "
                    <input type="search" data-testid="library-filter" placeholder="Type to search: id, question, tag"
                        prop:value=move || query.get()
                        on:input=move |ev| { started_typing.set(crate::browser::now_ms()); reset_page(); query.set(event_target_value(&ev)); } />
                </label>
                <label>"Series "
                    <select data-testid="library-series-filter" on:change=move |ev| { reset_page(); series.set(event_target_value(&ev)); }>
                        <option value="">"All"</option>
                        {series_names.into_iter().map(|s| view! { <option value=s.clone()>{s.clone()}</option> }).collect_view()}
                    </select>
                </label>
                <label>"Control "
                    <select data-testid="library-control-filter" prop:value=move || control_filter.get() on:change=move |ev| { reset_page(); control_filter.set(event_target_value(&ev)); }>
                        <option value="">"All"</option>
                        {control_names.into_iter().map(|c| view! { <option value=c.clone()>{c.clone()}</option> }).collect_view()}
                    </select>
                </label>
                <label>"Tag "
                    <select data-testid="library-tag-filter" on:change=move |ev| { reset_page(); tag.set(event_target_value(&ev)); }>
                        <option value="">"All"</option>
                        {move || tags.get().into_iter().map(|t| view! { <option value=t.clone()>{t.clone()}</option> }).collect_view()}
                    </select>
                </label>
                <label>"Status "
                    <select data-testid="status-filter-library" on:change=move |ev| { reset_page(); status.set(event_target_value(&ev)); }>
                        <option value="">"All"</option>
                        <option value="approved">"Approved"</option>
                        <option value="draft">"Draft"</option>
                        <option value="retired">"Retired"</option>
                    </select>
                </label>
                <button class="tf-button tf-primary" data-testid="add-entry" on:click=move |_| editing.set(Some(String::new()))>"Add entry"</button>
            </div>
            {move || (editing.get().as_deref() == Some("")).then(|| view! {
                <EntryEditor id=None on_close=Callback::new(move |()| editing.set(None)) />
            })}
            <p class="tf-muted" data-testid="library-shown" aria-live="polite">{move || {
                let (lines, total) = results.get();
                format!("Showing {} of {} entries", lines.len(), total)
            }}</p>
            <ul class="tf-entries">
                <For each=move || results.get().0 key=|l| (l.id.clone(), status_label(l.status), l.answer.clone(), l.question.clone(), l.controls.clone(), l.learned) let:line>
                    {entry_item(state, line, editing)}
                </For>
            </ul>
            {move || {
                let (lines, total) = results.get();
                (lines.len() < total).then(|| view! {
                    <button class="tf-button" data-testid="show-more-entries" on:click=move |_| shown.update(|s| *s += PAGE)>
                        {format!("Show {} more", (total - lines.len()).min(PAGE))}
                    </button>
                })
            }}
        </div>
    }
}
