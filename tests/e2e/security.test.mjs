// Hostile input end to end: questionnaire cells and library entries holding markup, script
// URLs and very long strings render as inert text; an over-limit file gets one clear
// sentence; and a full import, review and export requests nothing but the app's own files
// and writes nothing outside this origin's local storage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withApp, downloadBytes, fixture } from './harness.mjs';

const HOSTILE = [
  '<script>window.__xss = "script"</script>Do you encrypt data at rest?',
  '<img src=x onerror="window.__xss = \'img\'">Do you enforce MFA for administrators?',
  '<a href="javascript:window.__xss=\'link\'">click</a> Do you run penetration tests?',
  '"><svg onload="window.__xss=\'svg\'"></svg> Do you keep audit logs?',
  // Long, but under the 32,767 characters a cell may hold (over it, the file is refused).
  `${'Very long question about backups '.repeat(900)}?`,
];
const cell = (text) => `"${String(text).replaceAll('"', '""')}"`;

/** Asserts the page holds no element or attribute that hostile text could have made. */
async function assertInert(page) {
  const found = await page.evaluate(() => ({
    xss: window.__xss ?? null,
    images: document.querySelectorAll('.tf-app img, .tf-app svg, .tf-app script, .tf-app a[href^="javascript"]').length,
    handlers: [...document.querySelectorAll('.tf-app *')].filter((el) => [...el.attributes].some((a) => a.name.startsWith('on'))).length,
  }));
  assert.deepEqual(found, { xss: null, images: 0, handlers: 0 }, 'hostile text stays text');
}

test('hostile questionnaire cells and library entries render as inert text', async () => {
  await withApp(async ({ page }) => {
    const dialogs = [];
    page.on('dialog', (dialog) => { dialogs.push(dialog.message()); dialog.dismiss(); });
    const lines = ['ID,Question,Response,Comments', ...HOSTILE.map((q, i) => `X-${i + 1},${cell(q)},,`)];
    await page.getByTestId('file-input').setInputFiles({ name: 'hostile.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) });
    await page.getByTestId('review-page').waitFor();
    assert.equal(await page.getByTestId('question-row').count(), HOSTILE.length);
    const first = await page.getByTestId('question-row').first().innerText();
    assert.ok(first.includes('<script>window.__xss = "script"</script>'), 'the markup is shown as the text it is');
    await assertInert(page);

    // Library entries with the same content, imported and listed, and chosen as answers.
    const header = 'id,question,alternates,answer,detail,controls,tags,owner,reviewed';
    const entries = HOSTILE.slice(0, 4).map((q, i) => `evil-${i},${cell(q)},,${cell('<b onmouseover=alert(1)>Yes</b>')},${cell(q)},CC6.1,${cell('<i>tag</i>')},x,2026-10-01`);
    await page.getByTestId('nav-library').click();
    await page.getByTestId('tab-import').click();
    await page.getByTestId('library-file-input').setInputFiles({ name: 'evil.csv', mimeType: 'text/csv', buffer: Buffer.from([header, ...entries].join('\n')) });
    await page.getByTestId('apply-import').click();
    await page.getByTestId('library-filter').fill('evil-');
    const evil = page.locator('[data-testid=library-entry][data-entry-id^="evil-"]');
    assert.equal(await evil.count(), 4);
    assert.match(await evil.first().innerText(), /<b onmouseover=alert\(1\)>Yes<\/b>/);
    await assertInert(page);

    // Back in the review, an answer taken from a hostile entry is text too, and so is the export.
    await page.getByTestId('nav-start').click();
    await page.getByTestId('resume-session').first().click();
    const row = page.getByTestId('question-row').first();
    await row.getByTestId('search-library').click();
    await row.getByTestId('library-search-input').fill('evil-0');
    await row.getByTestId('library-search-result').first().click();
    assert.match(await row.getByTestId('detail').innerText(), /<script>/);
    await assertInert(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-report').click()]);
    const report = (await downloadBytes(download)).toString('utf8');
    assert.ok(!/<script|<img|onerror=|javascript:/i.test(report), 'the printable report holds no live markup');
    assert.deepEqual(dialogs, [], 'no script ever ran');
  });
});

test('an over-limit file gets one clear sentence, and the app stays alive', async () => {
  await withApp(async ({ page }) => {
    // A zip bomb dressed as a workbook: a tiny file that would inflate far past the ratio limit.
    const dir = mkdtempSync(join(tmpdir(), 'trustfill-bomb-'));
    const bomb = join(dir, 'bomb.xlsx');
    execFileSync('python3', ['-c', `
import zipfile, sys
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('[Content_Types].xml', '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
    z.writestr('xl/workbook.xml', '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="S" sheetId="1" r:id="rId1" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/></sheets></workbook>')
    z.writestr('xl/worksheets/sheet1.xml', '<worksheet>' + ' ' * (60 * 1024 * 1024) + '</worksheet>')
`, bomb]);
    await page.getByTestId('file-input').setInputFiles(bomb);
    const notice = await page.getByTestId('notice').innerText();
    assert.match(notice, /^bomb\.xlsx: [A-Z][^\n]*\.\s*×?$/s, `one sentence: ${notice}`);
    assert.match(notice, /compress|expand|inflate|ratio|large/i, notice);

    // A file over the size limit is refused before it is parsed.
    const huge = join(dir, 'huge.csv');
    writeFileSync(huge, Buffer.alloc(51 * 1024 * 1024, 'a'));
    await page.getByTestId('file-input').setInputFiles(huge);
    await page.waitForFunction(() => /huge\.csv/.test(document.querySelector('[data-testid=notice]')?.textContent ?? ''));
    const big = await page.getByTestId('notice').innerText();
    assert.match(big, /50 MB/, big);

    // The app is alive: the sample still opens.
    await page.getByTestId('try-sample').click();
    await page.getByTestId('review-page').waitFor();
  });
});

test('a full import, review and export stays on this origin, in its own storage', async () => {
  await withApp(async ({ page, origin }) => {
    // Recorded from here on; the page's own load is checked by the harness after every test.
    const requests = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.getByTestId('file-input').setInputFiles(fixture('hecvat/HECVAT-4.1.4-blank.xlsx'));
    await page.getByTestId('review-page').waitFor();
    await page.getByTestId('bulk-accept').click();
    await page.getByTestId('bulk-confirm-yes').click();
    for (const format of ['xlsx', 'csv', 'json', 'report']) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`export-${format}`).click()]);
      assert.ok((await downloadBytes(download)).length > 0);
    }
    const foreign = requests.filter((url) => !url.startsWith(origin + '/') && !url.startsWith('blob:') && !url.startsWith('data:'));
    console.log(`full flow after load: ${requests.length} requests, none off ${origin}`);
    assert.deepEqual(foreign, [], 'no request left the machine');
    const stored = await page.evaluate(async () => ({
      keys: Object.keys(localStorage).filter((k) => !k.startsWith('trustfill.')),
      session: Object.keys(sessionStorage),
      cookie: document.cookie,
      databases: (await indexedDB.databases()).map((d) => d.name),
    }));
    assert.deepEqual(stored, { keys: [], session: [], cookie: '', databases: [] }, 'only trustfill.* keys in local storage');
  });
});
