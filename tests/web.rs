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

/// Forgets everything the app saved.
fn clear_storage() {
    web_sys::window().unwrap().local_storage().unwrap().unwrap().clear().unwrap();
}

#[wasm_bindgen_test]
async fn the_sample_questionnaire_opens_and_survives_a_remount() {
    clear_storage();
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
    let sessions = trustfill_web::sessions::list().unwrap();
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].answered, 1);
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
    clear_storage();
    // The first version's single-session key, damaged: it is moved aside, not dropped.
    trustfill_web::browser::save("trustfill.session", "{\"schema_version\":1,\"broken\":").unwrap();
    let root = container();
    let _handle = leptos::mount::mount_to(root.clone(), trustfill_web::app::App);
    settle().await;
    assert!(by_test_id(&root, "start-page").is_some());
    let notice = by_test_id(&root, "notice").unwrap().text_content().unwrap();
    assert!(notice.contains("set aside"), "{notice}");
    assert!(by_test_id(&root, "set-aside").is_some(), "the start page offers the raw data");
    assert!(trustfill_web::browser::load(trustfill_web::sessions::SET_ASIDE_KEY).unwrap().contains("broken"));
    assert!(trustfill_web::browser::load("trustfill.session").is_none());
}

#[wasm_bindgen_test]
async fn a_session_from_an_unknown_schema_is_refused_and_kept() {
    clear_storage();
    let library = trustfill_core::library::builtin::library();
    let questionnaire =
        trustfill_core::import_questionnaire(b"ID,Question\nQ1,Do you encrypt data at rest?\n", "q.csv").unwrap();
    let session = trustfill_core::ReviewSession::new(questionnaire, vec![Vec::new()], &library.entries, "v");
    trustfill_web::sessions::save("s1", &session).unwrap();
    // A later schema: the stored JSON names version 99.
    let key = "trustfill.session.s1.1";
    let stored = trustfill_web::browser::load(key).unwrap().replace("\"schema_version\":1", "\"schema_version\":99");
    trustfill_web::browser::save(key, &stored).unwrap();
    trustfill_web::browser::save("trustfill.current", "s1").unwrap();
    let root = container();
    let _handle = leptos::mount::mount_to(root.clone(), trustfill_web::app::App);
    settle().await;
    assert!(by_test_id(&root, "start-page").is_some(), "never a blank page");
    let notice = by_test_id(&root, "notice").unwrap().text_content().unwrap();
    assert!(notice.contains("schema version 99"), "{notice}");
    assert!(trustfill_web::browser::load(trustfill_web::sessions::SET_ASIDE_KEY)
        .unwrap()
        .contains("\"schema_version\":99"));
}

#[wasm_bindgen_test]
fn an_interrupted_save_keeps_the_previous_state() {
    clear_storage();
    let library = trustfill_core::library::builtin::library();
    let questionnaire =
        trustfill_core::import_questionnaire(b"ID,Question\nQ1,Do you encrypt data at rest?\n", "q.csv").unwrap();
    let mut session = trustfill_core::ReviewSession::new(questionnaire, vec![Vec::new()], &library.entries, "v");
    trustfill_web::sessions::save("s1", &session).unwrap();
    // A write that stopped after the new generation but before the index moved to it: the
    // index still names the previous generation, which is still there.
    session.apply(trustfill_core::ReviewAction::Edit { question: 0, answer: "Yes".into(), detail: String::new() });
    trustfill_web::browser::save("trustfill.session.s1.2", "{\"half\": ").unwrap();
    let reopened = trustfill_web::sessions::load("s1").unwrap();
    assert_eq!(reopened.responses[0].answer, "", "the previous good state");
    // A complete save moves the index and removes the previous generation.
    trustfill_web::sessions::save("s1", &session).unwrap();
    assert_eq!(trustfill_web::sessions::load("s1").unwrap().responses[0].answer, "Yes");
    assert!(trustfill_web::browser::load("trustfill.session.s1.1").is_none());
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
