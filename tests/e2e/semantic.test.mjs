// The meaning model in the browser, end to end, with the real all-MiniLM-L6-v2 weights: it
// loads after the first render in a worker, embeds the built-in library once (then cached),
// re-ranks a 300-question questionnaire (HECVAT, 331 questions), finds an answer that shares
// no words with the question, and can be switched off; all under the strict
// Content-Security-Policy the README documents. The timings are printed against the issue's
// bars (library under 5 s, 300 questions re-ranked under 2 s), not asserted: performance is
// measured, not timed in tests, and this shared two-core host varies by a fifth or more from
// one run to the next (see ARCHITECTURE.md, "Speed of the meaning model").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync, mkdtempSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withApp, fixture, serve, open, ROOT, SCREENSHOTS, STRICT_CSP } from './harness.mjs';

const timings = (page) => page.evaluate(() => ({ ...(window.__trustfill_timings || {}) }));

async function waitForTiming(page, name, ms = 180000) {
  await page.waitForFunction((key) => window.__trustfill_timings && key in window.__trustfill_timings, name, { timeout: ms });
  return (await timings(page))[name];
}

const status = (page) => page.getByTestId('model-status').getAttribute('data-status');

test('the meaning model loads after first paint, embeds the library once, re-ranks 331 questions, and can be switched off', async () => {
  await withApp(async ({ page, requests }) => {
    // The first paint does not wait for the model: the page is up before the model is ready.
    const firstRender = await waitForTiming(page, 'first_render_ms');
    const atFirstRender = await status(page);
    assert.notEqual(atFirstRender, 'ready', 'the model is not ready at the first paint');
    assert.ok(firstRender < 1000, `first render in ${firstRender} ms`);

    await page.locator('[data-testid=model-status][data-status=ready]').waitFor({ timeout: 180000 });
    const loaded = await timings(page);
    assert.equal(loaded.semantic_model_cached, 0, 'the first visit downloads the model');
    // The built-in library's vectors came with the build: none had to be embedded here.
    assert.ok(loaded.semantic_library_shipped > 1000, `the library's vectors were shipped (${loaded.semantic_library_shipped})`);
    assert.equal(loaded.semantic_library_embedded, 0, 'nothing was left to embed');
    assert.ok(requests.some((url) => url.endsWith('/model/minilm-l6-v2.int8.tfm')), 'the model came from the app\'s own origin');
    assert.ok(requests.some((url) => url.endsWith('/model/library-vectors.bin')), 'the library\'s vectors came from the app\'s own origin');
    console.log(`# semantic: first render ${firstRender.toFixed(0)} ms (model status then: ${atFirstRender}); model ${(loaded.semantic_model_bytes / 1e6).toFixed(1)} MB fetched and started in ${loaded.semantic_model_ms.toFixed(0)} ms; built-in library ready ${loaded.semantic_library_ms.toFixed(0)} ms later (bar: 5 s) from the ${loaded.semantic_library_shipped} vectors shipped with the build`);

    // A 300-question questionnaire is re-ranked by words and meaning.
    await page.getByTestId('file-input').setInputFiles(fixture('hecvat/HECVAT-4.1.4-blank.xlsx'));
    await page.getByTestId('review-page').waitFor();
    const rerank = await waitForTiming(page, 'semantic_rerank_ms');
    const after = await timings(page);
    assert.ok(after.semantic_rerank_questions >= 300, `${after.semantic_rerank_questions} questions re-ranked`);
    console.log(`# semantic: ${after.semantic_rerank_questions} HECVAT questions re-ranked in ${rerank.toFixed(0)} ms (bar: 2 s; embedding ${after.semantic_embed_questions_ms.toFixed(0)} ms, index and matching ${after.semantic_match_ms.toFixed(0)} ms, after warm-ups when the model was ready: ${after.semantic_worker_warm_up_ms.toFixed(0)} ms in each worker, ${after.semantic_warm_up_ms.toFixed(0)} ms on the page); lexical match was ${after.match_ms.toFixed(0)} ms`);

    // A question that shares no content word with its answer is found by meaning.
    const dir = mkdtempSync(join(tmpdir(), 'tf-semantic-'));
    const csv = join(dir, 'meaning.csv');
    writeFileSync(csv, 'Question\nHow do you make sure former employees can no longer get in?\n');
    await page.evaluate(() => { delete window.__trustfill_timings.semantic_rerank_ms; });
    await page.getByTestId('nav-start').click();
    await page.getByTestId('file-input').setInputFiles(csv);
    await page.getByTestId('review-page').waitFor();
    await waitForTiming(page, 'semantic_rerank_ms');
    const row = page.getByTestId('question-row').first();
    await row.getByTestId('explain').click();
    // The top suggestion's closest phrasing is the one about people who left.
    const why = await page.getByTestId('explain-semantic').innerText();
    assert.match(why, /Similar in meaning to: .*(ex-employee|terminat|leav|offboard)/i, why);
    await page.screenshot({ path: join(SCREENSHOTS, 'semantic-explain.png'), fullPage: false });

    // The second visit reads the model and the library's vectors from the cache.
    await page.reload();
    await page.locator('[data-testid=model-status][data-status=ready]').waitFor({ timeout: 120000 });
    const again = await timings(page);
    assert.equal(again.semantic_model_cached, 1, 'the model came from the cache');
    assert.equal(again.semantic_library_embedded, 0, 'the library was not embedded again');
    assert.equal(again.semantic_library_shipped, 0, 'the vectors came from the cache, not the build again');
    console.log(`# semantic: second visit, model from cache started in ${again.semantic_model_ms.toFixed(0)} ms, library vectors from cache`);

    // Switched off, it stays off across a reload, and matching is by words.
    await page.getByTestId('model-switch').click();
    assert.equal(await status(page), 'off');
    await page.reload();
    await page.getByTestId('model-status').waitFor();
    await page.waitForTimeout(500);
    assert.equal(await status(page), 'off');
    assert.match(await page.getByTestId('model-status').innerText(), /meaning model off/);
  }, { semantic: true, csp: STRICT_CSP });
});

