//! The one place that touches the browser: reading files, downloads, local storage, timing.

use gloo::storage::{LocalStorage, Storage};
use wasm_bindgen::{JsCast, JsValue};

/// Reads a picked or dropped file's bytes.
pub async fn read_file(file: web_sys::File) -> Result<(String, Vec<u8>), String> {
    let name = file.name();
    let file = gloo::file::File::from(file);
    gloo::file::futures::read_as_bytes(&file).await.map(|bytes| (name, bytes)).map_err(|e| e.to_string())
}

/// Offers bytes as a download with the given file name. Nothing leaves the machine: the
/// browser saves a blob that lives in this page.
pub fn download(bytes: &[u8], file_name: &str, mime: &str) -> Result<(), String> {
    let run = || -> Result<(), JsValue> {
        let array = js_sys::Uint8Array::from(bytes);
        let parts = js_sys::Array::new();
        parts.push(&array.buffer());
        let options = web_sys::BlobPropertyBag::new();
        options.set_type(mime);
        let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)?;
        let url = web_sys::Url::create_object_url_with_blob(&blob)?;
        let document = gloo::utils::document();
        let anchor: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
        anchor.set_href(&url);
        anchor.set_download(file_name);
        anchor.set_attribute("data-testid", "download-link")?;
        anchor.click();
        gloo::timers::callback::Timeout::new(60_000, move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        })
        .forget();
        Ok(())
    };
    run().map_err(|e| format!("{e:?}"))
}

/// Stores a string under a key; returns a message when storage refuses (quota, private mode).
pub fn save(key: &str, value: &str) -> Result<(), String> {
    LocalStorage::raw()
        .set_item(key, value)
        .map_err(|_| "The browser refused to save your work (storage is full or disabled).".to_owned())
}

pub fn load(key: &str) -> Option<String> {
    LocalStorage::raw().get_item(key).ok().flatten()
}

pub fn remove(key: &str) {
    let _ = LocalStorage::raw().remove_item(key);
}

/// Milliseconds since the page started, for the timings the end-to-end tests read.
pub fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

/// Milliseconds since the epoch, from the browser's clock.
pub fn epoch_ms() -> f64 {
    js_sys::Date::now()
}

/// A saved time in words, such as "today at 14:05" or "on 2026-11-20".
pub fn describe_time(epoch_ms: f64) -> String {
    let then = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(epoch_ms));
    let date = format!("{:04}-{:02}-{:02}", then.get_full_year(), then.get_month() + 1, then.get_date());
    if date == today() {
        format!("today at {:02}:{:02}", then.get_hours(), then.get_minutes())
    } else {
        format!("on {date}")
    }
}

/// Today's date as `YYYY-MM-DD`, from the browser's clock (the core never reads a clock).
pub fn today() -> String {
    let date = js_sys::Date::new_0();
    format!("{:04}-{:02}-{:02}", date.get_full_year(), date.get_month() + 1, date.get_date())
}

/// Records a timing on `window.__trustfill_timings` so that end-to-end tests can print it.
pub fn record_timing(name: &str, millis: f64) {
    let Some(window) = web_sys::window() else { return };
    let key = JsValue::from_str("__trustfill_timings");
    let timings = js_sys::Reflect::get(&window, &key).ok().filter(|v| v.is_object()).unwrap_or_else(|| {
        let object: JsValue = js_sys::Object::new().into();
        let _ = js_sys::Reflect::set(&window, &key, &object);
        object
    });
    let _ = js_sys::Reflect::set(&timings, &JsValue::from_str(name), &JsValue::from_f64(millis));
}

/// Replaces the page with a banner when the app panics, so the user is never left with a
/// dead page. The session was saved before the failing action reported success.
pub fn install_panic_banner() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let document = gloo::utils::document();
        if let Ok(banner) = document.create_element("div") {
            banner.set_class_name("tf-panic-banner");
            let _ = banner.set_attribute("role", "alert");
            let _ = banner.set_attribute("data-testid", "panic-banner");
            banner
                .set_text_content(Some("Something went wrong inside Trustfill. Reload the page; your work is saved."));
            if let Some(body) = document.body() {
                let _ = body.prepend_with_node_1(&banner);
            }
        }
    }));
}
