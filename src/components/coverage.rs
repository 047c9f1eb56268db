//! The coverage view: every SOC 2 criterion as a grid coloured by its approved entries, with
//! a click through to them; then the library checks: stale entries, near-duplicates and the rest.

use crate::state::AppState;
use leptos::prelude::*;
use trustfill_core::criteria::CriteriaCatalog;
use trustfill_core::library::check::{self, approved_per_criterion, Finding, MIN_APPROVED_PER_CRITERION};

/// Entries whose questions match each other at this confidence or more are near-duplicates.
const NEAR_DUPLICATE_CONFIDENCE: f32 = 0.9;

/// One criterion's cell: its id, description and approved entries.
type Cell = (String, String, usize);

/// The colour class of a criterion's cell, by how many approved entries cite it.
fn coverage_class(approved: usize) -> &'static str {
    match approved {
        0 => "tf-cov tf-cov-none",
        n if n < MIN_APPROVED_PER_CRITERION => "tf-cov tf-cov-thin",
        n if n < 4 => "tf-cov tf-cov-ok",
        _ => "tf-cov tf-cov-strong",
    }
}

#[component]
pub fn Coverage(on_pick: Callback<String>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let near = RwSignal::new(None::<Vec<String>>);
    let grid = move || {
        state.library_revision.track();
        state.library.with_value(|lib| {
            let counts = approved_per_criterion(lib);
            let mut groups: Vec<(String, Vec<Cell>)> = Vec::new();
            for (id, approved) in counts {
                let category = CriteriaCatalog::category_of(&id).to_owned();
                let description = lib.criteria.get(&id).map(|c| c.description.clone()).unwrap_or_default();
                match groups.last_mut() {
                    Some((name, cells)) if *name == category => cells.push((id.to_string(), description, approved)),
                    _ => groups.push((category, vec![(id.to_string(), description, approved)])),
                }
            }
            groups
        })
    };
    let findings = move || {
        state.library_revision.track();
        state.library.with_value(|lib| check::check(lib, &crate::browser::today()))
    };
    let find_near = move |_| {
        state.ensure_matcher();
        let pairs = state.library.with_value(|lib| {
            state.matcher.with_value(|m| {
                trustfill_core::matching::near_duplicates(lib, m, NEAR_DUPLICATE_CONFIDENCE)
                    .into_iter()
                    .map(|(first, second, confidence)| {
                        Finding::NearDuplicate { first, second, confidence: (confidence * 100.0).round() as u32 }
                            .message()
                    })
                    .collect::<Vec<_>>()
            })
        });
        near.set(Some(pairs));
    };

    view! {
        <div class="tf-coverage" data-testid="coverage">
            <p class="tf-muted">
                {format!("Each SOC 2 criterion should have at least {MIN_APPROVED_PER_CRITERION} approved entries. Choose a criterion to see its entries.")}
            </p>
            <ul class="tf-cov-legend" aria-label="Legend">
                <li><span class="tf-cov tf-cov-none">"0"</span>" none"</li>
                <li><span class="tf-cov tf-cov-thin">"1"</span>" too few"</li>
                <li><span class="tf-cov tf-cov-ok">"2–3"</span>" covered"</li>
                <li><span class="tf-cov tf-cov-strong">"4+"</span>" well covered"</li>
            </ul>
            {move || grid().into_iter().map(|(category, cells)| view! {
                <section class="tf-cov-group">
                    <h3>{category}</h3>
                    <div class="tf-cov-grid" role="list">
                        {cells.into_iter().map(|(id, description, approved)| {
                            let pick = id.clone();
                            view! {
                                <button role="listitem" class=coverage_class(approved) data-testid="coverage-cell" data-criterion=id.clone()
                                    data-approved=approved.to_string()
                                    title=description.clone()
                                    aria-label=format!("{id}: {approved} approved entries. {description}")
                                    on:click=move |_| on_pick.run(pick.clone())>
                                    <span class="tf-cov-id">{id.clone()}</span>
                                    <span class="tf-cov-count">{approved}</span>
                                </button>
                            }
                        }).collect_view()}
                    </div>
                </section>
            }).collect_view()}
            <section class="tf-checks" data-testid="library-checks">
                <h3>"Checks"</h3>
                {move || {
                    let all = findings();
                    let stale: Vec<String> = all.iter().filter(|f| matches!(f, Finding::Stale { .. })).map(Finding::message).collect();
                    let other: Vec<String> = all.iter().filter(|f| !matches!(f, Finding::Stale { .. })).map(Finding::message).collect();
                    view! {
                        <h4>{format!("Due for review ({})", stale.len())}</h4>
                        {if stale.is_empty() {
                            view! { <p class="tf-muted">"Every entry was reviewed in the last 12 months."</p> }.into_any()
                        } else {
                            view! { <ul data-testid="stale-entries">{stale.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul> }.into_any()
                        }}
                        <h4>{format!("Other findings ({})", other.len())}</h4>
                        {if other.is_empty() {
                            view! { <p class="tf-muted">"No duplicate ids, unknown controls, empty answers or thin criteria."</p> }.into_any()
                        } else {
                            view! { <ul data-testid="other-findings">{other.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul> }.into_any()
                        }}
                    }
                }}
                <h4>"Near-duplicates"</h4>
                {move || match near.get() {
                    None => view! {
                        <button class="tf-button" data-testid="find-near-duplicates" on:click=find_near>"Find entries that ask nearly the same question"</button>
                    }.into_any(),
                    Some(pairs) if pairs.is_empty() => view! { <p class="tf-muted" data-testid="near-duplicates">"No two entries ask nearly the same question."</p> }.into_any(),
                    Some(pairs) => view! { <ul data-testid="near-duplicates">{pairs.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul> }.into_any(),
                }}
            </section>
        </div>
    }
}
