//! Embedding: where the app mounts, its configuration (from the mount element's data
//! attributes, or the page's URL parameters), and the events a portal can listen to.
//!
//! ```html
//! <div data-trustfill data-mode="respond" data-theme="dark" data-library="team-library.json"
//!      data-hide="library,sessions"></div>
//! ```

use wasm_bindgen::{JsCast, JsValue};

/// Which app the user gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Answer questionnaires (the sales engineer).
    #[default]
    Respond,
    /// Read a completed response, read-only, with notes (the procurement reviewer).
    Review,
}

/// The configuration a portal (or the URL) gives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    pub mode: Mode,
    /// `light` or `dark`; otherwise the user's saved choice.
    pub theme: Option<String>,
    /// A library JSON file on the same origin, loaded at start.
    pub library_url: Option<String>,
    /// Features to hide: `library`, `sessions`, `theme`, `export-original`, `export-csv`,
    /// `export-json`, `export-report`, `sample`.
    pub hidden: Vec<String>,
    /// The origin of the parent frame that may receive `postMessage` events; by default the
    /// app's own origin, so nothing reaches another site unless the portal says so.
    pub parent_origin: Option<String>,
    /// Whether the app is mounted in a portal's element rather than the whole page.
    pub embedded: bool,
}

impl Config {
    /// Whether a feature is shown.
    pub fn shows(&self, feature: &str) -> bool {
        !self.hidden.iter().any(|h| h == feature)
    }

    /// Reads the configuration: the mount element's `data-*` attributes first, then the URL's
    /// parameters (`?mode=review&theme=dark&library=…&hide=…`).
    fn read(element: Option<&web_sys::Element>) -> Self {
        let params = web_sys::window()
            .and_then(|w| w.location().search().ok())
            .and_then(|search| web_sys::UrlSearchParams::new_with_str(&search).ok());
        let get = |name: &str| {
            element
                .and_then(|e| e.get_attribute(&format!("data-{name}")))
                .or_else(|| params.as_ref().and_then(|p| p.get(name)))
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        Self {
            mode: match get("mode").as_deref() {
                Some("review") => Mode::Review,
                _ => Mode::Respond,
            },
            theme: get("theme").filter(|t| t == "light" || t == "dark"),
            library_url: get("library"),
            hidden: get("hide")
                .map(|h| h.split(',').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect())
                .unwrap_or_default(),
            parent_origin: get("parent-origin"),
            embedded: element.is_some(),
        }
    }
}

/// The element the app mounts in: the portal's `[data-trustfill]` element, or the body.
pub fn mount_point() -> (web_sys::HtmlElement, Config) {
    let document = gloo::utils::document();
    let element = document.query_selector("[data-trustfill]").ok().flatten();
    let config = Config::read(element.as_ref());
    let target = element.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()).unwrap_or_else(gloo::utils::body);
    (target, config)
}

/// Tells the page (a `trustfill:<name>` CustomEvent that bubbles from the mount element) and,
/// inside a frame, the parent (`postMessage` to the configured origin) that something
/// happened. `detail` is JSON.
pub fn emit(config: &Config, name: &str, detail: serde_json::Value) {
    let event_name = format!("trustfill:{name}");
    let detail_js = js_sys::JSON::parse(&detail.to_string()).unwrap_or(JsValue::NULL);
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(&detail_js);
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(&event_name, &init) {
        let target: web_sys::EventTarget = gloo::utils::document()
            .query_selector("[data-trustfill]")
            .ok()
            .flatten()
            .map(Into::into)
            .unwrap_or_else(|| gloo::utils::document().into());
        let _ = target.dispatch_event(&event);
    }
    let Some(window) = web_sys::window() else { return };
    let Ok(Some(parent)) = window.parent() else { return };
    if parent == window {
        return;
    }
    let origin = config.parent_origin.clone().or_else(|| window.location().origin().ok()).unwrap_or_default();
    let message = serde_json::json!({ "type": event_name, "detail": detail });
    if let Ok(message) = js_sys::JSON::parse(&message.to_string()) {
        let _ = parent.post_message(&message, &origin);
    }
}

/// Reads a library file from the app's own origin. Another origin is refused before any
/// request is made (and the Content-Security-Policy would refuse it too).
pub async fn fetch_same_origin(url: &str) -> Result<String, String> {
    let window = web_sys::window().ok_or("no window")?;
    let base = gloo::utils::document().base_uri().ok().flatten().unwrap_or_default();
    let resolved = web_sys::Url::new_with_base(url, &base).map_err(|_| format!("\"{url}\" is not a valid address."))?;
    let own = window.location().origin().unwrap_or_default();
    if resolved.origin() != own {
        return Err(format!(
            "The library at {url} is not on this site ({own}); Trustfill loads libraries from its own site only."
        ));
    }
    let response = wasm_bindgen_futures::JsFuture::from(window.fetch_with_str(&resolved.href()))
        .await
        .map_err(|_| format!("The library at {url} could not be loaded."))?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| "not a response".to_owned())?;
    if !response.ok() {
        return Err(format!("The library at {url} could not be loaded ({}).", response.status()));
    }
    let text = response.text().map_err(|_| "no body".to_owned())?;
    let text = wasm_bindgen_futures::JsFuture::from(text).await.map_err(|_| "the body could not be read".to_owned())?;
    text.as_string().ok_or_else(|| "the library is not text".to_owned())
}
