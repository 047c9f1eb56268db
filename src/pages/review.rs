//! The review page: progress, filters, bulk actions, exports, and the list of questions.

use crate::components::columns::ColumnChooser;
use crate::components::question_row::QuestionRow;
use crate::state::AppState;
use leptos::ev;
use leptos::prelude::*;
use trustfill_core::review::{ResponseStatus, ReviewAction};

/// The estimated height of one line of the list, in pixels. It is kept below a real row's
/// height, so that the rows rendered always cover the screen.
const LINE_HEIGHT: f64 = 110.0;
/// Lines rendered above and below the screen.
const OVERSCAN: usize = 2;
/// A list with at most this many lines is rendered whole.
const RENDER_ALL_BELOW: usize = 150;

/// One line of the list: a section heading or a question.
#[derive(Clone, PartialEq)]
enum Line {
    Section(String),
    Question(usize),
}

#[component]
pub fn ReviewPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let shows = move |feature: &str| state.config.with_value(|c| c.shows(feature));
    let filters = state.filters;
    let (status_filter, tier_filter, section_filter, control_filter, search) =
        (filters.status, filters.tier, filters.section, filters.control, filters.search);
    // The page is rebuilt after a re-rank with the filters set: each control shows its value.
    let chosen = |filter: RwSignal<String>, value: &str| filter.with_untracked(|f| f == value);
    let list_ref = NodeRef::<leptos::html::Div>::new();
    let scrolled = RwSignal::new(0.0f64);
    let screen = RwSignal::new(900.0f64);
    let editing = state.editing;
    editing.set(None);
    let explaining = RwSignal::new(None::<usize>);
    let confirm_bulk = RwSignal::new(false);
    let show_help = RwSignal::new(false);
    let choosing_columns = RwSignal::new(false);
    let search_ref = NodeRef::<leptos::html::Input>::new();

    let questions =
        state.session.with_value(|s| s.as_ref().map(|s| s.questionnaire.questions.clone()).unwrap_or_default());
    let suggestions = state.session.with_value(|s| s.as_ref().map(|s| s.suggestions.clone()).unwrap_or_default());
    let file_name =
        state.session.with_value(|s| s.as_ref().map(|s| s.questionnaire.file_name.clone()).unwrap_or_default());
    let diagnostics =
        state.session.with_value(|s| s.as_ref().map(|s| s.questionnaire.diagnostics.clone()).unwrap_or_default());
    let total = questions.len();
    let lowered: Vec<String> =
        questions.iter().map(|q| format!("{} {} {}", q.id, q.section, q.text).to_lowercase()).collect();
    let sections: Vec<String> = questions.iter().map(|q| q.section.clone()).collect();
    let tiers: Vec<String> =
        suggestions.iter().map(|list| list.first().map_or("none", |s| s.tier.label()).to_owned()).collect();
    let mut section_names: Vec<String> = Vec::new();
    for section in &sections {
        if !section.is_empty() && !section_names.contains(section) {
            section_names.push(section.clone());
        }
    }
    let control_names: Vec<String> =
        state.library.with_value(|lib| lib.criteria.all().iter().map(|c| c.id.to_string()).collect());

    let counts = Memo::new(move |_| {
        state.revision.track();
        state.session.with_value(|s| s.as_ref().map(|s| s.counts()).unwrap_or_default())
    });
    let done = move || counts.get().iter().filter(|(s, _)| s.is_final()).map(|(_, n)| n).sum::<usize>();
    let pending_high = move || {
        state.revision.track();
        state.session.with_value(|s| s.as_ref().map(|s| s.high_tier_pending().len()).unwrap_or(0))
    };

    let visible = Memo::new(move |_| {
        let wanted = status_filter.get();
        let tier = tier_filter.get();
        let section = section_filter.get();
        let control = control_filter.get();
        let needle = search.get().to_lowercase();
        let rows = state.rows.get();
        let mut lines = Vec::new();
        let mut last_section: Option<&str> = None;
        // The rows of a session opened after this page was built are longer than its
        // questions; the page is about to be rebuilt, so they are not read.
        for (i, row) in rows.iter().enumerate().take(sections.len()) {
            if !wanted.is_empty() && format!("{:?}", row.with(|r| r.status)) != wanted {
                continue;
            }
            if !tier.is_empty() && tiers[i] != tier {
                continue;
            }
            if !section.is_empty() && sections[i] != section {
                continue;
            }
            if !control.is_empty() && !row.with(|r| r.controls.contains(&control)) {
                continue;
            }
            if !needle.is_empty() && !lowered[i].contains(&needle) {
                continue;
            }
            if last_section != Some(sections[i].as_str()) && !sections[i].is_empty() {
                lines.push(Line::Section(sections[i].clone()));
            }
            last_section = Some(sections[i].as_str());
            lines.push(Line::Question(i));
        }
        lines
    });
    // The lines on screen, plus some above and below: only they are rendered. Spacers
    // stand in for the rest at an estimated height.
    let measure = move || {
        if let Some(list) = list_ref.get_untracked() {
            scrolled.set((-list.get_bounding_client_rect().top()).max(0.0));
        }
        if let Some(height) = web_sys::window().and_then(|w| w.inner_height().ok()).and_then(|h| h.as_f64()) {
            screen.set(height);
        }
    };
    let on_scroll = window_event_listener(ev::scroll, move |_| measure());
    let on_resize = window_event_listener(ev::resize, move |_| measure());
    on_cleanup(move || {
        on_scroll.remove();
        on_resize.remove();
    });
    let window = Memo::new(move |_| {
        let count = visible.with(Vec::len);
        if count <= RENDER_ALL_BELOW {
            return (0, count);
        }
        let first = (scrolled.get() / LINE_HEIGHT) as usize;
        let on_screen = (screen.get() / LINE_HEIGHT).ceil() as usize + 1;
        let start = first.saturating_sub(OVERSCAN).min(count);
        (start, (first + on_screen + OVERSCAN).min(count).max(start))
    });
    let rendered = move || {
        let (start, end) = window.get();
        visible.with(|lines| lines[start..end].to_vec())
    };
    let spacer = move |above: bool| {
        let (start, end) = window.get();
        let lines = if above { start } else { visible.with(Vec::len) - end };
        format!("{}px", lines as f64 * LINE_HEIGHT)
    };
    let visible_questions = move || {
        visible.with(|v| {
            v.iter().filter_map(|l| if let Line::Question(i) = l { Some(*i) } else { None }).collect::<Vec<_>>()
        })
    };

    let move_selection = move |step: i64| {
        let order = visible_questions();
        if order.is_empty() {
            return;
        }
        let current = state.selected.get_untracked();
        let position = order.iter().position(|&i| i == current).map(|p| p as i64).unwrap_or(-1);
        let next = (position + step).clamp(0, order.len() as i64 - 1) as usize;
        state.selected.set(order[next]);
        let id = format!("q-{}", order[next]);
        let document = gloo::utils::document();
        if let Some(element) = document.get_element_by_id(&id) {
            element.scroll_into_view_with_bool(false);
        } else {
            // The row is outside the rendered window: scroll to its estimated place, let
            // the window follow, then bring the row itself into view.
            let line =
                visible.with_untracked(|v| v.iter().position(|l| *l == Line::Question(order[next])).unwrap_or(0));
            if let (Some(list), Some(window)) = (list_ref.get_untracked(), web_sys::window()) {
                let top = list.get_bounding_client_rect().top() + window.scroll_y().unwrap_or(0.0);
                window.scroll_to_with_x_and_y(0.0, top + line as f64 * LINE_HEIGHT - 120.0);
            }
            measure();
            request_animation_frame(move || {
                if let Some(element) = gloo::utils::document().get_element_by_id(&id) {
                    element.scroll_into_view_with_bool(false);
                }
            });
        }
    };
    let suggestions_for_keys = suggestions.clone();
    let handle = window_event_listener(ev::keydown, move |ev: web_sys::KeyboardEvent| {
        let in_field = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
        if in_field || ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            if ev.key() == "Escape" {
                editing.set(None);
            }
            return;
        }
        let index = state.selected.get_untracked();
        match ev.key().as_str() {
            "j" | "ArrowDown" => move_selection(1),
            "k" | "ArrowUp" => move_selection(-1),
            "a" => {
                state.apply(ReviewAction::Accept { question: index });
            }
            "e" => {
                ev.prevent_default();
                let r = state.rows.with_untracked(|rows| rows.get(index).map(|r| r.get_untracked()));
                if r.is_some() {
                    editing.set(Some(index));
                }
            }
            "1" | "2" | "3" => {
                let rank = ev.key().parse::<usize>().unwrap_or(1) - 1;
                if let Some(s) = suggestions_for_keys.get(index).and_then(|list| list.get(rank)) {
                    if let Some(entry) = state.library.with_value(|l| l.entry(&s.entry_id).cloned()) {
                        state.apply(ReviewAction::Choose {
                            question: index,
                            entry: Box::new(entry),
                            confidence: Some(s.confidence),
                        });
                    }
                }
            }
            "u" => state.undo(),
            "U" => state.redo(),
            "w" => explaining.update(|e| *e = if *e == Some(index) { None } else { Some(index) }),
            "/" => {
                ev.prevent_default();
                if let Some(input) = search_ref.get() {
                    let _ = input.focus();
                }
            }
            "?" => show_help.update(|h| *h = !*h),
            "Escape" => {
                show_help.set(false);
                editing.set(None);
            }
            _ => {}
        }
    });
    on_cleanup(move || handle.remove());

    let status_options: Vec<(String, &'static str)> =
        ResponseStatus::ALL.iter().map(|s| (format!("{s:?}"), s.label())).collect();
    view! {
        <section class="tf-review" data-testid="review-page">
            <div class="tf-toolbar">
                <div class="tf-title">
                    <h1>{file_name}</h1>
                    <p class="tf-muted" data-testid="question-count">{format!("{total} questions")}</p>
                </div>
                <div class="tf-progress" role="progressbar" aria-label="Answered" aria-valuemin="0" aria-valuemax=total.to_string() aria-valuenow=move || done().to_string()>
                    <div class="tf-progress-bar" style:width=move || format!("{:.1}%", done() as f64 * 100.0 / total.max(1) as f64)></div>
                </div>
                <ul class="tf-counts" data-testid="status-counts">
                    {move || counts.get().into_iter().map(|(s, n)| view! { <li data-status=format!("{s:?}")>{format!("{}: {n}", s.label())}</li> }).collect_view()}
                </ul>
                <div class="tf-toolbar-actions">
                    <button class="tf-button tf-primary" data-testid="bulk-accept" on:click=move |_| confirm_bulk.set(true)>
                        {move || format!("Accept all high-confidence ({})", pending_high())}
                    </button>
                    <button class="tf-button" data-testid="undo" on:click=move |_| state.undo()>"Undo"</button>
                    <button class="tf-button" data-testid="redo" on:click=move |_| state.redo()>"Redo"</button>
                    {(state.can_fill_original() && shows("export-original")).then(|| view! {
                        <button class="tf-button tf-primary" data-testid="export-xlsx" on:click=move |_| state.export("xlsx")>{state.fill_label()}</button>
                    })}
                    {shows("export-csv").then(|| view! { <button class="tf-button" data-testid="export-csv" on:click=move |_| state.export("csv")>"Download CSV"</button> })}
                    {shows("export-json").then(|| view! { <button class="tf-button" data-testid="export-json" on:click=move |_| state.export("json")>"Download response package"</button> })}
                    {shows("export-report").then(|| view! { <button class="tf-button" data-testid="export-report" on:click=move |_| state.export("html")>"Download report"</button> })}
                    {state.can_choose_columns().then(|| view! {
                        <button class="tf-button" data-testid="choose-columns" aria-expanded=move || choosing_columns.get().to_string()
                            on:click=move |_| choosing_columns.update(|o| *o = !*o)>"Fix columns"</button>
                    })}
                    <button class="tf-button tf-ghost" data-testid="close-session" on:click=move |_| state.close()>"Close"</button>
                </div>
                {move || choosing_columns.get().then(|| view! { <ColumnChooser open=choosing_columns /> })}
                {move || confirm_bulk.get().then(|| {
                    let preview: Vec<String> = state.session.with_value(|s| s.as_ref().map(|s| s.high_tier_pending().iter().take(5).map(|&i| s.questionnaire.questions[i].id.clone()).collect()).unwrap_or_default());
                    view! {
                        <div class="tf-confirm" role="dialog" aria-label="Accept high-confidence answers" data-testid="bulk-confirm">
                            <p>{format!("Accept {} suggested answers with high confidence{}?", pending_high(), if preview.is_empty() { String::new() } else { format!(" (for example {})", preview.join(", ")) })}</p>
                            <button class="tf-button tf-primary" data-testid="bulk-confirm-yes" on:click=move |_| {
                                let n = state.apply(ReviewAction::AcceptAllHigh);
                                state.tell(format!("Accepted {n} high-confidence answers. Undo reverts them all."));
                                confirm_bulk.set(false);
                            }>"Accept them"</button>
                            <button class="tf-button" on:click=move |_| confirm_bulk.set(false)>"Cancel"</button>
                        </div>
                    }
                })}
                <div class="tf-filters">
                    <label>"Status "
                        <select data-testid="status-filter" on:change=move |ev| status_filter.set(event_target_value(&ev))>
                            <option value="">"All"</option>
                            {status_options.into_iter().map(|(value, label)| { let selected = chosen(status_filter, &value); view! { <option value=value selected=selected>{label}</option> } }).collect_view()}
                        </select>
                    </label>
                    <label>"Tier "
                        <select data-testid="tier-filter" on:change=move |ev| tier_filter.set(event_target_value(&ev))>
                            <option value="">"All"</option>
                            {["high", "medium", "low", "none"].into_iter().map(|t| view! { <option value=t selected=chosen(tier_filter, t)>{t}</option> }).collect_view()}
                        </select>
                    </label>
                    {(section_names.len() > 1).then(|| view! {
                        <label>"Section "
                            <select data-testid="section-filter" on:change=move |ev| section_filter.set(event_target_value(&ev))>
                                <option value="">"All"</option>
                                {section_names.iter().map(|name| view! { <option value=name.clone() selected=chosen(section_filter, name)>{name.clone()}</option> }).collect_view()}
                            </select>
                        </label>
                    })}
                    <label>"Control "
                        <select data-testid="control-filter" on:change=move |ev| control_filter.set(event_target_value(&ev))>
                            <option value="">"All"</option>
                            {control_names.iter().map(|name| view! { <option value=name.clone() selected=chosen(control_filter, name)>{name.clone()}</option> }).collect_view()}
                        </select>
                    </label>
                    <label>"Search "
                        <input type="search" node_ref=search_ref data-testid="search" placeholder="Filter questions ( / )" prop:value=search.get_untracked() on:input=move |ev| search.set(event_target_value(&ev)) />
                    </label>
                    <span class="tf-muted">"Keys: j/k move, a accept, e edit, 1-3 pick, u undo, / search, ? help"</span>
                </div>
                {move || show_help.get().then(|| view! {
                    <div class="tf-help" role="dialog" aria-label="Keyboard shortcuts" data-testid="shortcut-sheet">
                        <h2>"Keyboard shortcuts"</h2>
                        <dl>
                            <dt>"j / k"</dt><dd>"Next / previous question"</dd>
                            <dt>"a"</dt><dd>"Accept the answer"</dd>
                            <dt>"e"</dt><dd>"Edit the answer"</dd>
                            <dt>"1 2 3"</dt><dd>"Use suggestion 1, 2 or 3"</dd>
                            <dt>"w"</dt><dd>"Why this answer"</dd>
                            <dt>"u / U"</dt><dd>"Undo / redo"</dd>
                            <dt>"/"</dt><dd>"Search"</dd>
                            <dt>"?"</dt><dd>"Show or hide this sheet"</dd>
                        </dl>
                    </div>
                })}
            </div>
            {(!diagnostics.is_empty()).then(|| view! {
                <details class="tf-diagnostics" data-testid="diagnostics">
                    <summary>{format!("Import notes ({})", diagnostics.len())}</summary>
                    <ul>{diagnostics.iter().map(|d| view! { <li>{format!("{}{}", d.sheet.as_ref().map(|s| format!("{s}: ")).unwrap_or_default(), d.message)}</li> }).collect_view()}</ul>
                </details>
            })}
            <p class="tf-muted" data-testid="shown-count" aria-live="polite">{move || {
                let shown = visible.with(|v| v.iter().filter(|l| matches!(l, Line::Question(_))).count());
                format!("Showing {shown} of {total} questions")
            }}</p>
            <div class="tf-list" data-testid="question-list" node_ref=list_ref>
                <div class="tf-spacer" aria-hidden="true" style:height=move || spacer(true) style:display=move || if spacer(true) == "0px" { "none" } else { "block" }></div>
                <For
                    each=rendered
                    key=|line| match line { Line::Section(s) => format!("s:{s}"), Line::Question(i) => format!("q:{i}") }
                    children=move |line| match line {
                        Line::Section(name) => view! { <h2 class="tf-section">{name}</h2> }.into_any(),
                        Line::Question(i) => {
                            let response = state.rows.with_untracked(|rows| rows[i]);
                            view! {
                                <QuestionRow index=i question=questions[i].clone() suggestions=suggestions[i].clone() response=response editing=editing explaining=explaining />
                            }.into_any()
                        }
                    }
                />
                <div class="tf-spacer" aria-hidden="true" style:height=move || spacer(false) style:display=move || if spacer(false) == "0px" { "none" } else { "block" }></div>
            </div>
        </section>
    }
}
