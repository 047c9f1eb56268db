//! Trustfill's web app: a thin Leptos layer over `trustfill-core`.
//!
//! `browser` is the one module that touches web APIs; `sessions` keeps reviews in local
//! storage; `state` holds the app state and the
//! actions the pages call; `pages` and `components` render it.

pub mod app;
pub mod browser;
pub mod components;
pub mod embed;
pub mod libraries;
pub mod library_actions;
pub mod pages;
pub mod semantic;
pub mod sessions;
pub mod state;

/// Installs the panic banner and mounts the app: in a portal's `[data-trustfill]` element
/// when the page has one, else on the body, with the configuration the page gives.
pub fn start() {
    browser::install_panic_banner();
    let (target, config) = embed::mount_point();
    leptos::mount::mount_to(target, move || {
        leptos::prelude::provide_context(config);
        app::App()
    })
    .forget();
}
