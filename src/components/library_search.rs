//! Fuzzy type-ahead over the whole library, to pick an answer the matcher did not suggest.

use crate::state::AppState;
use leptos::prelude::*;
use trustfill_core::matching::search::search_entries;
use trustfill_core::review::ReviewAction;

/// How many entries the type-ahead lists.
const RESULTS: usize = 8;

#[component]
pub fn LibrarySearch(index: usize, open: RwSignal<bool>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let query = RwSignal::new(String::new());
    let input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(element) = input.get() {
            let _ = element.focus();
        }
    });
    let results = move || {
        let q = query.get();
        state.library.with_value(|lib| {
            search_entries(&lib.entries, &q, RESULTS)
                .into_iter()
                .map(|(e, _)| (e.id.clone(), e.question.clone(), e.answer.clone()))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div class="tf-search" data-testid="library-search">
            <input
                type="search"
                node_ref=input
                data-testid="library-search-input"
                placeholder="Search the whole library"
                aria-label="Search the whole library"
                on:input=move |ev| query.set(event_target_value(&ev))
                on:keydown=move |ev: web_sys::KeyboardEvent| if ev.key() == "Escape" { open.set(false) }
            />
            <ul class="tf-search-results" role="listbox">
                {move || results().into_iter().map(|(id, question, answer)| {
                    let pick = id.clone();
                    view! {
                        <li role="option">
                            <button class="tf-button tf-ghost" data-testid="library-search-result" on:click=move |_| {
                                if let Some(entry) = state.library.with_value(|lib| lib.entry(&pick).cloned()) {
                                    state.apply(ReviewAction::Choose { question: index, entry: Box::new(entry), confidence: None });
                                }
                                open.set(false);
                            }>
                                <span class="tf-short">{answer}</span>" "{question}<span class="tf-muted">" · "{id}</span>
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </div>
    }
}
