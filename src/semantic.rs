//! The on-device semantic model: starts the encoder's web worker after the first render, shows
//! its progress, embeds the library once (the vectors are cached by the worker), and re-ranks
//! the open questionnaire with hybrid matching when it is ready. Without the model (a build
//! without it, the single-file build, or the user switched it off) nothing here runs and the
//! app matches by words alone.
//!
//! The worker's messages are described in `assets/encoder-worker.js`.

use crate::browser;
use crate::state::AppState;
use leptos::prelude::*;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use trustfill_core::matching::{SemanticIndex, VectorCache};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Where the user's choice to switch the model off is kept.
const SWITCH_KEY: &str = "trustfill.semantic";
/// How many texts go to a worker at once: small enough that progress moves and the workers
/// share the work evenly, large enough that the encoder's batching pays.
const CHUNK: usize = 16;

/// Where the model stands, as the page shows it.
#[derive(Debug, Clone, PartialEq)]
pub enum ModelStatus {
    /// Not started (yet), or switched off by the user.
    Off,
    /// This build has no model: matching is by words alone.
    Absent,
    /// Downloading the model, in bytes.
    Downloading { loaded: f64, total: f64 },
    /// Reading the model into memory.
    Starting,
    /// Embedding the library's texts, counted in texts.
    Embedding { done: usize, total: usize },
    /// Ready: suggestions are ranked by words and meaning.
    Ready,
    /// It could not start; matching is by words alone.
    Failed(String),
}

/// The model's part of the app state. `Copy`, like [`AppState`].
#[derive(Clone, Copy)]
pub struct SemanticState {
    pub status: RwSignal<ModelStatus>,
    /// The library's sentence vectors, by text.
    vectors: StoredValue<VectorCache>,
    /// The index over the matcher's entries, and the library version it was built for.
    index: StoredValue<Option<(String, SemanticIndex)>>,
    /// Questions' vectors, by text, for this page's lifetime.
    questions: StoredValue<HashMap<String, Vec<f32>>>,
    /// Set while a re-rank runs; a request meanwhile sets `again`.
    busy: StoredValue<bool>,
    again: StoredValue<bool>,
}

impl SemanticState {
    pub fn new() -> Self {
        Self {
            status: RwSignal::new(ModelStatus::Off),
            vectors: StoredValue::new(VectorCache::default()),
            index: StoredValue::new(None),
            questions: StoredValue::new(HashMap::new()),
            busy: StoredValue::new(false),
            again: StoredValue::new(false),
        }
    }
}

impl Default for SemanticState {
    fn default() -> Self {
        Self::new()
    }
}

/// Whether the user has switched the model off.
pub fn switched_off() -> bool {
    browser::load(SWITCH_KEY).as_deref() == Some("off")
}

/// Switches the model on (it starts loading) or off (matching goes back to words alone for
/// the next questionnaire; the page reloads nothing).
pub fn switch(state: AppState, on: bool) {
    if on {
        browser::remove(SWITCH_KEY);
        start(state);
    } else {
        let _ = browser::save(SWITCH_KEY, "off");
        WORKER.with(|w| {
            if let Some(connection) = w.borrow_mut().take() {
                connection.workers.borrow().iter().for_each(web_sys::Worker::terminate);
            }
        });
        state.semantic.status.set(ModelStatus::Off);
    }
}

/// The connection to the workers: one per core (up to [`MAX_WORKERS`]), each with the whole
/// model, their pending requests by id, and their message handler.
struct Connection {
    workers: RefCell<Vec<web_sys::Worker>>,
    pending: Rc<RefCell<HashMap<u32, js_sys::Function>>>,
    next_id: Cell<u32>,
    on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    on_error: Closure<dyn FnMut(web_sys::Event)>,
}

/// How many of the library's phrasings [`warm_up`] matches.
const WARM_UP_QUESTIONS: usize = 24;

/// The most workers started: each holds the model (about 25 MB in memory) and one core's work.
const MAX_WORKERS: usize = 4;

thread_local! {
    static WORKER: RefCell<Option<Rc<Connection>>> = const { RefCell::new(None) };
}

/// How many workers are running.
fn worker_count() -> usize {
    WORKER.with(|w| w.borrow().as_ref().map_or(0, |c| c.workers.borrow().len()))
}

