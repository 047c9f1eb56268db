// The library page end to end: import a library from CSV with a preview and a conflict,
// edit an entry (with validation), see the coverage grid change, export the library again;
// and the speed of a 5,000-entry library (load and type-ahead), printed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { withApp, downloadBytes, ROOT, SCREENSHOTS } from './harness.mjs';

/** A CSV cell, quoted. */
const cell = (text) => `"${String(text).replaceAll('"', '""')}"`;
const csv = (rows) => rows.map((row) => row.map(cell).join(',')).join('\n');
const HEADER = ['id', 'question', 'alternates', 'answer', 'detail', 'controls', 'tags', 'owner', 'reviewed'];

/** Serious and critical axe-core violations on the page (axe evaluated from npm, past the CSP). */
async function seriousViolations(page) {
  await page.evaluate(readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8'));
  const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.length} nodes, e.g. ${v.nodes[0]?.target})`);
}

/** Reads the approved count shown on a criterion's coverage cell. */
const coverageOf = async (page, criterion) =>
  Number(await page.locator(`[data-testid=coverage-cell][data-criterion="${criterion}"]`).getAttribute('data-approved'));

test('library: import CSV with a preview, edit an entry, coverage changes, export again', async () => {
  await withApp(async ({ page }) => {
    await page.getByTestId('nav-library').click();
    await page.getByTestId('library-page').waitFor();
    const shownBefore = await page.getByTestId('library-shown').innerText();
    const total = Number(shownBefore.match(/of (\d+) entries/)[1]);

    // Coverage before: PI1.4 in the sample library.
    await page.getByTestId('tab-coverage').click();
    const pi14 = await coverageOf(page, 'PI1.4');

    // A team's CSV: two new entries (one citing PI1.4) and a changed version of a shipped one.
    const file = csv([
      HEADER,
      ['team-output-checks', 'Do you check that reports you deliver are complete and accurate?', 'Are outputs validated before delivery? | How do you verify report accuracy?',
        'Yes', 'Every export is reconciled against its source counts before it is delivered.', 'PI1.4', 'processing integrity', 'data@team.example', '2026-10-01'],
      ['team-ai-optout', 'Can customers opt out of AI features?', 'Is AI use optional? | Can AI be turned off?',
        'Yes', 'Workspace admins can switch every AI feature off.', 'CC2.3', 'ai', 'product@team.example', '2026-10-01'],
      ['a1-uptime-sla', 'Do you offer a contractual uptime commitment for the service?', 'What is your SLA? | Uptime guarantee?',
        'Yes', 'A CHANGED DETAIL from the team file.', 'A1.1; A1.2', 'availability', 'sre@team.example', '2026-10-01'],
    ]);
    await page.getByTestId('tab-import').click();
    await page.getByTestId('library-file-input').setInputFiles({ name: 'team-library.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
    const summary = await page.getByTestId('import-summary').innerText();
    assert.match(summary, /^2 new, 1 changed, 0 unchanged;/, summary);
    const conflict = page.getByTestId('import-conflict');
    assert.equal(await conflict.count(), 1);
    assert.match(await conflict.innerText(), /A CHANGED DETAIL/);
    await page.screenshot({ path: join(SCREENSHOTS, 'library-import-preview.png'), fullPage: true });
    // Merge without consent to the conflict: the shipped entry keeps its own detail.
    await page.getByTestId('mode-merge').check();
    await page.getByTestId('apply-import').click();
    await page.getByTestId('library-entry').first().waitFor();
    assert.match(await page.getByTestId('library-shown').innerText(), new RegExp(`of ${total + 2} entries`));
    await page.getByTestId('library-filter').fill('a1-uptime-sla');
    await page.getByTestId('library-entry').first().getByTestId('edit-entry').click();
    assert.doesNotMatch(await page.getByTestId('entry-detail').inputValue(), /CHANGED DETAIL/, 'a conflict is never overwritten without consent');
    await page.getByTestId('cancel-entry').click();

    // The coverage grid counts the imported PI1.4 entry.
    await page.getByTestId('tab-coverage').click();
    assert.equal(await coverageOf(page, 'PI1.4'), pi14 + 1);

    // Edit the imported AI entry: a wrong control is refused in words, then fixed to PI1.4.
    await page.getByTestId('tab-entries').click();
    await page.getByTestId('library-filter').fill('team-ai-optout');
    assert.deepEqual(await seriousViolations(page), [], 'entries view: no serious accessibility violations');
    const entry = page.locator('[data-testid=library-entry][data-entry-id="team-ai-optout"]');
    await entry.getByTestId('edit-entry').click();
    await page.getByTestId('entry-controls').fill('CC2.3; CC6.99');
    await page.getByTestId('save-entry').click();
    assert.match(await page.getByTestId('entry-problems').innerText(), /The control "CC6\.99" is not a SOC 2 criterion/);
    await page.getByTestId('entry-controls').fill('CC2.3; PI1.4');
    await page.getByTestId('entry-answer-input').fill('Partial');
    await page.getByTestId('save-entry').click();
    await page.getByTestId('entry-editor').waitFor({ state: 'detached' });
    assert.equal(await entry.getByTestId('entry-answer').innerText(), 'Partial');

    // Coverage follows the edit; a click on the cell lists the criterion's entries.
    await page.getByTestId('tab-coverage').click();
    assert.equal(await coverageOf(page, 'PI1.4'), pi14 + 2);
    await page.screenshot({ path: join(SCREENSHOTS, 'library-coverage.png'), fullPage: true });
    assert.deepEqual(await seriousViolations(page), [], 'coverage view: no serious accessibility violations');
    await page.locator('[data-testid=coverage-cell][data-criterion="PI1.4"]').click();
    assert.equal(await page.getByTestId('library-control-filter').inputValue(), 'PI1.4');
    assert.match(await page.getByTestId('library-shown').innerText(), new RegExp(`Showing ${pi14 + 2} of ${pi14 + 2} entries`));

    // Export as CSV: the edit is in the file, and formulas stay text.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-library-csv').click()]);
    assert.match(download.suggestedFilename(), /\.csv$/);
    const exported = (await downloadBytes(download)).toString('utf8');
    assert.match(exported, /team-ai-optout,Can customers opt out of AI features\?.*Partial/s);
    assert.match(exported, /CC2\.3; PI1\.4/);
    // XLSX export downloads a workbook (its content is checked natively).
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-library-xlsx').click()]);
    const bytes = await downloadBytes(xlsx);
    assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'the XLSX export is a zip container');

    // The change survives a reload.
    await page.reload();
    await page.getByTestId('nav-library').click();
    await page.getByTestId('library-filter').fill('team-ai-optout');
    assert.equal(await page.locator('[data-testid=library-entry][data-entry-id="team-ai-optout"]').getByTestId('entry-answer').innerText(), 'Partial');
  });
});

test('library: 5,000 entries load under a second; type-ahead per keystroke (printed)', async () => {
  await withApp(async ({ page }) => {
    const verbs = ['encrypt', 'back up', 'monitor', 'review', 'log', 'test', 'rotate', 'restrict', 'approve', 'train staff on'];
    const objects = ['customer data', 'production databases', 'admin accounts', 'vendor access', 'source code', 'API keys',
      'laptops', 'incident reports', 'audit logs', 'network traffic', 'backups', 'firewall rules'];
    const controls = ['CC6.1', 'CC6.6', 'CC7.2', 'CC8.1', 'A1.2', 'C1.1', 'CC3.2', 'P4.2', 'PI1.3', 'CC2.1'];
    const rows = [HEADER];
    for (let i = 0; i < 5000; i++) {
      const verb = verbs[i % verbs.length];
      const object = objects[Math.floor(i / verbs.length) % objects.length];
      rows.push([`gen-${i}`, `Do you ${verb} ${object} (case ${i})?`, `How do you ${verb} ${object}? | Is ${object} covered when you ${verb}?`,
        i % 7 === 0 ? 'Partial' : 'Yes', `We ${verb} ${object} as part of control set ${i % 97}.`, controls[i % controls.length],
        `${verb}; ${object}`, 'owner@team.example', '2026-09-01']);
    }
    await page.getByTestId('nav-library').click();
    await page.getByTestId('tab-import').click();
    // Timed in the page: from the file input's change to the entries list painted.
    await page.evaluate(() => {
      document.querySelector('[data-testid=library-file-input]').addEventListener('change', () => { window.__picked = performance.now(); }, { capture: true });
    });
    await page.getByTestId('library-file-input').setInputFiles({ name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.from(csv(rows)) });
    await page.getByTestId('import-summary').waitFor();
    await page.getByTestId('mode-new').check();
    await page.evaluate(() => {
      document.querySelector('[data-testid=apply-import]').addEventListener('click', () => { window.__applied = performance.now(); }, { capture: true });
    });
    await page.getByTestId('apply-import').click();
    await page.waitForFunction(() => /of 5000 entries/.test(document.querySelector('[data-testid=library-shown]')?.textContent ?? ''));
    const timings = await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => ok({
      preview: window.__applied - window.__picked,
      applied: performance.now() - window.__applied,
    }))));
    const load = timings.applied;
    console.log(`5,000-entry library: read and previewed in ${timings.preview.toFixed(0)} ms (including the click); loaded and listed in ${load.toFixed(0)} ms`);
    assert.ok(load < 1000, `5,000 entries loaded in ${load.toFixed(0)} ms`);

    // Type-ahead: each keystroke from the input event to the list showing its result.
    const filter = page.getByTestId('library-filter');
    await filter.focus();
    const perKey = await page.evaluate(async () => {
      const input = document.querySelector('[data-testid=library-filter]');
      const shown = document.querySelector('[data-testid=library-shown]');
      const times = [];
      let typed = '';
      for (const key of 'rotate api') {
        typed += key;
        const start = performance.now();
        input.value = typed;
        input.dispatchEvent(new Event('input', { bubbles: true }));
        // The app filters and renders in the input handler and the microtasks after it; the
        // next task runs once the list is rendered.
        await new Promise((r) => setTimeout(r, 0));
        times.push(performance.now() - start);
        if (!shown.textContent.includes('Showing')) throw new Error('the list did not render');
      }
      return times;
    });
    const worst = Math.max(...perKey);
    const median = [...perKey].sort((a, b) => a - b)[Math.floor(perKey.length / 2)];
    console.log(`5,000-entry library: type-ahead per keystroke median ${median.toFixed(1)} ms, worst ${worst.toFixed(1)} ms (${perKey.map((t) => t.toFixed(0)).join(', ')})`);
    assert.match(await page.getByTestId('library-shown').innerText(), /Showing \d+ of \d+ entries/);
    const first = await page.getByTestId('library-entry').first().innerText();
    assert.match(first, /rotate API keys/i, `the best match comes first: ${first}`);
    // The bar is 30 ms; the guard is looser for a busy machine, and the figure is printed.
    assert.ok(median < 100, `type-ahead median ${median.toFixed(1)} ms`);
  });
});
