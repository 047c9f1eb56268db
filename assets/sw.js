// Trustfill's service worker: after the first visit, the app opens offline. Requests go to the
// network first, so a new build is used as soon as there is one; the cache answers only when
// the network cannot. Only this origin's own files are ever cached or served.
const CACHE = 'trustfill-app-v1';
const SHELL = ['./', 'index.html', 'trustfill-loader.js', 'trustfill-web.js', 'trustfill-web_bg.wasm', 'style.css', 'favicon.svg'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  // The meaning model's weights (23 MB) are kept by its worker in a cache of their own, keyed
  // by their hash (assets/encoder-worker.js): a second copy here would only take disk space.
  if (new URL(request.url).pathname.endsWith('.tfm')) return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          event.waitUntil(caches.open(CACHE).then((cache) => cache.put(request, copy)));
        }
        return response;
      })
      .catch(() => caches.match(request, { ignoreSearch: true })
        .then((hit) => hit || (request.mode === 'navigate' ? caches.match('index.html') : Response.error()))),
  );
});