fn field(object: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(object, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// A new worker running `model/encoder-worker.js`, wired to the connection's handlers.
fn spawn_worker(on_message: &JsValue, on_error: &JsValue) -> Option<web_sys::Worker> {
    let url = app_base().and_then(|base| web_sys::Url::new_with_base("model/encoder-worker.js", &base).ok())?;
    let options = web_sys::WorkerOptions::new();
    options.set_type(web_sys::WorkerType::Module);
    let worker = web_sys::Worker::new_with_options(&url.href(), &options).ok()?;
    worker.set_onmessage(Some(on_message.unchecked_ref()));
    worker.set_onerror(Some(on_error.unchecked_ref()));
    Some(worker)
}

/// Starts the model in the background, unless it runs already, is switched off, or the
/// portal hid it (`data-hide="semantic"`).
pub fn start(state: AppState) {
    let hidden = state.config.with_value(|c| !c.shows("semantic"));
    if hidden || switched_off() || WORKER.with(|w| w.borrow().is_some()) {
        return;
    }
    let status = state.semantic.status;
    let pending: Rc<RefCell<HashMap<u32, js_sys::Function>>> = Rc::default();
    let pending_for_handler = pending.clone();
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
        let data = event.data();
        if field(&data, "type").as_string().as_deref() == Some("progress") {
            let loaded = field(&data, "loaded").as_f64().unwrap_or(0.0);
            let total = field(&data, "total").as_f64().unwrap_or(0.0);
            status.set(ModelStatus::Downloading { loaded, total });
            return;
        }
        if let Some(id) = field(&data, "id").as_f64() {
            if let Some(resolve) = pending_for_handler.borrow_mut().remove(&(id as u32)) {
                let _ = resolve.call1(&JsValue::NULL, &data);
            }
        }
    });
    // A worker script that cannot load (no model/ in this build) fails with an error event.
    let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
        if !matches!(status.get_untracked(), ModelStatus::Ready) {
            status.set(ModelStatus::Absent);
        }
    });
    let Some(first) = spawn_worker(on_message.as_ref(), on_error.as_ref()) else {
        status.set(ModelStatus::Absent);
        return;
    };
    let connection = Rc::new(Connection {
        workers: RefCell::new(vec![first]),
        pending,
        next_id: Cell::new(1),
        on_message,
        on_error,
    });
    WORKER.with(|w| *w.borrow_mut() = Some(connection));
    status.set(ModelStatus::Starting);
    leptos::task::spawn_local(async move {
        if let Err(message) = load(state).await {
            status.set(ModelStatus::Failed(message));
        }
    });
}

/// Starts more workers once the first has the model (and has cached it, so they read it from
/// the cache), one per further core.
async fn add_workers() {
    let cores = web_sys::window().map_or(1.0, |w| w.navigator().hardware_concurrency()) as usize;
    let Some(connection) = WORKER.with(|w| w.borrow().clone()) else { return };
    for _ in 1..cores.clamp(1, MAX_WORKERS) {
        let Some(worker) = spawn_worker(connection.on_message.as_ref(), connection.on_error.as_ref()) else { return };
        connection.workers.borrow_mut().push(worker);
        let index = connection.workers.borrow().len() - 1;
        let ready = match post(index, message("load"), None) {
            Ok(reply) => reply.await.ok().is_some_and(|r| field(&r, "type").as_string().as_deref() == Some("ready")),
            Err(_) => false,
        };
        if !ready {
            if let Some(worker) = connection.workers.borrow_mut().pop() {
                worker.terminate();
            }
            return;
        }
    }
}

/// The directory the app was loaded from (where `trustfill-loader.js` is), which a portal's
/// page may not share.
fn app_base() -> Option<String> {
    let window = web_sys::window()?;
    js_sys::Reflect::get(&window, &JsValue::from_str("__trustfillBase"))
        .ok()
        .and_then(|v| v.as_string())
        .or_else(|| gloo::utils::document().base_uri().ok().flatten())
}

