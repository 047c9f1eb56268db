//! Browser tests (wasm-bindgen-test in headless Chromium) for the glue between Leptos, the
//! browser and the core: mounting, the sample questionnaire, storage and restore.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn container() -> web_sys::HtmlElement {
    let document = gloo::utils::document();
    let div = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&div).unwrap();
    div.unchecked_into()
}

/// Lets reactive updates and the DOM settle after an event.
async fn settle() {
    for _ in 0..3 {
        leptos::task::tick().await;
        gloo::timers::future::TimeoutFuture::new(20).await;
    }
}

fn by_test_id(root: &web_sys::Element, id: &str) -> Option<web_sys::Element> {
    root.query_selector(&format!("[data-testid=\"{id}\"]")).unwrap()
}

#[wasm_bindgen_test]
async fn the_sample_questionnaire_opens_and_survives_a_remount() {
    trustfill_web::browser::remove("trustfill.session");
    let root = container();
    let handle = leptos::mount::mount_to(root.clone(), trustfill_web::app::App);
    settle().await;
    assert!(by_test_id(&root, "start-page").is_some(), "the start page renders");
    by_test_id(&root, "try-sample").unwrap().unchecked_into::<web_sys::HtmlElement>().click();
    settle().await;
    let rows = root.query_selector_all("[data-testid=\"question-row\"]").unwrap().length();
    assert_eq!(rows, 38, "every sample question is listed");

    // Accepting one answer is saved at once; a new mount restores it.
    let first = by_test_id(&root, "accept").unwrap().unchecked_into::<web_sys::HtmlElement>();
    first.click();
    settle().await;
    assert!(trustfill_web::browser::load("trustfill.session").unwrap().contains("\"accepted\""));
    handle.forget();
    root.remove();
    let again = container();
    let _handle = leptos::mount::mount_to(again.clone(), trustfill_web::app::App);
    settle().await;
    assert!(by_test_id(&again, "review-page").is_some(), "the saved session reopens");
    let status = by_test_id(&again, "row-status").unwrap().text_content().unwrap();
    assert_eq!(status, "Accepted");
}

#[wasm_bindgen_test]
async fn a_damaged_saved_session_is_set_aside_with_a_message() {
    trustfill_web::browser::save("trustfill.session", "{\"schema_version\":1,\"broken\":").unwrap();
    let root = container();
    let _handle = leptos::mount::mount_to(root.clone(), trustfill_web::app::App);
    settle().await;
    assert!(by_test_id(&root, "start-page").is_some());
    let notice = by_test_id(&root, "notice").unwrap().text_content().unwrap();
    assert!(notice.contains("damaged") && notice.contains("set aside"), "{notice}");
    assert!(trustfill_web::browser::load("trustfill.session.unreadable").is_some());
    assert!(trustfill_web::browser::load("trustfill.session").is_none());
}

#[wasm_bindgen_test]
fn storage_round_trips() {
    trustfill_web::browser::save("trustfill.test", "value").unwrap();
    assert_eq!(trustfill_web::browser::load("trustfill.test").as_deref(), Some("value"));
    trustfill_web::browser::remove("trustfill.test");
    assert_eq!(trustfill_web::browser::load("trustfill.test"), None);
}

#[wasm_bindgen_test]
fn cell_text_renders_as_inert_text() {
    let root = container();
    let hostile = "<img src=x onerror=alert(1)><script>alert(2)</script>";
    let _handle = leptos::mount::mount_to(root.clone(), move || view! { <p data-testid="hostile">{hostile}</p> });
    let p = by_test_id(&root, "hostile").unwrap();
    assert_eq!(p.text_content().unwrap(), hostile);
    assert_eq!(p.children().length(), 0, "no element was created from cell text");
}
