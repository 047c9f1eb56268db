//! The form that edits one library entry, or adds a new one, and says in words what is
//! wrong before anything is saved.

use crate::state::AppState;
use leptos::prelude::*;
use trustfill_core::library::edit::{fresh_id, EntryForm};
use trustfill_core::library::EntryStatus;

/// One text field of the form: its label, test id, and whether it is several lines.
fn field(
    label: &'static str,
    test_id: &'static str,
    multiline: bool,
    hint: &'static str,
    value: RwSignal<String>,
) -> impl IntoView {
    let input = if multiline {
        view! { <textarea rows="3" data-testid=test_id prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))></textarea> }.into_any()
    } else {
        view! { <input type="text" data-testid=test_id prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) /> }.into_any()
    };
    view! {
        <label class="tf-field">
            <span class="tf-field-label">{label}</span>
            {input}
            {(!hint.is_empty()).then(|| view! { <span class="tf-field-hint">{hint}</span> })}
        </label>
    }
}

#[component]
pub fn EntryEditor(id: Option<String>, on_close: Callback<()>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let today = crate::browser::today();
    let form = state.library.with_value(|lib| match id.as_deref().and_then(|id| lib.entry(id)) {
        Some(entry) => EntryForm::from_entry(entry),
        None => EntryForm::new_entry(fresh_id("custom", lib.entries.iter().map(|e| e.id.as_str())), &today),
    });
    let learned = form.learned.clone();
    let from_profile = form.from_profile;
    let entry_id = RwSignal::new(form.id);
    let question = RwSignal::new(form.question);
    let alternates = RwSignal::new(form.alternates);
    let answer = RwSignal::new(form.answer);
    let detail = RwSignal::new(form.detail);
    let controls = RwSignal::new(form.controls);
    let tags = RwSignal::new(form.tags);
    let owner = RwSignal::new(form.owner);
    let reviewed = RwSignal::new(form.reviewed);
    let evidence = RwSignal::new(form.evidence);
    let status = RwSignal::new(form.status);
    let problems = RwSignal::new(Vec::<String>::new());
    let original = id.clone();
    let title = if id.is_some() { "Edit entry" } else { "New entry" };

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = EntryForm {
            id: entry_id.get_untracked(),
            question: question.get_untracked(),
            alternates: alternates.get_untracked(),
            answer: answer.get_untracked(),
            detail: detail.get_untracked(),
            controls: controls.get_untracked(),
            tags: tags.get_untracked(),
            owner: owner.get_untracked(),
            reviewed: reviewed.get_untracked(),
            status: status.get_untracked(),
            evidence: evidence.get_untracked(),
            learned: learned.clone(),
            from_profile,
        };
        match state.save_entry(&form, original.as_deref()) {
            Ok(()) => on_close.run(()),
            Err(found) => problems.set(found),
        }
    };
    let mark_reviewed = move |_| reviewed.set(crate::browser::today());

    view! {
        <form class="tf-entry-editor" data-testid="entry-editor" on:submit=save aria-label=title>
            <h3>{title}</h3>
            {move || (!problems.get().is_empty()).then(|| view! {
                <div class="tf-form-problems" role="alert" data-testid="entry-problems">
                    <p>"The entry was not saved:"</p>
                    <ul>{problems.get().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                </div>
            })}
            {from_profile.is_some().then(|| view! {
                <p class="tf-muted" data-testid="entry-from-profile">"This entry states a fact about the SOC 2 report: its answer and detail are written from the library's SOC 2 profile, so edit the profile to change them."</p>
            })}
            <div class="tf-form-grid">
                {field("Id", "entry-id", false, "Letters, digits, dots, dashes and underscores.", entry_id)}
                {field("Question", "entry-question", true, "", question)}
                {field("Alternate phrasings", "entry-alternates", true, "One per line, the way customers ask.", alternates)}
                {field("Short answer", "entry-answer-input", false, "Yes, No, N/A, Partial, or a short free-text answer.", answer)}
                {field("Detailed answer", "entry-detail", true, "One to four sentences.", detail)}
                {field("SOC 2 controls", "entry-controls", false, "Separated by semicolons, such as CC6.1; CC6.6.", controls)}
                {field("Tags", "entry-tags", false, "Separated by semicolons.", tags)}
                {field("Owner", "entry-owner", false, "", owner)}
                {field("Evidence references", "entry-evidence", true, "One per line: a policy section, a report section, a document label. Never a link the app follows.", evidence)}
                <label class="tf-field">
                    <span class="tf-field-label">"Last reviewed"</span>
                    <span class="tf-inline">
                        <input type="text" data-testid="entry-reviewed" placeholder="YYYY-MM-DD" prop:value=move || reviewed.get() on:input=move |ev| reviewed.set(event_target_value(&ev)) />
                        <button type="button" class="tf-button tf-ghost" on:click=mark_reviewed>"Reviewed today"</button>
                    </span>
                </label>
                <label class="tf-field">
                    <span class="tf-field-label">"Status"</span>
                    <select data-testid="entry-status-input" on:change=move |ev| status.set(match event_target_value(&ev).as_str() {
                        "draft" => EntryStatus::Draft,
                        "retired" => EntryStatus::Retired,
                        _ => EntryStatus::Approved,
                    })>
                        <option value="approved" selected=move || status.get() == EntryStatus::Approved>"Approved: used for matching"</option>
                        <option value="draft" selected=move || status.get() == EntryStatus::Draft>"Draft: not used until approved"</option>
                        <option value="retired" selected=move || status.get() == EntryStatus::Retired>"Retired: kept, never used"</option>
                    </select>
                </label>
            </div>
            <div class="tf-actions">
                <button class="tf-button tf-primary" type="submit" data-testid="save-entry">"Save entry"</button>
                <button class="tf-button tf-ghost" type="button" data-testid="cancel-entry" on:click=move |_| on_close.run(())>"Cancel"</button>
            </div>
        </form>
    }
}