/// Sends a message to one worker; the future is its answer.
fn post(
    worker: usize,
    message: js_sys::Object,
    transfer: Option<&js_sys::Array>,
) -> Result<impl std::future::Future<Output = Result<JsValue, String>>, String> {
    let connection = WORKER.with(|w| w.borrow().clone()).ok_or("the model was switched off")?;
    let id = connection.next_id.get();
    connection.next_id.set(id + 1);
    let _ = js_sys::Reflect::set(&message, &JsValue::from_str("id"), &JsValue::from(id));
    let pending = connection.pending.clone();
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        pending.borrow_mut().insert(id, resolve);
    });
    let workers = connection.workers.borrow();
    let target = workers.get(worker).ok_or("no such worker")?;
    let sent = match transfer {
        Some(transfer) => target.post_message_with_transfer(&message, transfer),
        None => target.post_message(&message),
    };
    sent.map_err(|_| "the model's worker refused a message".to_owned())?;
    Ok(async move {
        let reply =
            wasm_bindgen_futures::JsFuture::from(promise).await.map_err(|_| "no answer from the model".to_owned())?;
        if field(&reply, "type").as_string().as_deref() == Some("error") {
            return Err(field(&reply, "message").as_string().unwrap_or_else(|| "the model failed".into()));
        }
        Ok(reply)
    })
}

/// Sends a message to the first worker and waits for its answer.
async fn request(message: js_sys::Object, transfer: Option<&js_sys::Array>) -> Result<JsValue, String> {
    post(0, message, transfer)?.await
}

fn message(kind: &str) -> js_sys::Object {
    let object = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&object, &JsValue::from_str("type"), &JsValue::from_str(kind));
    object
}

/// The texts' sentence vectors, in order; `progress` hears how many texts are done as the
/// answers come in. Every chunk is sent at once, so that no worker waits for the page (which
/// may be busy drawing a questionnaire) to send its next; the texts go longest first, each
/// chunk to the worker with the least text so far, so that the workers finish together.
async fn embed(texts: &[String], mut progress: impl FnMut(usize)) -> Result<Vec<Vec<f32>>, String> {
    let mut order: Vec<usize> = (0..texts.len()).collect();
    order.sort_by_key(|&index| std::cmp::Reverse(texts[index].len()));
    let mut load = vec![0usize; worker_count().max(1)];
    let mut replies = Vec::new();
    for chunk in order.chunks(CHUNK) {
        let worker = (0..load.len()).min_by_key(|&worker| load[worker]).unwrap_or(0);
        load[worker] += chunk.iter().map(|&index| texts[index].len()).sum::<usize>();
        let object = message("embed");
        let array: js_sys::Array = chunk.iter().map(|&index| JsValue::from_str(&texts[index])).collect();
        let _ = js_sys::Reflect::set(&object, &JsValue::from_str("texts"), &array);
        replies.push((chunk, post(worker, object, None)?));
    }
    let mut vectors = vec![Vec::new(); texts.len()];
    let mut done = 0;
    for (chunk, reply) in replies {
        let flat = js_sys::Float32Array::new(&field(&reply.await?, "vectors")).to_vec();
        if flat.is_empty() || !flat.len().is_multiple_of(chunk.len()) {
            return Err("the model returned vectors of the wrong size".into());
        }
        for (&index, vector) in chunk.iter().zip(flat.chunks_exact(flat.len() / chunk.len())) {
            vectors[index] = vector.to_vec();
        }
        done += chunk.len();
        progress(done);
    }
    Ok(vectors)
}

/// Loads the model, then the library's vectors (cached by an earlier visit, or else shipped
/// with the build), embeds what is missing, saves the vectors, builds the index, and
/// re-ranks the open questionnaire.
async fn load(state: AppState) -> Result<(), String> {
    let status = state.semantic.status;
    let started = browser::now_ms();
    let reply = request(message("load"), None).await?;
    match field(&reply, "type").as_string().as_deref() {
        Some("absent") => {
            status.set(ModelStatus::Absent);
            return Ok(());
        }
        Some("ready") => {}
        _ => return Err("the model did not start".into()),
    }
    browser::record_timing("semantic_model_ms", browser::now_ms() - started);
    browser::record_timing("semantic_model_bytes", field(&reply, "bytes").as_f64().unwrap_or(0.0));
    browser::record_timing("semantic_worker_warm_up_ms", field(&reply, "warmUpMs").as_f64().unwrap_or(0.0));
    browser::record_timing(
        "semantic_model_cached",
        if field(&reply, "fromCache").as_bool() == Some(true) { 1.0 } else { 0.0 },
    );
    let encoder = field(&reply, "encoder").as_string().unwrap_or_default();
    let dims = field(&reply, "dims").as_f64().unwrap_or(0.0) as usize;
    let stored = message("get-vectors");
    let _ = js_sys::Reflect::set(&stored, &JsValue::from_str("key"), &JsValue::from_str(&encoder));
    let cached = request(stored, None).await.ok().map(|reply| field(&reply, "bytes")).filter(|b| !b.is_null());
    let cache = cached
        .and_then(|bytes| VectorCache::from_bytes(&js_sys::Uint8Array::new(&bytes).to_vec()).ok())
        .filter(|cache| cache.encoder == encoder && cache.dims() == dims)
        .unwrap_or_else(|| VectorCache::new(encoder.clone(), dims));
    state.semantic.vectors.set_value(cache);
    add_workers().await;
    browser::record_timing("semantic_workers", worker_count() as f64);
    let library_started = browser::now_ms();
    let shipped = take_shipped_vectors(state).await;
    let added = embed_library(state).await?;
    if shipped > 0 && added == 0 {
        save_vectors(state).await;
    }
    browser::record_timing("semantic_library_ms", browser::now_ms() - library_started);
    browser::record_timing("semantic_library_shipped", shipped as f64);
    browser::record_timing("semantic_library_embedded", added as f64);
    ensure_index(state);
    warm_up(state);
    status.set(ModelStatus::Ready);
    rerank(state).await;
    Ok(())
}

