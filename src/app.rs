//! The app shell: header, notice bar and the current page.

use crate::pages::{library::LibraryPage, review::ReviewPage, reviewer::ReviewerPage, start::StartPage};
use crate::state::{AppState, Page};
use leptos::prelude::*;

#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    provide_context(state);
    state.restore();
    let config = state.config.get_value();
    let saved_dark = crate::browser::load("trustfill.theme").as_deref() == Some("dark");
    let theme = RwSignal::new(match config.theme.as_deref() {
        Some("dark") => "dark",
        Some(_) => "light",
        None if saved_dark => "dark",
        None => "light",
    });
    if let Some(url) = config.library_url.clone() {
        state.load_portal_library(url);
    }
    let (show_library, show_theme) = (config.shows("library"), config.shows("theme"));
    let toggle_theme = move |_| {
        let next = if theme.get_untracked() == "dark" { "light" } else { "dark" };
        let _ = crate::browser::save("trustfill.theme", next);
        theme.set(next);
    };
    Effect::new(move |_| {
        crate::browser::record_timing("first_render_ms", crate::browser::now_ms());
        // The semantic model starts only after the first render, in its own worker, so the
        // page never waits for it. A procurement reviewer reads answers and needs no model.
        if config.mode == crate::embed::Mode::Respond {
            gloo::timers::callback::Timeout::new(0, move || crate::semantic::start(state)).forget();
        }
        let mode = if config.mode == crate::embed::Mode::Review { "review" } else { "respond" };
        let version = state.library.with_value(|lib| lib.version().to_owned());
        state.emit("ready", serde_json::json!({ "mode": mode, "library_version": version }));
    });
    view! {
        <div class="tf-app" data-theme=move || theme.get()>
            <header class="tf-header">
                <button class="tf-brand" on:click=move |_| state.page.set(Page::Start) aria-label="Trustfill home">
                    <span class="tf-logo" aria-hidden="true">"✓"</span>
                    "Trustfill"
                </button>
                <span class="tf-tagline">"Security questionnaires, answered on your machine. Nothing is uploaded."</span>
                <nav class="tf-nav" aria-label="Pages">
                    <button class="tf-button tf-ghost" data-testid="nav-start" aria-current=move || (state.page.get() == Page::Start).then_some("page") on:click=move |_| state.page.set(Page::Start)>"Questionnaires"</button>
                    <button class="tf-button tf-ghost" data-testid="nav-reviewer" aria-current=move || (state.page.get() == Page::Reviewer).then_some("page") on:click=move |_| state.page.set(Page::Reviewer)>"Review a response"</button>
                    {show_library.then(|| view! {
                        <button class="tf-button tf-ghost" data-testid="nav-library" aria-current=move || (state.page.get() == Page::Library).then_some("page") on:click=move |_| state.page.set(Page::Library)>"Library"</button>
                    })}
                </nav>
                <crate::components::model_status::ModelStatusBadge />
                {show_theme.then(|| view! {
                    <button class="tf-button tf-ghost" data-testid="theme-toggle" on:click=toggle_theme>
                        {move || if theme.get() == "dark" { "Light theme" } else { "Dark theme" }}
                    </button>
                })}
            </header>
            {move || state.notice.get().map(|notice| view! {
                <div class="tf-notice" class:tf-notice-error=notice.error role="status" data-testid="notice">
                    <span>{notice.text}</span>
                    <button class="tf-button tf-ghost" on:click=move |_| state.notice.set(None) aria-label="Dismiss">"×"</button>
                </div>
            })}
            <main class="tf-main">
                {move || match (state.page.get(), state.opened.get()).0 {
                    Page::Start => view! { <StartPage /> }.into_any(),
                    Page::Review => view! { <ReviewPage /> }.into_any(),
                    Page::Library => view! { <LibraryPage /> }.into_any(),
                    Page::Reviewer => view! { <ReviewerPage /> }.into_any(),
                }}
            </main>
        </div>
    }
}
