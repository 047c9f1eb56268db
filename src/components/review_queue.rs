//! What reviews taught the library, waiting for its owner: learned phrasings to approve or
//! dismiss, and draft entries to approve.

use crate::state::AppState;
use leptos::prelude::*;
use trustfill_core::library::EntryStatus;

#[component]
pub fn ReviewQueue() -> impl IntoView {
    let state = expect_context::<AppState>();
    let learned = move || {
        state.library_revision.track();
        state.library.with_value(|lib| {
            lib.entries
                .iter()
                .flat_map(|e| e.learned.iter().map(move |p| (e.id.clone(), e.question.clone(), p.clone())))
                .collect::<Vec<_>>()
        })
    };
    let drafts = move || {
        state.library_revision.track();
        state.library.with_value(|lib| {
            lib.entries
                .iter()
                .filter(|e| e.status == EntryStatus::Draft)
                .map(|e| (e.id.clone(), e.question.clone(), e.answer.clone(), e.detail.clone()))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div class="tf-queue" data-testid="review-queue">
            <h3>"Phrasings learned from reviews"</h3>
            <p class="tf-muted">"They already help matching. Approve one to keep it as an alternate phrasing of its entry, or dismiss it."</p>
            {move || {
                let items = learned();
                if items.is_empty() {
                    view! { <p class="tf-muted" data-testid="no-learned">"Nothing learned is waiting."</p> }.into_any()
                } else {
                    view! {
                        <ul class="tf-entries">
                            {items.into_iter().map(|(id, question, phrasing)| {
                                let (approve_id, dismiss_id) = (id.clone(), id.clone());
                                let (approve_text, dismiss_text) = (phrasing.clone(), phrasing.clone());
                                view! {
                                    <li class="tf-entry" data-testid="learned-item">
                                        <div class="tf-entry-text">
                                            <p class="tf-entry-question">"“"{phrasing}"”"</p>
                                            <p class="tf-muted">{format!("learned for {id}: {question}")}</p>
                                        </div>
                                        <div class="tf-actions">
                                            <button class="tf-button tf-primary" data-testid="approve-learned" on:click=move |_| state.decide_learned(&approve_id, &approve_text, true)>"Approve"</button>
                                            <button class="tf-button tf-ghost" data-testid="dismiss-learned" on:click=move |_| state.decide_learned(&dismiss_id, &dismiss_text, false)>"Dismiss"</button>
                                        </div>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
            <h3>"Draft entries"</h3>
            <p class="tf-muted">"Drafts are not used for matching until approved."</p>
            {move || {
                let items = drafts();
                if items.is_empty() {
                    view! { <p class="tf-muted" data-testid="no-drafts">"No drafts."</p> }.into_any()
                } else {
                    view! {
                        <ul class="tf-entries">
                            {items.into_iter().map(|(id, question, answer, detail)| {
                                let approve_id = id.clone();
                                view! {
                                    <li class="tf-entry" data-testid="draft-item">
                                        <div class="tf-entry-text">
                                            <span class="tf-entry-id">{id}</span>
                                            <p class="tf-entry-question">{question}</p>
                                            <p><span class="tf-short">{answer}</span>" "{detail}</p>
                                        </div>
                                        <div class="tf-actions">
                                            <button class="tf-button tf-primary" data-testid="approve-draft" on:click=move |_| state.set_entry_status(&approve_id, EntryStatus::Approved)>"Approve"</button>
                                        </div>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
        </div>
    }
}