/// Embeds the library's texts that have no vector yet, with progress, and saves the vectors
/// when any were added. Returns how many were added.
async fn embed_library(state: AppState) -> Result<usize, String> {
    let missing: Vec<String> = state.library.with_value(|library| {
        state.semantic.vectors.with_value(|cache| cache.missing(library)).into_iter().map(str::to_owned).collect()
    });
    let total = missing.len();
    if total == 0 {
        return Ok(0);
    }
    let status = state.semantic.status;
    status.set(ModelStatus::Embedding { done: 0, total });
    let started = browser::now_ms();
    let vectors = embed(&missing, |done| status.set(ModelStatus::Embedding { done, total })).await?;
    browser::record_timing("semantic_library_embed_only_ms", browser::now_ms() - started);
    state.semantic.vectors.update_value(|cache| {
        for (text, vector) in missing.iter().zip(vectors) {
            let _ = cache.insert(text.clone(), vector);
        }
    });
    save_vectors(state).await;
    Ok(total)
}

/// Takes the built-in library's vectors that the build ships beside the model (embedded when
/// the app was built, by the same model) for the library texts that have none yet, so that a
/// first visit embeds only the user's own entries. Returns how many were taken: none when
/// the cache had them all, the build has none, or they are from another model.
async fn take_shipped_vectors(state: AppState) -> usize {
    let lacking = state
        .library
        .with_value(|library| state.semantic.vectors.with_value(|cache| !cache.missing(library).is_empty()));
    if !lacking {
        return 0;
    }
    let Ok(reply) = request(message("shipped-vectors"), None).await else { return 0 };
    let bytes = field(&reply, "bytes");
    if bytes.is_null() || bytes.is_undefined() {
        return 0;
    }
    let Ok(shipped) = VectorCache::from_bytes(&js_sys::Uint8Array::new(&bytes).to_vec()) else { return 0 };
    state.library.with_value(|library| {
        state.semantic.vectors.try_update_value(|cache| cache.absorb(shipped, library)).unwrap_or(0)
    })
}

/// Keeps the vectors of the library's texts (and no others) in the worker's cache, for the
/// next visit.
async fn save_vectors(state: AppState) {
    state.library.with_value(|library| state.semantic.vectors.update_value(|cache| cache.retain_library(library)));
    let (bytes, encoder) = state.semantic.vectors.with_value(|cache| (cache.to_bytes(), cache.encoder.clone()));
    let put = message("put-vectors");
    let _ = js_sys::Reflect::set(&put, &JsValue::from_str("key"), &JsValue::from_str(&encoder));
    let array = js_sys::Uint8Array::from(bytes.as_slice());
    let _ = js_sys::Reflect::set(&put, &JsValue::from_str("bytes"), &array);
    let transfer = js_sys::Array::of1(&array.buffer());
    let _ = request(put, Some(&transfer)).await;
}

/// Builds the index over the matcher's entries from the library's vectors, unless it is built
/// for this library version already.
fn ensure_index(state: AppState) {
    state.ensure_matcher();
    let version = state.library.with_value(|lib| lib.version().to_owned());
    if state.semantic.index.with_value(|index| index.as_ref().is_none_or(|(v, _)| *v != version)) {
        let index =
            state.matcher.with_value(|m| state.semantic.vectors.with_value(|cache| SemanticIndex::new(m, cache).0));
        state.semantic.index.set_value(Some((version, index)));
    }
}