// A little-endian f32 vector file as the app caches it (VectorCache::to_bytes): a JSON header
// line, then the vectors in the order of its texts.
function readVectors(bytes) {
  const newline = bytes.indexOf(10);
  const header = JSON.parse(bytes.subarray(0, newline).toString('utf8'));
  const body = bytes.subarray(newline + 1);
  const floats = new Float32Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.length));
  const vectors = new Map(header.texts.map((text, i) => [text, floats.subarray(i * header.dims, (i + 1) * header.dims)]));
  return { header, vectors };
}

test('without the shipped vectors, the browser embeds the built-in library itself, to the same vectors; a re-rank keeps the filters', async () => {
  // The same build with the library's vectors left out: the workers embed every phrasing.
  const dir = mkdtempSync(join(tmpdir(), 'tf-novectors-'));
  cpSync(join(ROOT, 'dist'), dir, { recursive: true, filter: (source) => !source.endsWith('library-vectors.bin') });
  const manifestPath = join(dir, 'model/manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  delete manifest.vectors;
  writeFileSync(manifestPath, JSON.stringify(manifest));
  const server = await serve(dir, { csp: STRICT_CSP });
  const { browser, page, consoleErrors, foreignRequests } = await open(server.origin, { semantic: true });
  try {
    await page.goto(server.origin + '/');
    // A questionnaire opened while the model is still busy with the library is matched by
    // words at once; the reviewer filters it; the re-rank that follows keeps the filters.
    await page.getByTestId('file-input').setInputFiles(fixture('hecvat/HECVAT-4.1.4-blank.xlsx'));
    await page.getByTestId('review-page').waitFor();
    assert.notEqual(await status(page), 'ready', 'the questionnaire was opened before the model was ready');
    await page.getByTestId('search').fill('data');
    const sections = await page.getByTestId('section-filter').locator('option').evaluateAll((options) => options.map((o) => o.value).filter(Boolean));
    let section = null;
    let filteredRows = 0;
    for (const candidate of sections) {
      await page.getByTestId('section-filter').selectOption(candidate);
      filteredRows = await page.getByTestId('question-row').count();
      if (filteredRows > 1) {
        section = candidate;
        break;
      }
    }
    assert.ok(section, 'a section has questions about data');

    await page.locator('[data-testid=model-status][data-status=ready]').waitFor({ timeout: 180000 });
    await waitForTiming(page, 'semantic_rerank_ms');
    assert.equal(await page.getByTestId('section-filter').inputValue(), section, 'the section filter survived the re-rank');
    assert.equal(await page.getByTestId('search').inputValue(), 'data', 'the search survived the re-rank');
    assert.equal(await page.getByTestId('question-row').count(), filteredRows, 'the same rows are shown');

    const loaded = await timings(page);
    assert.equal(loaded.semantic_library_shipped, 0, 'no vectors were shipped');
    assert.ok(loaded.semantic_library_embedded > 1000, `the library's texts were embedded (${loaded.semantic_library_embedded})`);
    console.log(`# semantic: without shipped vectors, the built-in library (${loaded.semantic_library_embedded} texts) embedded in the browser in ${loaded.semantic_library_ms.toFixed(0)} ms (bar: 5 s) by ${loaded.semantic_workers} workers (embedding alone ${loaded.semantic_library_embed_only_ms.toFixed(0)} ms)`);

    // What the browser embedded is what the build shipped (the same forward pass, natively).
    const cached = await page.evaluate(async () => {
      const cache = await caches.open('trustfill-vectors-v1');
      const [key] = await cache.keys();
      const bytes = new Uint8Array(await (await cache.match(key)).arrayBuffer());
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(binary);
    });
    const browserVectors = readVectors(Buffer.from(cached, 'base64'));
    const shipped = readVectors(readFileSync(join(ROOT, 'dist/model/library-vectors.bin')));
    assert.equal(browserVectors.header.encoder, shipped.header.encoder);
    assert.equal(browserVectors.vectors.size, shipped.vectors.size);
    let lowest = 1;
    for (const [text, vector] of shipped.vectors) {
      const other = browserVectors.vectors.get(text);
      assert.ok(other, `the browser embedded "${text}"`);
      let cosine = 0;
      for (let i = 0; i < vector.length; i += 1) cosine += vector[i] * other[i];
      lowest = Math.min(lowest, cosine);
    }
    assert.ok(lowest > 0.9999, `the browser's vectors match the shipped ones (lowest cosine ${lowest})`);
    console.log(`# semantic: the ${shipped.vectors.size} shipped vectors and the browser's agree to a cosine of at least ${lowest.toFixed(7)}`);
    assert.deepEqual(foreignRequests(), []);
    assert.deepEqual(consoleErrors, []);
  } finally {
    await browser.close();
    server.stop();
  }
});

test('a build without the model matches by words and says so', async () => {
  // The same build with model/ left out, as TRUSTFILL_MODEL=off makes it.
  const dir = mkdtempSync(join(tmpdir(), 'tf-nomodel-'));
  cpSync(join(ROOT, 'dist'), dir, { recursive: true, filter: (source) => !source.includes(`${join(ROOT, 'dist')}/model`) });
  const server = await serve(dir);
  const { browser, page, consoleErrors, foreignRequests } = await open(server.origin, { semantic: true });
  try {
    await page.goto(server.origin + '/');
    await page.locator('[data-testid=model-status][data-status=absent]').waitFor({ timeout: 30000 });
    assert.match(await page.getByTestId('model-status').innerText(), /no meaning model in this build/);
    await page.getByTestId('file-input').setInputFiles(fixture('hecvat/HECVAT-4.1.4-blank.xlsx'));
    await page.getByTestId('review-page').waitFor();
    assert.ok((await page.getByTestId('question-row').count()) > 0, 'questions are listed and matched by words');
    assert.deepEqual(foreignRequests(), []);
    // The missing worker script is the browser's own 404, not the app's error.
    assert.deepEqual(consoleErrors.filter((e) => !/404|Failed to load|model\/encoder-worker/.test(e)), []);
  } finally {
    await browser.close();
    server.stop();
  }
});
