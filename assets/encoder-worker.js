// Trustfill's sentence encoder, in a web worker so that the page stays responsive while it
// works. It fetches the model from the app's own origin, never from anywhere else, keeps it in
// the Cache API so that later visits read it from disk, and embeds texts on request. It also
// keeps the library's sentence vectors, so that they are computed once per library.
//
// Messages from the page (src/semantic.rs):
//   {type: 'load', id}                      -> progress..., then ready or absent or error
//   {type: 'embed', id, texts}              -> {type: 'vectors', id, vectors: Float32Array}
//   {type: 'get-vectors', id, key}          -> {type: 'stored', id, bytes: Uint8Array | null}
//   {type: 'put-vectors', id, key, bytes}   -> {type: 'stored', id, bytes: null}
//   {type: 'shipped-vectors', id}           -> {type: 'stored', id, bytes: Uint8Array | null}
//     (the built-in library's vectors, embedded when the app was built, if the build has them)
import init, { Encoder } from './trustfill_encoder_worker.js';

const MODEL_CACHE = 'trustfill-model-v1';
const VECTOR_CACHE = 'trustfill-vectors-v1';
const here = new URL('.', import.meta.url);
const WARM_UP_TEXTS = ['Is access to production systems reviewed every quarter?', 'How is customer data encrypted at rest?'];
const WARM_UP_ROUNDS = 3;
let encoder = null;
let manifest = null;

async function openCache(name) {
  try {
    return await caches.open(name);
  } catch {
    // No Cache API here (an insecure origin, or storage switched off): work without it.
    return null;
  }
}

// The model's bytes: from the cache when this exact file (by its hash) is there, otherwise
// downloaded with progress and then cached. Older versions are dropped.
async function modelBytes(manifest) {
  const url = new URL(`${manifest.file}?sha256=${manifest.sha256}`, here);
  const cache = await openCache(MODEL_CACHE);
  const cached = cache && (await cache.match(url));
  if (cached) return { bytes: new Uint8Array(await cached.arrayBuffer()), fromCache: true };
  const response = await fetch(new URL(manifest.file, here));
  if (!response.ok) throw new Error(`the model file could not be read (HTTP ${response.status})`);
  const total = manifest.bytes;
  const bytes = new Uint8Array(total);
  const reader = response.body.getReader();
  let loaded = 0;
  let reported = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (loaded + value.length > total) throw new Error('the model file is larger than its manifest says');
    bytes.set(value, loaded);
    loaded += value.length;
    if (loaded - reported > total / 100 || loaded === total) {
      reported = loaded;
      postMessage({ type: 'progress', loaded, total });
    }
  }
  if (loaded !== total) throw new Error('the model file is shorter than its manifest says');
  if (cache) {
    for (const old of await cache.keys()) {
      if (old.url !== url.href) await cache.delete(old);
    }
    await cache.put(url, new Response(bytes, { headers: { 'Content-Type': 'application/octet-stream' } })).catch(() => {});
  }
  return { bytes, fromCache: false };
}

async function load(id) {
  const started = performance.now();
  const manifestResponse = await fetch(new URL('manifest.json', here));
  if (!manifestResponse.ok) {
    postMessage({ type: 'absent', id });
    return;
  }
  manifest = await manifestResponse.json();
  const { bytes, fromCache } = await modelBytes(manifest);
  const fetched = performance.now();
  await init({ module_or_path: new URL('trustfill_encoder_worker_bg.wasm', here) });
  encoder = new Encoder(bytes);
  // The browser runs new wasm code through a quick, plain compiler first and optimises what
  // runs hot in the background: a few sentences now get the forward pass optimised before
  // the first real request (the library, or a questionnaire) arrives.
  const warmUpStarted = performance.now();
  for (let round = 0; round < WARM_UP_ROUNDS; round += 1) encoder.embed(WARM_UP_TEXTS);
  const warmUpMs = performance.now() - warmUpStarted;
  postMessage({
    type: 'ready',
    id,
    dims: encoder.dims(),
    encoder: `${manifest.name}@${manifest.sha256.slice(0, 16)}`,
    bytes: manifest.bytes,
    fromCache,
    fetchMs: fetched - started,
    loadMs: performance.now() - fetched,
    warmUpMs,
  });
}

function vectorKey(key) {
  return new URL(`vectors/${encodeURIComponent(key)}`, here);
}

self.onmessage = async (event) => {
  const message = event.data;
  try {
    if (message.type === 'load') {
      await load(message.id);
    } else if (message.type === 'embed') {
      const vectors = new Float32Array(encoder.embed(message.texts));
      postMessage({ type: 'vectors', id: message.id, vectors }, [vectors.buffer]);
    } else if (message.type === 'get-vectors') {
      const cache = await openCache(VECTOR_CACHE);
      const hit = cache && (await cache.match(vectorKey(message.key)));
      const bytes = hit ? new Uint8Array(await hit.arrayBuffer()) : null;
      postMessage({ type: 'stored', id: message.id, bytes });
    } else if (message.type === 'shipped-vectors') {
      let bytes = null;
      if (manifest && manifest.vectors) {
        const response = await fetch(new URL(manifest.vectors.file, here));
        if (response.ok) bytes = new Uint8Array(await response.arrayBuffer());
      }
      postMessage({ type: 'stored', id: message.id, bytes }, bytes ? [bytes.buffer] : []);
    } else if (message.type === 'put-vectors') {
      const cache = await openCache(VECTOR_CACHE);
      if (cache) {
        for (const old of await cache.keys()) await cache.delete(old);
        await cache.put(vectorKey(message.key), new Response(message.bytes)).catch(() => {});
      }
      postMessage({ type: 'stored', id: message.id, bytes: null });
    }
  } catch (error) {
    postMessage({ type: 'error', id: message.id, message: String(error && error.message ? error.message : error) });
  }
};