/// Matches a few of the library's own phrasings by words and meaning, and drops the result.
/// The browser compiles a module's code quickly and plainly first, and again, optimised, once
/// it has run a while: this runs the hybrid matching code while the page is idle, so that the
/// first questionnaire's re-rank runs the optimised code from its start.
fn warm_up(state: AppState) {
    let started = browser::now_ms();
    let samples: Vec<(String, Vec<f32>)> = state.library.with_value(|library| {
        state.semantic.vectors.with_value(|cache| {
            library
                .approved()
                .flat_map(|entry| entry.phrasings())
                .filter_map(|text| Some((text.to_owned(), cache.get(text)?.to_vec())))
                .take(WARM_UP_QUESTIONS)
                .collect()
        })
    });
    state.semantic.index.with_value(|index| {
        if let Some((_, index)) = index {
            let questions = samples.iter().map(|(text, vector)| (text.as_str(), vector.as_slice()));
            state.matcher.with_value(|m| m.match_all_hybrid(questions, index));
        }
    });
    browser::record_timing("semantic_warm_up_ms", browser::now_ms() - started);
}

/// Re-ranks the open questionnaire by words and meaning, when the model is ready. Answers a
/// reviewer touched stay as they are (see `ReviewSession::rerank`).
pub async fn rerank(state: AppState) {
    if state.semantic.status.get_untracked() != ModelStatus::Ready {
        return;
    }
    if state.semantic.busy.get_value() {
        state.semantic.again.set_value(true);
        return;
    }
    state.semantic.busy.set_value(true);
    loop {
        state.semantic.again.set_value(false);
        if let Err(message) = rerank_once(state).await {
            state.semantic.status.set(ModelStatus::Failed(message));
        }
        if !state.semantic.again.get_value() {
            break;
        }
    }
    state.semantic.busy.set_value(false);
}

async fn rerank_once(state: AppState) -> Result<(), String> {
    let Some(texts) = state.session.with_value(|s| {
        s.as_ref().map(|s| s.questionnaire.questions.iter().map(|q| q.text.clone()).collect::<Vec<_>>())
    }) else {
        return Ok(());
    };
    if texts.is_empty() {
        return Ok(());
    }
    let started = browser::now_ms();
    // Entries added or edited since the library was embedded: their phrasings first.
    if embed_library(state).await? > 0 {
        state.semantic.status.set(ModelStatus::Ready);
    }
    let mut missing: Vec<String> = state
        .semantic
        .questions
        .with_value(|known| texts.iter().filter(|t| !known.contains_key(*t)).cloned().collect());
    missing.sort();
    missing.dedup();
    let vectors = embed(&missing, |_| {}).await?;
    state.semantic.questions.update_value(|known| {
        for (text, vector) in missing.iter().zip(vectors) {
            known.insert(text.clone(), vector);
        }
    });
    let embedded = browser::now_ms();
    ensure_index(state);
    // The session may have changed while the questions were being embedded: match only if it
    // is still the same questionnaire.
    let same = state.session.with_value(|s| {
        s.as_ref().is_some_and(|s| {
            s.questionnaire.questions.len() == texts.len()
                && s.questionnaire.questions.iter().zip(&texts).all(|(q, t)| q.text == *t)
        })
    });
    if !same {
        state.semantic.again.set_value(true);
        return Ok(());
    }
    let suggestions = state.semantic.questions.with_value(|known| {
        state.semantic.index.with_value(|index| {
            let (_, index) = index.as_ref()?;
            let vectors: Option<Vec<&[f32]>> = texts.iter().map(|t| known.get(t).map(Vec::as_slice)).collect();
            let pairs = texts.iter().map(String::as_str).zip(vectors?);
            Some(state.matcher.with_value(|m| m.match_all_hybrid(pairs, index)))
        })
    });
    let Some(suggestions) = suggestions else { return Ok(()) };
    browser::record_timing("semantic_match_ms", browser::now_ms() - embedded);
    let changed = state.library.with_value(|lib| {
        state.session.try_update_value(|s| s.as_mut().map(|s| s.rerank(suggestions, &lib.entries))).flatten()
    });
    browser::record_timing("semantic_rerank_ms", browser::now_ms() - started);
    browser::record_timing("semantic_embed_questions_ms", embedded - started);
    browser::record_timing("semantic_rerank_questions", texts.len() as f64);
    if changed.is_some() {
        state.reranked();
    }
    Ok(())
}
