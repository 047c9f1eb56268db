//! The semantic model's status in the header: its download progress, its work on the library,
//! whether it is ready, and the switch to turn it off or on.

use crate::semantic::{self, ModelStatus};
use crate::state::AppState;
use leptos::prelude::*;

#[component]
pub fn ModelStatusBadge() -> impl IntoView {
    let state = expect_context::<AppState>();
    if !state.config.with_value(|c| c.shows("semantic"))
        || state.config.with_value(|c| c.mode == crate::embed::Mode::Review)
    {
        return ().into_any();
    }
    let status = state.semantic.status;
    let text = move || match status.get() {
        ModelStatus::Off if semantic::switched_off() => "Matching by words (meaning model off)".to_owned(),
        ModelStatus::Off => "Matching by words".to_owned(),
        ModelStatus::Absent => "Matching by words (no meaning model in this build)".to_owned(),
        ModelStatus::Downloading { loaded, total } => {
            format!("Downloading the meaning model, once: {:.0} of {:.0} MB", loaded / 1_000_000.0, total / 1_000_000.0)
        }
        ModelStatus::Starting => "Starting the meaning model…".to_owned(),
        ModelStatus::Embedding { done, total } => format!("Reading the library by meaning: {done} of {total}"),
        ModelStatus::Ready => "Matching by words and meaning".to_owned(),
        ModelStatus::Failed(why) => format!("Matching by words (the meaning model stopped: {why})"),
    };
    let progress = move || match status.get() {
        ModelStatus::Downloading { loaded, total } if total > 0.0 => Some((loaded, total)),
        ModelStatus::Embedding { done, total } if total > 0 => Some((done as f64, total as f64)),
        _ => None,
    };
    let running = move || !matches!(status.get(), ModelStatus::Off | ModelStatus::Absent | ModelStatus::Failed(_));
    let can_switch = move || !matches!(status.get(), ModelStatus::Absent);
    view! {
        <div class="tf-model" data-testid="model-status" data-status=move || match status.get() {
            ModelStatus::Off => "off",
            ModelStatus::Absent => "absent",
            ModelStatus::Downloading { .. } => "downloading",
            ModelStatus::Starting => "starting",
            ModelStatus::Embedding { .. } => "embedding",
            ModelStatus::Ready => "ready",
            ModelStatus::Failed(_) => "failed",
        }>
            <span class="tf-model-text" role="status" title="The meaning model (all-MiniLM-L6-v2) runs in this browser; nothing is uploaded.">{text}</span>
            {move || progress().map(|(value, max)| view! {
                <progress class="tf-model-progress" max=max value=value aria-label="Meaning model progress"></progress>
            })}
            {move || can_switch().then(|| view! {
                <button class="tf-button tf-ghost tf-small" data-testid="model-switch" on:click=move |_| semantic::switch(state, !running())>
                    {move || if running() { "Turn off" } else { "Turn on" }}
                </button>
            })}
        </div>
    }
    .into_any()
}
