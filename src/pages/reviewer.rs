//! Review mode, for procurement: a completed response (package or filled workbook) opened
//! read-only, with its summary, filters, and the reviewer's own ratings and notes, which are
//! saved locally and exported as JSON or CSV.

use crate::browser;
use crate::state::AppState;
use leptos::prelude::*;
use trustfill_core::criteria::Category;
use trustfill_core::import::package::{self, ResponsePackage};
use trustfill_core::library::profile::Standing;
use trustfill_core::model::Questionnaire;
use trustfill_core::review::Response;
use trustfill_core::reviewer::{
    self, AnswerKind, Rating, RatingFilter, ReviewerFilter, ReviewerNotes, ReviewerSummary,
};
use wasm_bindgen::JsCast;

/// Questions rendered at first, and added by "Show more".
const PAGE: usize = 100;

/// A response opened for review.
#[derive(Clone)]
struct Opened {
    questionnaire: Questionnaire,
    responses: Vec<Response>,
    standings: Vec<Option<Standing>>,
    summary: ReviewerSummary,
    soc2: Option<String>,
    checked: bool,
    library_version: String,
}

fn notes_key(file: &str, version: &str) -> String {
    format!("trustfill.review-notes.{file}.{version}")
}

/// Reads a package or a filled questionnaire into what the page shows.
fn open(name: &str, bytes: &[u8]) -> Result<Opened, String> {
    if package::looks_like_package(bytes) {
        let package: ResponsePackage = package::read_package(bytes, name).map_err(|e| format!("{name}: {e}"))?;
        let summary = ReviewerSummary::from_package(&package);
        return Ok(Opened {
            soc2: reviewer::soc2_paragraph(package.profile.as_ref()),
            checked: !package.checked_on.is_empty(),
            summary,
            library_version: package.library_version,
            questionnaire: package.questionnaire,
            responses: package.responses,
            standings: package.standings,
        });
    }
    let questionnaire = trustfill_core::import_questionnaire(bytes, name).map_err(|e| format!("{name}: {e}"))?;
    let responses = reviewer::responses_from_filled(&questionnaire);
    let summary = ReviewerSummary::new(&questionnaire, &responses, &[]);
    Ok(Opened {
        questionnaire,
        responses,
        standings: Vec::new(),
        summary,
        soc2: None,
        checked: false,
        library_version: String::new(),
    })
}

#[component]
pub fn ReviewerPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let opened = RwSignal::new(None::<Opened>);
    let notes = RwSignal::new(ReviewerNotes::new("", ""));
    let pick = move |ev: leptos::ev::Event| {
        let input = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
        let Some(file) = input.and_then(|i| i.files()).and_then(|f| f.get(0)) else { return };
        leptos::task::spawn_local(async move {
            match browser::read_file(file).await {
                Ok((name, bytes)) => match open(&name, &bytes) {
                    Ok(data) => {
                        let key = notes_key(&name, &data.library_version);
                        let saved = browser::load(&key).and_then(|json| ReviewerNotes::from_json(&json).ok());
                        notes.set(saved.unwrap_or_else(|| ReviewerNotes::new(&name, &data.library_version)));
                        state.tell(format!(
                            "{name}: {} questions opened read-only for review.",
                            data.questionnaire.questions.len()
                        ));
                        opened.set(Some(data));
                    }
                    Err(message) => state.warn(message),
                },
                Err(error) => state.warn(format!("The file could not be read: {error}")),
            }
        });
    };
    view! {
        <section class="tf-reviewer" data-testid="reviewer-page" aria-labelledby="reviewer-title">
            <h1 id="reviewer-title">"Review a completed response"</h1>
            <p class="tf-lead">"Open a Trustfill response package or a filled-in questionnaire. It opens read-only: you add ratings and notes, and export them."</p>
            <label class="tf-button tf-primary">
                "Open a response"
                <input type="file" class="tf-visually-hidden" data-testid="reviewer-file-input" accept=".json,.xlsx,.xlsm,.xls,.ods,.docx,.csv" on:change=pick />
            </label>
            {move || opened.get().map(|data| view! { <ReviewerBody data=data notes=notes /> })}
        </section>
    }
}

