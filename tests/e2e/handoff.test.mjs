// Offline hand-off, review mode and embedding: the single-file build from file:// with the
// network blocked; a response package in review mode; the app mounted in a mock portal; the
// strict Content-Security-Policy; and the service worker serving the app offline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { withApp, open, serve, downloadBytes, fixture, ROOT, SCREENSHOTS, STRICT_CSP } from './harness.mjs';

test('the single file opens from file:// with the network blocked, imports and exports', async () => {
  const file = join(ROOT, 'dist-single/trustfill.html');
  assert.ok(existsSync(file), 'dist-single/trustfill.html is built (scripts/single.sh)');
  const { browser, context, page, requests, consoleErrors } = await open('file://');
  try {
    // Any request to a network address fails; the page must not need one.
    await context.route(/^(https?|wss?|ftp):/, (route) => route.abort());
    await page.goto(pathToFileURL(file).href);
    await page.getByTestId('start-page').waitFor();
    await page.getByTestId('file-input').setInputFiles(fixture('cisa/ict-scrm-vendor-template.csv'));
    await page.getByTestId('review-page').waitFor();
    await page.getByTestId('bulk-accept').click();
    await page.getByTestId('bulk-confirm-yes').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
    const saved = JSON.parse((await downloadBytes(download)).toString('utf8'));
    assert.equal(saved.format, 'trustfill-response');
    assert.ok(saved.questions.length > 10);
    const network = requests.filter((url) => !url.startsWith('file:') && !url.startsWith('data:') && !url.startsWith('blob:'));
    assert.deepEqual(network, [], 'the single file made no network request');
    assert.deepEqual(consoleErrors, [], 'no console errors (and no CSP violation)');
  } finally {
    await browser.close();
  }
});

