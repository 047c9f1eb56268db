//! Importing a library file (JSON, CSV or XLSX): a preview of what is added, changed and
//! left alone; merge, replace or a new library; every conflict overwritten only by consent.

use crate::state::AppState;
use leptos::prelude::*;
use std::collections::BTreeSet;
use trustfill_core::library::exchange::{ImportMode, ImportPreview};
use wasm_bindgen::JsCast;

/// New entries listed by name in the preview; the rest are counted.
const LISTED: usize = 20;

#[component]
pub fn LibraryImport(on_done: Callback<()>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let preview = StoredValue::new(None::<ImportPreview>);
    let loaded = RwSignal::new(None::<String>);
    let mode = RwSignal::new("merge".to_owned());
    let overwrite = RwSignal::new(BTreeSet::<String>::new());
    let consent_removal = RwSignal::new(false);
    let new_name = RwSignal::new(String::new());

    let pick = move |ev: leptos::ev::Event| {
        let input = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
        let Some(file) = input.and_then(|i| i.files()).and_then(|f| f.get(0)) else { return };
        leptos::task::spawn_local(async move {
            match crate::browser::read_file(file).await {
                Ok((name, bytes)) => match state.preview_library_import(&name, &bytes) {
                    Ok(found) => {
                        preview.set_value(Some(found));
                        overwrite.set(BTreeSet::new());
                        consent_removal.set(false);
                        new_name.set(name.rsplit_once('.').map_or(name.clone(), |(stem, _)| stem.to_owned()));
                        loaded.set(Some(name));
                    }
                    Err(message) => state.warn(message),
                },
                Err(error) => state.warn(format!("The file could not be read: {error}")),
            }
        });
    };
    let apply = move |_| {
        let chosen = mode.get_untracked();
        let removes = preview.with_value(|p| p.as_ref().map_or(0, |p| p.only_in_library.len()));
        if chosen == "replace" && removes > 0 && !consent_removal.get_untracked() {
            state.warn(format!(
                "Replacing removes {removes} entries that are not in the file: tick the box to confirm."
            ));
            return;
        }
        preview.with_value(|p| {
            if let Some(p) = p {
                let (import_mode, new_library) = match chosen.as_str() {
                    "replace" => (ImportMode::Replace, None),
                    "new" => (ImportMode::Replace, Some(new_name.get_untracked())),
                    _ => (ImportMode::Merge, None),
                };
                state.apply_library_import(p, import_mode, &overwrite.get_untracked(), new_library);
            }
        });
        preview.set_value(None);
        loaded.set(None);
        on_done.run(());
    };

    view! {
        <div class="tf-library-import" data-testid="library-import">
            <p class="tf-muted">
                "Import your team's library from JSON, CSV or XLSX with the columns id, question, alternates, answer, detail, controls, tags, owner, reviewed (status and evidence too, if you have them). "
                "Nothing changes until you have seen the preview and chosen."
            </p>
            <label class="tf-button">
                "Choose a library file"
                <input type="file" class="tf-visually-hidden" data-testid="library-file-input" accept=".json,.csv,.xlsx,.xlsm" on:change=pick />
            </label>
            {move || loaded.get().and_then(|name| {
                let (summary, added, added_total, conflicts, removed) = preview.with_value(|p| {
                    p.as_ref().map(|p| (
                        p.summary(),
                        p.added.iter().take(LISTED).map(|e| format!("{}: {}", e.id, e.question)).collect::<Vec<_>>(),
                        p.added.len(),
                        p.changed.clone(),
                        p.only_in_library.len(),
                    ))
                })?;
                Some(view! {
                    <section class="tf-import-preview" data-testid="import-preview" aria-label=format!("Preview of {name}")>
                        <h3>{format!("Preview of {name}")}</h3>
                        <p data-testid="import-summary">{summary}</p>
                        {(added_total > 0).then(|| view! {
                            <details>
                                <summary>{format!("{added_total} new entries")}</summary>
                                <ul>
                                    {added.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
                                    {(added_total > LISTED).then(|| view! { <li class="tf-muted">{format!("and {} more", added_total - LISTED)}</li> })}
                                </ul>
                            </details>
                        })}
                        {(!conflicts.is_empty()).then(|| view! {
                            <h4>{format!("{} entries differ from yours", conflicts.len())}</h4>
                            <p class="tf-muted">"Yours are kept unless you tick “Use the file's version”."</p>
                            <ul class="tf-conflicts">
                                {conflicts.into_iter().map(|conflict| {
                                    let id = conflict.current.id.clone();
                                    let toggle_id = id.clone();
                                    view! {
                                        <li class="tf-conflict" data-testid="import-conflict">
                                            <label>
                                                <input type="checkbox" data-testid="take-incoming"
                                                    on:change=move |ev| {
                                                        let take = event_target_checked(&ev);
                                                        overwrite.update(|set| { if take { set.insert(toggle_id.clone()); } else { set.remove(&toggle_id); } });
                                                    } />
                                                {format!(" Use the file's version of {id}")}
                                            </label>
                                            <table class="tf-terms">
                                                <thead><tr><th scope="col">"Field"</th><th scope="col">"Yours"</th><th scope="col">"In the file"</th></tr></thead>
                                                <tbody>
                                                    {conflict.fields.into_iter().map(|f| view! {
                                                        <tr><td>{f.field}</td><td>{f.current}</td><td>{f.incoming}</td></tr>
                                                    }).collect_view()}
                                                </tbody>
                                            </table>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        })}
                        <fieldset class="tf-import-mode">
                            <legend>"How to import"</legend>
                            <label><input type="radio" name="import-mode" value="merge" data-testid="mode-merge" prop:checked=move || mode.get() == "merge" on:change=move |_| mode.set("merge".into()) />
                                " Merge into the library in use: add the new entries, keep everything else"</label>
                            <label><input type="radio" name="import-mode" value="replace" data-testid="mode-replace" prop:checked=move || mode.get() == "replace" on:change=move |_| mode.set("replace".into()) />
                                " Replace the library in use with the file"</label>
                            <label><input type="radio" name="import-mode" value="new" data-testid="mode-new" prop:checked=move || mode.get() == "new" on:change=move |_| mode.set("new".into()) />
                                " Keep it as a new library named "
                                <input type="text" data-testid="import-new-name" aria-label="Name of the new library" prop:value=move || new_name.get() on:input=move |ev| new_name.set(event_target_value(&ev)) /></label>
                            {move || (mode.get() == "replace" && removed > 0).then(|| view! {
                                <label class="tf-warning" data-testid="replace-warning">
                                    <input type="checkbox" data-testid="consent-removal" prop:checked=move || consent_removal.get() on:change=move |ev| consent_removal.set(event_target_checked(&ev)) />
                                    {format!(" I understand that {removed} entries not in the file will be removed from this library.")}
                                </label>
                            })}
                        </fieldset>
                        <div class="tf-actions">
                            <button class="tf-button tf-primary" data-testid="apply-import" on:click=apply>"Import"</button>
                            <button class="tf-button tf-ghost" on:click=move |_| { preview.set_value(None); loaded.set(None); }>"Cancel"</button>
                        </div>
                    </section>
                })
            })}
        </div>
    }
}
