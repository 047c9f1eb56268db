// Formats beyond xlsx, in the browser: a Word questionnaire (made by LibreOffice from an HTML
// table, so that the file is a real word processor's) imports and comes back filled; the
// HECVAT saved as OpenDocument comes back as a new xlsx that LibreOffice reads; a downloaded
// response package reopens with its answers and statuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withApp, downloadBytes, fixture } from './harness.mjs';

/** Converts a file with headless LibreOffice; returns the converted file's path. */
function convert(path, to, filter) {
  const out = mkdtempSync(join(tmpdir(), 'tf-lo-'));
  execFileSync('soffice', ['--headless', '--norestore', `-env:UserInstallation=file://${out}/profile`,
    '--convert-to', filter ? `${to}:${filter}` : to, '--outdir', out, path], { stdio: 'pipe', timeout: 120000 });
  return join(out, path.split('/').pop().replace(/\.[^.]+$/, `.${to}`));
}

test('a Word questionnaire imports, and the filled document carries the answers', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-docx-'));
  const html = join(dir, 'vendor-questions.html');
  writeFileSync(html, `<html><body><h1>Vendor security questions</h1><table border="1">
    <tr><th>ID</th><th>Question</th><th>Response</th><th>Comments</th></tr>
    <tr><td>V-1</td><td>Do you encrypt customer data at rest?</td><td></td><td></td></tr>
    <tr><td>V-2</td><td>Do you enforce multi-factor authentication for administrators?</td><td></td><td></td></tr>
    <tr><td>V-3</td><td>Describe your backup process.</td><td></td><td></td></tr>
    </table></body></html>`);
  const docx = convert(html, 'docx', 'MS Word 2007 XML');
  await withApp(async ({ page }) => {
    await page.getByTestId('file-input').setInputFiles(docx);
    await page.getByTestId('review-page').waitFor();
    assert.match(await page.getByTestId('question-count').innerText(), /3 questions/);
    const row = page.locator('[data-testid=question-row][data-question-id="V-1"]');
    await row.getByTestId('edit').click();
    await row.getByTestId('edit-answer').selectOption('Yes');
    await row.getByTestId('edit-detail').fill('All customer data is encrypted with AES-256.');
    await row.getByTestId('save-edit').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-xlsx').click()]);
    assert.equal(download.suggestedFilename(), 'vendor-questions-trustfill.docx');
    const filled = join(dir, download.suggestedFilename());
    writeFileSync(filled, await downloadBytes(download));
    const text = readFileSync(convert(filled, 'txt', 'Text'), 'utf8');
    assert.match(text, /AES-256/, 'LibreOffice reads the answer in the filled document');
  });
});

test('a downloaded response package reopens with its answers and statuses', async () => {
  await withApp(async ({ page }) => {
    await page.getByTestId('try-sample').click();
    await page.getByTestId('review-page').waitFor();
    const accepted = page.getByTestId('question-row').filter({ has: page.getByTestId('short-answer') }).nth(1);
    await accepted.getByTestId('accept').click();
    const id = await accepted.getAttribute('data-question-id');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
    const bytes = await downloadBytes(download);
    await page.getByTestId('close-session').click();
    await page.getByTestId('file-input').setInputFiles({ name: download.suggestedFilename(), mimeType: 'application/json', buffer: bytes });
    await page.getByTestId('review-page').waitFor();
    assert.match(await page.getByTestId('notice').innerText(), /saved response with 38 questions reopened/);
    const row = page.locator(`[data-testid=question-row][data-question-id="${id}"]`);
    assert.equal(await row.getByTestId('row-status').innerText(), 'Accepted');
    await page.getByTestId('close-session').click();
    assert.equal(await page.getByTestId('session-item').count(), 2, 'the reopened package is a session of its own');
  });
});

test('an OpenDocument questionnaire comes back as a new xlsx with the answers, said plainly', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-ods-'));
  const source = join(dir, 'hecvat.xlsx');
  writeFileSync(source, readFileSync(fixture('hecvat/HECVAT-4.1.4-blank.xlsx')));
  const ods = convert(source, 'ods');
  await withApp(async ({ page }) => {
    await page.getByTestId('file-input').setInputFiles(ods);
    await page.getByTestId('review-page').waitFor();
    assert.match(await page.getByTestId('notice').innerText(), /new \.xlsx workbook/, 'the import says the export will be a new xlsx');
    await page.getByTestId('search').fill('DOCU-01');
    const row = page.locator('[data-testid=question-row][data-question-id="DOCU-01"]');
    await row.getByTestId('edit').click();
    await row.getByTestId('edit-answer').selectOption({ index: 1 });
    await row.getByTestId('edit-detail').fill('Reviewed every quarter by the security team.');
    await row.getByTestId('save-edit').click();
    assert.match(await page.getByTestId('export-xlsx').innerText(), /filled \.xlsx/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-xlsx').click()]);
    assert.equal(download.suggestedFilename(), 'hecvat-trustfill.xlsx');
    const filled = join(dir, download.suggestedFilename());
    writeFileSync(filled, await downloadBytes(download));
    assert.equal(readFileSync(filled).subarray(0, 2).toString(), 'PK');
    // Every sheet to its own CSV (the last option, -1), named after the sheet.
    const first = convert(filled, 'csv', 'Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1');
    const text = readFileSync(first.replace(/\.csv$/, '-Organization.csv'), 'utf8');
    assert.match(text, /Reviewed every quarter by the security team\./, 'LibreOffice reads the answer in the new workbook');
  });
});
