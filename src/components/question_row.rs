//! One question in the review list: the suggestion, its confidence and controls, and the
//! actions on it.

use crate::components::explain::ExplainPanel;
use crate::components::library_search::LibrarySearch;
use crate::state::AppState;
use leptos::prelude::*;
use trustfill_core::library::profile::{standing, ScopeStatus};
use trustfill_core::matching::{Suggestion, Tier};
use trustfill_core::model::{AnswerFormat, Question};
use trustfill_core::review::{Response, ResponseStatus, ReviewAction};

/// The short answers offered when the questionnaire has no dropdown of its own.
const STANDARD_ANSWERS: [&str; 4] = ["Yes", "No", "N/A", "Partial"];

fn tier_class(tier: Tier) -> &'static str {
    match tier {
        Tier::High => "tf-tier tf-tier-high",
        Tier::Medium => "tf-tier tf-tier-medium",
        Tier::Low => "tf-tier tf-tier-low",
        Tier::None => "tf-tier tf-tier-none",
    }
}

fn status_class(status: ResponseStatus) -> &'static str {
    match status {
        ResponseStatus::Accepted => "tf-status tf-status-accepted",
        ResponseStatus::Edited => "tf-status tf-status-edited",
        ResponseStatus::NeedsSme => "tf-status tf-status-sme",
        ResponseStatus::NoMatch => "tf-status tf-status-nomatch",
        ResponseStatus::Suggested => "tf-status tf-status-suggested",
        ResponseStatus::Unanswered => "tf-status",
    }
}

/// Whether the answer's controls are in the SOC 2 report's scope, and whether it is stale.
fn standing_view(state: AppState, response: &Response) -> Option<impl IntoView> {
    if response.answer.is_empty() && response.detail.is_empty() {
        return None;
    }
    state.library_revision.track();
    let standing = state
        .library
        .with_value(|lib| lib.profile().is_some().then(|| standing(lib, response, &crate::browser::today())))?;
    let (class, text) = match &standing.scope {
        ScopeStatus::Covered => ("tf-scope tf-scope-covered", "Covered by the audited SOC 2 scope.".to_owned()),
        ScopeStatus::OutOfScope { .. } => ("tf-scope tf-scope-out", standing.scope.message()),
        _ => ("tf-scope", standing.scope.message()),
    };
    Some(view! {
        <p class=class data-testid="scope-status">{text}</p>
        {standing.stale.map(|stale| view! { <p class="tf-scope tf-scope-stale" data-testid="stale-status">{stale.message()}</p> })}
    })
}

