// Shared end-to-end harness: serves dist/ on 127.0.0.1, starts Debian's Chromium headless with
// the network quiet, records every request, and fails on any request that is not for the
// app's own files.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import net from 'node:net';

export const ROOT = resolve(new URL('../..', import.meta.url).pathname);
export const FIXTURES = resolve(ROOT, '../shared/fixtures');
export const SCREENSHOTS = join(ROOT, 'target/screenshots');
mkdirSync(SCREENSHOTS, { recursive: true });

const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

function freePort() {
  return new Promise((ok, fail) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
    server.on('error', fail);
  });
}

async function waitForPort(port, ms = 10000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const open = await new Promise((ok) => {
      const socket = net.connect(port, '127.0.0.1', () => { socket.destroy(); ok(true); });
      socket.on('error', () => ok(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server on ${port} did not start`);
}

/** The strict Content-Security-Policy the README documents for hosting the app. */
export const STRICT_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; object-src 'none'; base-uri 'none'";

/** Serves a directory, optionally with a CSP header on every response; returns { origin, stop }. */
export async function serve(directory = join(ROOT, 'dist'), { csp } = {}) {
  // The server is unref'd so that a failing test can never keep node waiting on it.
  const port = await freePort();
  const args = [join(ROOT, 'tests/e2e/serve.py'), '--port', String(port), '--dir', directory, ...(csp ? ['--csp', csp] : [])];
  const server = spawn('python3', args, { stdio: 'ignore' });
  server.unref();
  await waitForPort(port);
  return { origin: `http://127.0.0.1:${port}`, stop: () => server.kill() };
}

/** Starts Chromium and a page that records requests and console errors. */
export async function open(origin, { viewport = { width: 1280, height: 900 }, colorScheme = 'light', semantic = false } = {}) {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    // Playwright gives every launch a fresh, empty profile directory of its own.
    args: CHROMIUM_ARGS,
  });
  const context = await browser.newContext({ viewport, colorScheme, acceptDownloads: true });
  // The meaning model downloads and works in the background after the first render. Only the
  // tests about it (semantic.test.mjs) keep it on, so that the others measure the app alone;
  // switched off is also how a user who does not want it runs the app.
  if (!semantic) {
    await context.addInitScript(() => {
      try { localStorage.setItem('trustfill.semantic', 'off'); } catch { /* no storage in this frame */ }
    });
  }
  const page = await context.newPage();
  const requests = [];
  const consoleErrors = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => { if (message.type() === 'error') consoleErrors.push(message.text()); });
  page.on('pageerror', (error) => consoleErrors.push(String(error)));
  const foreignRequests = () => requests.filter((url) => !(url.startsWith(origin + '/') || url.startsWith('blob:') || url.startsWith('data:')));
  return { browser, context, page, requests, consoleErrors, foreignRequests };
}

/** Reads a Playwright download into a Buffer. */
export async function downloadBytes(download) {
  const stream = await download.createReadStream();
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

export const fixture = (path) => join(FIXTURES, path);

/**
 * Serves dist/, opens the app in Chromium, runs `body({ page, origin })`, then asserts that the
 * page requested only its own files and logged no console error. Always cleans up.
 */
export async function withApp(body, { path = '/', csp, semantic = false } = {}) {
  const server = await serve(join(ROOT, 'dist'), { csp });
  const { browser, context, page, requests, consoleErrors, foreignRequests } =
    await open(server.origin, { semantic }).catch((e) => { server.stop(); throw e; });
  try {
    await page.goto(server.origin + path);
    await body({ page, context, origin: server.origin, requests });
    assert.deepEqual(foreignRequests(), [], 'the page requested only its own files');
    assert.deepEqual(consoleErrors, [], 'no console errors');
  } finally {
    await browser.close();
    server.stop();
  }
}
