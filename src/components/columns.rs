//! Choosing a sheet's header row and columns by hand, with a live preview of the questions
//! they give, for when detection got a questionnaire wrong.

use crate::state::AppState;
use leptos::prelude::*;
use trustfill_core::import::detect::detect_with;
use trustfill_core::import::grid::Grid;
use trustfill_core::model::{column_letters, SheetLayout};

/// How many rows and columns of the sheet the preview table shows.
const PREVIEW_ROWS: u32 = 8;
const PREVIEW_COLS: u32 = 8;
/// How many of the questions found the live preview lists.
const PREVIEW_QUESTIONS: usize = 5;

/// A column picker: `None` is "none".
fn column_select(
    label: &'static str,
    test_id: &'static str,
    columns: u32,
    value: RwSignal<Option<u32>>,
    optional: bool,
) -> impl IntoView {
    view! {
        <label>{label}" "
            <select data-testid=test_id
                prop:value=move || value.get().map(|c| c.to_string()).unwrap_or_default()
                on:change=move |ev| value.set(event_target_value(&ev).parse().ok())>
                {optional.then(|| view! { <option value="">"none"</option> })}
                {(0..columns).map(|c| view! { <option value=c.to_string()>{column_letters(c)}</option> }).collect_view()}
            </select>
        </label>
    }
}

#[component]
pub fn ColumnChooser(open: RwSignal<bool>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let grids: Vec<Grid> = state.read_grids().unwrap_or_default();
    let layouts: Vec<Option<SheetLayout>> = state.session.with_value(|s| {
        let sheets = s.as_ref().map(|s| s.questionnaire.sheets.clone()).unwrap_or_default();
        grids.iter().map(|g| sheets.iter().find(|x| x.name == g.name).and_then(|x| x.layout.clone())).collect()
    });
    let names: Vec<String> = grids.iter().map(|g| g.name.clone()).collect();
    let first = layouts.iter().position(Option::is_some).unwrap_or(0);
    let sheet = RwSignal::new(first);
    let header = RwSignal::new(None::<u32>);
    let question = RwSignal::new(Some(0u32));
    let id = RwSignal::new(None::<u32>);
    let answer = RwSignal::new(None::<u32>);
    let comment = RwSignal::new(None::<u32>);
    let grids = StoredValue::new(grids);
    let load = move |index: usize| {
        let layout = layouts.get(index).cloned().flatten().unwrap_or_default();
        header.set(layout.header_row);
        question.set(Some(layout.question_col));
        id.set(layout.id_col);
        answer.set(layout.answer_col);
        comment.set(layout.comment_col);
    };
    load(first);
    let layout = move || SheetLayout {
        header_row: header.get(),
        question_col: question.get().unwrap_or(0),
        id_col: id.get(),
        answer_col: answer.get(),
        comment_col: comment.get(),
    };
    let found = Memo::new(move |_| {
        let chosen = layout();
        grids.with_value(|g| {
            g.get(sheet.get()).map(|grid| {
                let (_, questions, _) = detect_with(grid, Some(&chosen));
                let first: Vec<(String, String)> =
                    questions.iter().take(PREVIEW_QUESTIONS).map(|q| (q.id.clone(), q.text.clone())).collect();
                (questions.len(), first)
            })
        })
    });
    let columns = move || {
        grids.with_value(|g| {
            g.get(sheet.get()).map_or(1, |grid| {
                grid.rows.values().flat_map(|cells| cells.iter().map(|c| c.col + 1)).max().unwrap_or(1).clamp(1, 40)
            })
        })
    };
    view! {
        <section class="tf-columns" role="dialog" aria-label="Choose the columns" data-testid="column-chooser">
            <h2>"Choose the header row and columns"</h2>
            <p class="tf-muted">"When the questions were not found right, say where they are. The preview updates as you choose; applying re-reads the file and matches again, so answers given on this file start over."</p>
            <div class="tf-filters">
                <label>"Sheet "
                    <select data-testid="column-sheet" on:change=move |ev| {
                        let index = event_target_value(&ev).parse().unwrap_or(0);
                        sheet.set(index);
                        load(index);
                    }>
                        {names.iter().enumerate().map(|(i, n)| view! { <option value=i.to_string() selected=i == first>{n.clone()}</option> }).collect_view()}
                    </select>
                </label>
                <label>"Header row "
                    <input type="number" min="1" data-testid="column-header" class="tf-narrow-input"
                        prop:value=move || header.get().map(|r| (r + 1).to_string()).unwrap_or_default()
                        on:input=move |ev| header.set(event_target_value(&ev).parse::<u32>().ok().and_then(|r| r.checked_sub(1))) />
                </label>
                {move || {
                    let n = columns();
                    view! {
                        {column_select("Question", "column-question", n, question, false)}
                        {column_select("Id", "column-id", n, id, true)}
                        {column_select("Answer", "column-answer", n, answer, true)}
                        {column_select("Comment", "column-comment", n, comment, true)}
                    }
                }}
            </div>
            <div class="tf-preview-table" role="region" aria-label="The sheet's first rows" tabindex="0">
                <table>
                    <thead><tr><th scope="col">"Row"</th>{move || (0..columns().min(PREVIEW_COLS)).map(|c| {
                        let role = if question.get() == Some(c) { " (question)" } else if id.get() == Some(c) { " (id)" } else if answer.get() == Some(c) { " (answer)" } else if comment.get() == Some(c) { " (comment)" } else { "" };
                        view! { <th scope="col">{format!("{}{role}", column_letters(c))}</th> }
                    }).collect_view()}</tr></thead>
                    <tbody>{move || grids.with_value(|g| g.get(sheet.get()).map(|grid| (0..PREVIEW_ROWS).map(|r| view! {
                        <tr class:tf-header-row=move || header.get() == Some(r)>
                            <th scope="row">{(r + 1).to_string()}</th>
                            {(0..columns().min(PREVIEW_COLS)).map(|c| view! { <td>{grid.text(r, c).chars().take(80).collect::<String>()}</td> }).collect_view()}
                        </tr>
                    }).collect_view()))}</tbody>
                </table>
            </div>
            <div data-testid="column-preview" aria-live="polite">
                {move || found.get().map(|(count, first)| view! {
                    <p><strong data-testid="column-preview-count">{format!("{count} questions")}</strong>" on this sheet with these columns, starting with:"</p>
                    <ol>{first.into_iter().map(|(id, text)| view! { <li><span class="tf-qid">{id}</span>" "{text}</li> }).collect_view()}</ol>
                })}
            </div>
            <div class="tf-actions">
                <button class="tf-button tf-primary" data-testid="column-apply" on:click=move |_| {
                    let name = names.get(sheet.get_untracked()).cloned().unwrap_or_default();
                    let chosen = layout();
                    open.set(false);
                    // Re-reading rebuilds the review page, and this panel with it, so it runs
                    // after this handler has returned.
                    leptos::task::spawn_local(async move { state.apply_layout(&name, chosen) });
                }>"Apply to this sheet"</button>
                <button class="tf-button" on:click=move |_| open.set(false)>"Cancel"</button>
            </div>
        </section>
    }
}