#[component]
pub fn QuestionRow(
    index: usize,
    question: Question,
    suggestions: Vec<Suggestion>,
    response: RwSignal<Response>,
    editing: RwSignal<Option<usize>>,
    explaining: RwSignal<Option<usize>>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let selected = move || state.selected.get() == index;
    let choices: Vec<String> = match &question.answer_format {
        AnswerFormat::Choice(c) => c.clone(),
        AnswerFormat::FreeText => STANDARD_ANSWERS.iter().map(|s| (*s).to_owned()).collect(),
    };
    let top = suggestions.first().cloned();
    let description = move |id: &str| {
        state.library.with_value(|lib| {
            trustfill_core::CriterionId::parse(id)
                .ok()
                .and_then(|c| lib.criteria.get(&c).map(|c| c.description.clone()))
                .unwrap_or_default()
        })
    };
    let matched_question = move |entry_id: Option<String>| {
        entry_id.and_then(|id| state.library.with_value(|lib| lib.entry(&id).map(|e| e.question.clone())))
    };
    let draft_answer = RwSignal::new(String::new());
    let draft_detail = RwSignal::new(String::new());
    let start_edit = move || {
        response.with_untracked(|r| {
            draft_answer.set(r.answer.clone());
            draft_detail.set(r.detail.clone());
        });
        editing.set(Some(index));
    };
    let suggestions_for_view = suggestions.clone();
    let searching = RwSignal::new(false);
    let top_for_explain = top.clone();
    view! {
        <article
            class="tf-row"
            class:tf-selected=selected
            id=format!("q-{index}")
            data-testid="question-row"
            data-question-id=question.id.clone()
            aria-label=format!("Question {}", question.id)
            on:click=move |_| state.selected.set(index)
        >
            <div class="tf-row-head">
                <span class="tf-qid">{question.id.clone()}</span>
                <p class="tf-qtext">{question.text.clone()}</p>
                <span class=move || status_class(response.get().status) data-testid="row-status">{move || response.get().status.label()}</span>
            </div>
            <div class="tf-row-body">
                {move || {
                    let r = response.get();
                    if editing.get() == Some(index) {
                        let choices = choices.clone();
                        view! {
                            <form class="tf-edit" data-testid="edit-form" on:submit=move |ev| {
                                ev.prevent_default();
                                state.apply(ReviewAction::Edit { question: index, answer: draft_answer.get_untracked(), detail: draft_detail.get_untracked() });
                                editing.set(None);
                            }>
                                <label>"Short answer "
                                    <select data-testid="edit-answer" prop:value=move || draft_answer.get() on:change=move |ev| draft_answer.set(event_target_value(&ev))>
                                        <option value="">"—"</option>
                                        {choices.into_iter().map(|c| view! { <option value=c.clone()>{c.clone()}</option> }).collect_view()}
                                    </select>
                                </label>
                                <label class="tf-edit-detail">"Detail"
                                    <textarea data-testid="edit-detail" prop:value=move || draft_detail.get() on:input=move |ev| draft_detail.set(event_target_value(&ev)) rows="3"></textarea>
                                </label>
                                <div class="tf-actions">
                                    <button type="submit" class="tf-button tf-primary" data-testid="save-edit">"Save"</button>
                                    <button type="button" class="tf-button" on:click=move |_| editing.set(None)>"Cancel"</button>
                                </div>
                            </form>
                        }.into_any()
                    } else {
                        let matched = matched_question(r.entry_id.clone());
                        view! {
                            <div class="tf-answer">
                                {(!r.answer.is_empty()).then(|| view! { <span class="tf-short" data-testid="short-answer">{r.answer.clone()}</span> })}
                                <p class="tf-detail" data-testid="detail">{if r.detail.is_empty() && r.answer.is_empty() { "No answer yet.".to_owned() } else { r.detail.clone() }}</p>
                                {matched.map(|m| view! { <p class="tf-matched">"From library: " <q>{m}</q></p> })}
                                {(!r.note.is_empty()).then(|| view! { <p class="tf-note">"Note: " {r.note.clone()}</p> })}
                                <ul class="tf-chips" aria-label="SOC 2 controls">
                                    {r.controls.iter().map(|c| view! { <li class="tf-chip" title=description(c)>{c.clone()}</li> }).collect_view()}
                                </ul>
                                {standing_view(state, &r)}
                                {(!r.evidence.is_empty()).then(|| view! {
                                    <p class="tf-evidence" data-testid="evidence">"Evidence: "{r.evidence.join("; ")}</p>
                                })}
                            </div>
                        }.into_any()
                    }
                }}
                <div class="tf-meta">
                    {top.clone().map(|t| view! {
                        <span class=tier_class(t.tier) data-testid="tier">{format!("{} · {:.0}%", t.tier.label(), t.confidence * 100.0)}</span>
                    })}
                    <div class="tf-actions">
                        <button class="tf-button tf-primary" data-testid="accept" on:click=move |_| { state.apply(ReviewAction::Accept { question: index }); }>"Accept"</button>
                        <button class="tf-button" data-testid="edit" on:click=move |_| start_edit()>"Edit"</button>
                        <button class="tf-button" data-testid="needs-sme" on:click=move |_| {
                            let note = web_sys::window().and_then(|w| w.prompt_with_message("Note for the subject-matter expert:").ok().flatten()).unwrap_or_default();
                            state.apply(ReviewAction::NeedsSme { question: index, note });
                        }>"Needs SME"</button>
                        <button class="tf-button" data-testid="clear" on:click=move |_| { state.apply(ReviewAction::Clear { question: index }); }>"Clear"</button>
                        {move || response.get().status.is_final().then(|| view! {
                            <button class="tf-button" data-testid="save-to-library" title="Keep this question as a phrasing of the library entry, or the edited answer as a draft entry"
                                on:click=move |_| state.save_to_library(index)>"Save to library"</button>
                        })}
                        <button class="tf-button" data-testid="search-library" aria-expanded=move || searching.get().to_string() on:click=move |_| searching.update(|s| *s = !*s)>"Search library"</button>
                        <button class="tf-button tf-ghost" data-testid="explain" aria-expanded=move || (explaining.get() == Some(index)).to_string()
                            on:click=move |_| explaining.update(|e| *e = if *e == Some(index) { None } else { Some(index) })>"Why?"</button>
                    </div>
                </div>
            </div>
            {(suggestions_for_view.len() > 1).then(|| view! {
                <div class="tf-alternatives">
                    <span class="tf-muted">"Suggestions: "</span>
                    {suggestions_for_view.iter().enumerate().map(|(rank, s)| {
                        let entry = state.library.with_value(|lib| lib.entry(&s.entry_id).cloned());
                        let confidence = s.confidence;
                        let label = entry.as_ref().map(|e| e.question.clone()).unwrap_or_default();
                        view! {
                            <button class="tf-button tf-alt" data-testid="pick-suggestion" title=label.clone() on:click=move |_| {
                                if let Some(entry) = entry.clone() {
                                    state.apply(ReviewAction::Choose { question: index, entry: Box::new(entry), confidence: Some(confidence) });
                                }
                            }>{format!("{}. {} ({:.0}%)", rank + 1, label, confidence * 100.0)}</button>
                        }
                    }).collect_view()}
                </div>
            })}
            {move || searching.get().then(|| view! { <LibrarySearch index=index open=searching /> })}
            {move || (explaining.get() == Some(index)).then(|| top_for_explain.clone().map(|s| view! { <ExplainPanel suggestion=s /> }))}
        </article>
    }
}