#[component]
fn ReviewerBody(data: Opened, notes: RwSignal<ReviewerNotes>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let data = StoredValue::new(data);
    let text = RwSignal::new(String::new());
    let answer = RwSignal::new(String::new());
    let category = RwSignal::new(String::new());
    let rating = RwSignal::new(String::new());
    let flagged_only = RwSignal::new(false);
    let shown = RwSignal::new(PAGE);
    let save_notes = move || {
        let (file, version, json) =
            notes.with_untracked(|n| (n.package_file.clone(), n.library_version.clone(), n.to_json()));
        if let Err(message) = browser::save(&notes_key(&file, &version), &json) {
            state.warn(message);
        }
    };
    let visible = Memo::new(move |_| {
        let filter = ReviewerFilter {
            text: text.get(),
            answer: AnswerKind::ALL.into_iter().find(|k| k.label() == answer.get()),
            category: Category::ALL.into_iter().find(|c| c.name() == category.get()),
            rating: match rating.get().as_str() {
                "" => None,
                "unrated" => Some(RatingFilter::Unrated),
                other => Rating::ALL.into_iter().find(|r| r.label() == other).map(RatingFilter::Is),
            },
            flagged_only: flagged_only.get(),
        };
        notes.with(|n| data.with_value(|d| reviewer::filter(&d.questionnaire, &d.responses, &d.summary, n, &filter)))
    });
    let export_notes = move |format: &'static str| {
        let (bytes, mime) = notes.with_untracked(|n| match format {
            "csv" => (data.with_value(|d| n.to_csv(&d.questionnaire, &d.responses)), "text/csv"),
            _ => (n.to_json().into_bytes(), "application/json"),
        });
        let stem = notes
            .with_untracked(|n| n.package_file.rsplit_once('.').map_or(n.package_file.clone(), |(s, _)| s.to_owned()));
        let name = format!("{stem}-review-notes.{format}");
        match browser::download(&bytes, &name, mime) {
            Ok(()) => {
                state.emit("exported", serde_json::json!({ "file": name, "format": format, "what": "review-notes" }));
                state.tell(format!("Downloaded {name}."));
            }
            Err(message) => state.warn(message),
        }
    };
    let (summary, soc2, checked, file_name) =
        data.with_value(|d| (d.summary.clone(), d.soc2.clone(), d.checked, d.questionnaire.file_name.clone()));
    let counts = summary.counts;
    view! {
        <div class="tf-reviewer-body">
            <h2 data-testid="reviewer-file">{file_name}</h2>
            {match soc2 {
                Some(paragraph) => view! { <p class="tf-soc2" data-testid="reviewer-soc2">{paragraph}</p> }.into_any(),
                None => view! { <p class="tf-muted">"This response carries no SOC 2 profile, so no answer is checked against a report's scope or dates."</p> }.into_any(),
            }}
            {(!checked).then(|| view! { <p class="tf-muted">"Scope and review dates were not recorded with these answers."</p> })}
            <ul class="tf-summary-counts" data-testid="reviewer-counts" aria-label="Answers by kind">
                {AnswerKind::ALL.into_iter().map(|kind| view! {
                    <li data-kind=format!("{kind:?}")><span class="tf-count-number">{counts.get(kind)}</span>" "{kind.label()}</li>
                }).collect_view()}
            </ul>
            <details class="tf-by-category" data-testid="reviewer-categories">
                <summary>"Answers by SOC 2 category and criterion"</summary>
                <table class="tf-terms">
                    <thead><tr><th scope="col">"Category or criterion"</th><th scope="col">"Yes"</th><th scope="col">"No"</th><th scope="col">"Partial"</th><th scope="col">"N/A"</th><th scope="col">"Other"</th><th scope="col">"Unanswered"</th></tr></thead>
                    <tbody>
                        {summary.by_category.iter().flat_map(|cat| {
                            let row = |label: String, c: &trustfill_core::reviewer::AnswerCounts, strong: bool| view! {
                                <tr class:tf-strong=strong><td>{label}</td><td>{c.yes}</td><td>{c.no}</td><td>{c.partial}</td><td>{c.not_applicable}</td><td>{c.other}</td><td>{c.unanswered}</td></tr>
                            };
                            std::iter::once(row(cat.category.name().to_owned(), &cat.counts, true))
                                .chain(cat.criteria.iter().map(move |cr| row(format!("  {}", cr.criterion), &cr.counts, false)))
                                .collect::<Vec<_>>()
                        }).collect_view()}
                    </tbody>
                </table>
            </details>
            <div class="tf-reviewer-lists">
                {list_card("Answered No or Partial", "reviewer-no-partial", summary.no_or_partial.iter().map(|q| q.id.clone()).collect())}
                {list_card("Unanswered", "reviewer-unanswered", summary.unanswered.iter().map(|q| q.id.clone()).collect())}
                {list_card("Library entry past its review date", "reviewer-stale", summary.stale.iter().map(|s| format!("{}: {}", s.id, s.stale.message())).collect())}
                {list_card("Outside the SOC 2 scope", "reviewer-out-of-scope", summary.out_of_scope.iter().map(|o| format!("{}: {}", o.id, o.categories.iter().map(|c| c.name()).collect::<Vec<_>>().join(", "))).collect())}
            </div>
            <div class="tf-filters" role="search">
                <label>"Search "<input type="search" data-testid="reviewer-search" on:input=move |ev| { shown.set(PAGE); text.set(event_target_value(&ev)); } /></label>
                <label>"Answer "<select data-testid="reviewer-answer-filter" on:change=move |ev| answer.set(event_target_value(&ev))>
                    <option value="">"All"</option>
                    {AnswerKind::ALL.into_iter().map(|k| view! { <option value=k.label()>{k.label()}</option> }).collect_view()}
                </select></label>
                <label>"Category "<select data-testid="reviewer-category-filter" on:change=move |ev| category.set(event_target_value(&ev))>
                    <option value="">"All"</option>
                    {Category::ALL.into_iter().map(|c| view! { <option value=c.name()>{c.name()}</option> }).collect_view()}
                </select></label>
                <label>"Rating "<select data-testid="reviewer-rating-filter" on:change=move |ev| rating.set(event_target_value(&ev))>
                    <option value="">"All"</option>
                    <option value="unrated">"Not rated"</option>
                    {Rating::ALL.into_iter().map(|r| view! { <option value=r.label()>{r.label()}</option> }).collect_view()}
                </select></label>
                <label><input type="checkbox" data-testid="reviewer-flagged" on:change=move |ev| flagged_only.set(event_target_checked(&ev)) />" Flagged only"</label>
                <button class="tf-button" data-testid="export-notes-json" on:click=move |_| export_notes("json")>"Export notes (JSON)"</button>
                <button class="tf-button" data-testid="export-notes-csv" on:click=move |_| export_notes("csv")>"Export notes (CSV)"</button>
            </div>
            <p class="tf-muted" data-testid="reviewer-shown">{move || format!("Showing {} of {} questions", visible.with(Vec::len).min(shown.get()), data.with_value(|d| d.questionnaire.questions.len()))}</p>
            <ul class="tf-entries">
                {move || visible.get().into_iter().take(shown.get()).map(|index| {
                    reviewer_row(data, notes, index, save_notes)
                }).collect_view()}
            </ul>
            {move || (visible.with(Vec::len) > shown.get()).then(|| view! {
                <button class="tf-button" on:click=move |_| shown.update(|s| *s += PAGE)>"Show more"</button>
            })}
        </div>
    }
}

