//! Trustfill's web app entry point: installs the panic banner and mounts the app.

mod app;
mod browser;
mod components;
mod pages;
mod state;

fn main() {
    browser::install_panic_banner();
    leptos::mount::mount_to_body(app::App);
}
