//! The panic banner, forced in a debug build in headless Chromium: a panic shows "reload;
//! your work is saved" instead of leaving a dead page. It is its own test binary, so that the
//! forced panic cannot disturb the other browser tests.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn a_panic_shows_the_banner_instead_of_a_dead_page() {
    const { assert!(cfg!(debug_assertions), "this test forces a panic in a debug build") };
    trustfill_web::browser::install_panic_banner();
    // The panic happens in a timer callback, as it would in an event handler: the wasm call
    // traps after the hook has run, and this test, a separate task, goes on to look.
    gloo::timers::callback::Timeout::new(0, || panic!("forced by the panic banner test")).forget();
    gloo::timers::future::TimeoutFuture::new(200).await;
    let banner = gloo::utils::document()
        .query_selector("[data-testid=\"panic-banner\"]")
        .unwrap()
        .expect("the panic banner is shown");
    assert_eq!(banner.get_attribute("role").as_deref(), Some("alert"));
    let text = banner.text_content().unwrap_or_default();
    assert!(text.contains("Reload the page; your work is saved."), "{text}");
}
