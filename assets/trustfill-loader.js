// Starts Trustfill: loads the wasm-bindgen glue and the app's module from next to this file,
// so that the app works under any path, inside an iframe, or mounted in a portal's page. It is
// a file, not an inline script, so a strict Content-Security-Policy needs no hash for it.
import init from './trustfill-web.js';

const here = new URL('.', import.meta.url);
// The app's own directory, which a portal's page may not share: the semantic model's worker
// and files are found from here.
window.__trustfillBase = here.href;
await init({ module_or_path: new URL('trustfill-web_bg.wasm', here) });

// The standalone app keeps working offline after its first load. A portal that mounts the app
// in its own page keeps control of its own service workers, so none is registered there.
const standalone = !document.querySelector('[data-trustfill]');
if (standalone && 'serviceWorker' in navigator && location.protocol.startsWith('http')) {
  navigator.serviceWorker.register(new URL('sw.js', here), { scope: here.pathname }).catch(() => {
    // Without a service worker the app still works online; nothing to tell the user.
  });
}