test('review mode opens a response package and shows its summary counts', async () => {
  // First a sales engineer answers the HECVAT and exports the response package.
  let packageBytes;
  let expected;
  await withApp(async ({ page }) => {
    await page.getByTestId('file-input').setInputFiles(fixture('hecvat/HECVAT-4.1.4-blank.xlsx'));
    await page.getByTestId('review-page').waitFor();
    await page.getByTestId('bulk-accept').click();
    await page.getByTestId('bulk-confirm-yes').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
    packageBytes = await downloadBytes(download);
    const saved = JSON.parse(packageBytes.toString('utf8'));
    const final = saved.questions.filter((q) => q.status === 'accepted' || q.status === 'edited');
    expected = { total: saved.questions.length, answered: final.length };
  });
  // Then a procurement reviewer opens it in review mode (from the URL) and reads the summary.
  await withApp(async ({ page }) => {
    await page.getByTestId('reviewer-page').waitFor();
    await page.getByTestId('reviewer-file-input').setInputFiles({ name: 'hecvat-response.json', mimeType: 'application/json', buffer: packageBytes });
    await page.getByTestId('reviewer-counts').waitFor();
    const counts = Object.fromEntries(await page.locator('[data-testid=reviewer-counts] li').evaluateAll((items) =>
      items.map((li) => [li.dataset.kind, Number(li.querySelector('.tf-count-number').textContent)])));
    const sum = Object.values(counts).reduce((a, b) => a + b, 0);
    assert.equal(sum, expected.total, `the counts add up to every question: ${JSON.stringify(counts)}`);
    assert.equal(expected.total - counts.Unanswered, expected.answered, 'answered = accepted or edited');
    assert.ok(counts.Yes > 0);
    assert.match(await page.getByTestId('reviewer-soc2').innerText(), /SOC 2 Type II/);
    assert.match(await page.getByTestId('reviewer-unanswered').innerText(), new RegExp(`Unanswered \\(${counts.Unanswered}\\)`));
    // A rating and a note, kept in the export.
    const row = page.getByTestId('reviewer-row').first();
    const id = await row.getAttribute('data-question-id');
    await row.getByTestId('reviewer-rating').selectOption('Needs follow-up');
    await row.getByTestId('reviewer-note').fill('Ask for the policy document.');
    await row.getByTestId('reviewer-note').blur();
    await page.getByTestId('reviewer-rating-filter').selectOption('Needs follow-up');
    assert.equal(await page.getByTestId('reviewer-row').count(), 1);
    await page.screenshot({ path: join(SCREENSHOTS, 'review-mode.png'), fullPage: false });
    await page.evaluate(readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8'));
    const axe = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
    const serious = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes[0]?.target}`);
    assert.deepEqual(serious, [], 'review mode: no serious accessibility violations');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-notes-csv').click()]);
    const csv = (await downloadBytes(download)).toString('utf8');
    assert.match(csv, new RegExp(`${id}.*Needs follow-up,Ask for the policy document\\.`));
  }, { path: '/?mode=review' });
});

test('the app mounts in a portal element, leaves its styles alone, and tells it about exports', async () => {
  await withApp(async ({ page }) => {
    await page.locator('#questionnaires .tf-app').waitFor();
    assert.equal(await page.locator('body > .tf-app').count(), 0, 'the app mounted in its element, not the body');
    const portal = await page.evaluate(() => ({
      title: getComputedStyle(document.querySelector('.portal-header h1')).color,
      font: getComputedStyle(document.body).fontFamily,
      background: getComputedStyle(document.body).backgroundColor,
      side: getComputedStyle(document.querySelector('.portal-side h2')).color,
    }));
    assert.deepEqual(portal, {
      title: 'rgb(255, 215, 0)', font: 'Georgia, "DejaVu Serif", serif', background: 'rgb(251, 247, 239)', side: 'rgb(128, 0, 64)',
    }, 'the portal keeps its own styles');
    await page.locator('[data-event="trustfill:ready"]').waitFor();
    // Configuration from data attributes: sessions hidden.
    await page.getByTestId('try-sample').click();
    await page.getByTestId('review-page').waitFor();
    await page.locator('[data-event="trustfill:session-changed"]').first().waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    assert.ok((await downloadBytes(download)).length > 0);
    const exported = await page.locator('[data-event="trustfill:exported"]').first().innerText();
    assert.match(exported, /"format":"csv"/);
    await page.screenshot({ path: join(SCREENSHOTS, 'portal.png'), fullPage: false });
  }, { path: '/examples/portal.html' });
});

test('the app works under the strict CSP header, with no violation', async () => {
  await withApp(async ({ page }) => {
    await page.evaluate(() => {
      window.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    await page.getByTestId('try-sample').click();
    await page.getByTestId('review-page').waitFor();
    await page.getByTestId('nav-library').click();
    await page.getByTestId('tab-coverage').click();
    await page.getByTestId('coverage-cell').first().waitFor();
    assert.deepEqual(await page.evaluate(() => window.__violations), []);
  }, { csp: STRICT_CSP });
});

test('after its first load, the hosted app opens offline (service worker)', async () => {
  await withApp(async ({ page, context }) => {
    await page.evaluate(async () => { await navigator.serviceWorker.ready; });
    await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await context.setOffline(true);
    await page.reload();
    await page.getByTestId('start-page').waitFor();
    await page.getByTestId('try-sample').click();
    await page.getByTestId('review-page').waitFor();
    await context.setOffline(false);
  });
});

test('under a sub-path and inside an iframe, the app works and posts its events to the portal', async () => {
  // The repository root is served, so the app lives under /dist/: a sub-path.
  const server = await serve(ROOT);
  const { browser, page, consoleErrors, foreignRequests } = await open(server.origin);
  try {
    await page.goto(`${server.origin}/dist/examples/iframe.html`);
    const frame = page.frameLocator('#trustfill-frame');
    await frame.getByTestId('start-page').waitFor();
    assert.equal(await frame.locator('.tf-app').getAttribute('data-theme'), 'dark', 'configured by URL parameters');
    await page.locator('[data-message="trustfill:ready"]').waitFor();
    await frame.getByTestId('try-sample').click();
    await frame.getByTestId('review-page').waitFor();
    await page.locator('[data-message="trustfill:session-changed"]').first().waitFor();
    assert.deepEqual(foreignRequests(), [], 'the page requested only its own files');
    assert.deepEqual(consoleErrors, [], 'no console errors');
  } finally {
    await browser.close();
    server.stop();
  }
});