/// One of the summary's lists of questions.
fn list_card(title: &'static str, test_id: &'static str, items: Vec<String>) -> impl IntoView {
    view! {
        <section class="tf-list-card" data-testid=test_id tabindex="0" aria-label=title>
            <h3>{format!("{title} ({})", items.len())}</h3>
            {if items.is_empty() {
                view! { <p class="tf-muted">"None."</p> }.into_any()
            } else {
                view! { <ul>{items.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ul> }.into_any()
            }}
        </section>
    }
}

/// One question, read-only, with the reviewer's rating and note.
fn reviewer_row(
    data: StoredValue<Opened>,
    notes: RwSignal<ReviewerNotes>,
    index: usize,
    save_notes: impl Fn() + Copy + 'static,
) -> impl IntoView {
    let (question, response, standing, kind) = data.with_value(|d| {
        (
            d.questionnaire.questions[index].clone(),
            d.responses.get(index).cloned().unwrap_or_else(Response::unanswered),
            d.standings.get(index).cloned().flatten(),
            reviewer::answer_kind(&d.responses, index),
        )
    });
    let id = question.id.clone();
    let (rate_id, note_id) = (id.clone(), id.clone());
    let current = notes.with_untracked(|n| n.get(&id).cloned().unwrap_or_default());
    view! {
        <li class="tf-entry tf-reviewer-row" data-testid="reviewer-row" data-question-id=id.clone()>
            <div class="tf-entry-text">
                <span class="tf-entry-id">{id.clone()}</span>" "<span class="tf-muted">{question.section.clone()}</span>
                <p class="tf-entry-question">{question.text.clone()}</p>
                <p><span class="tf-short" data-testid="reviewer-answer">{kind.label()}</span>" "{response.answer.clone()}</p>
                {(!response.detail.is_empty()).then(|| view! { <p>{response.detail.clone()}</p> })}
                {(!response.controls.is_empty()).then(|| view! { <p class="tf-muted">{format!("SOC 2: {}", response.controls.join(", "))}</p> })}
                {(!response.evidence.is_empty()).then(|| view! { <p class="tf-muted">{format!("Evidence: {}", response.evidence.join("; "))}</p> })}
                {standing.map(|s| view! {
                    <p class="tf-muted" data-testid="reviewer-scope">{s.scope.message()}</p>
                    {s.stale.map(|stale| view! { <p class="tf-warning" data-testid="reviewer-stale-flag">{stale.message()}</p> })}
                })}
            </div>
            <div class="tf-reviewer-notes">
                <label>"Rating "
                    <select data-testid="reviewer-rating" on:change=move |ev| {
                        let value = event_target_value(&ev);
                        notes.update(|n| n.set_rating(&rate_id, Rating::ALL.into_iter().find(|r| r.label() == value)));
                        save_notes();
                    }>
                        <option value="" selected=current.rating.is_none()>"Not rated"</option>
                        {Rating::ALL.into_iter().map(|r| view! { <option value=r.label() selected=current.rating == Some(r)>{r.label()}</option> }).collect_view()}
                    </select>
                </label>
                <label>"Note "
                    <textarea rows="2" data-testid="reviewer-note" prop:value=current.note.clone() on:change=move |ev| {
                        let value = event_target_value(&ev);
                        notes.update(|n| n.set_note(&note_id, &value));
                        save_notes();
                    }></textarea>
                </label>
            </div>
        </li>
    }
}
