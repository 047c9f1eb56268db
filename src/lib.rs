//! Trustfill's web app: a thin Leptos layer over `trustfill-core`.
//!
//! `browser` is the one module that touches web APIs; `sessions` keeps reviews in local
//! storage; `state` holds the app state and the
//! actions the pages call; `pages` and `components` render it.

pub mod app;
pub mod browser;
pub mod components;
pub mod libraries;
pub mod library_actions;
pub mod pages;
pub mod sessions;
pub mod state;

/// Installs the panic banner and mounts the app on the page's body.
pub fn start() {
    browser::install_panic_banner();
    leptos::mount::mount_to_body(app::App);
}
