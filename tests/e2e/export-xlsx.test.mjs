// Fill-back end to end: import the HECVAT workbook, answer questions, download the filled
// workbook, and let LibreOffice (a real client) open it and find the answers in their cells.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withApp, fixture, downloadBytes, SCREENSHOTS } from './harness.mjs';

/** Converts every sheet of a workbook to CSV with headless LibreOffice; returns the folder. */
function libreOfficeCsv(workbook) {
  const out = mkdtempSync(join(tmpdir(), 'tf-lo-'));
  execFileSync('soffice', [
    '--headless', '--norestore', `-env:UserInstallation=file://${out}/profile`,
    '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1',
    '--outdir', out, workbook,
  ], { stdio: 'pipe', timeout: 120000 });
  return out;
}

test('the HECVAT comes back filled in, and LibreOffice opens it', async () => {
  await withApp(async ({ page }) => {
    await page.getByTestId('file-input').setInputFiles(fixture('hecvat/HECVAT-4.1.4-blank.xlsx'));
    await page.getByTestId('review-page').waitFor();
    assert.match(await page.getByTestId('question-count').innerText(), /331 questions/);
    const timings = await page.evaluate(() => window.__trustfill_timings);
    console.log(`HECVAT in Chromium: import ${timings.import_ms.toFixed(0)} ms, matching ${timings.match_ms.toFixed(0)} ms`);

    // Answer three Organization questions with their first suggestion, found by searching
    // for their ids (the list is windowed, so rows far down are not in the page).
    await page.getByTestId('search').fill('DOCU-');
    const expected = [];
    const rows = page.locator('[data-testid=question-row][data-question-id^="DOCU-"]');
    for (let i = 0; i < 3; i++) {
      const row = rows.nth(i);
      await row.getByTestId('pick-suggestion').first().click();
      await row.getByTestId('row-status').filter({ hasText: 'Accepted' }).waitFor();
      expected.push({ id: await row.getAttribute('data-question-id'), answer: (await row.getByTestId('short-answer').innerText()).trim() });
    }
    await page.screenshot({ path: join(SCREENSHOTS, 'review-hecvat.png') });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-xlsx').click()]);
    assert.equal(download.suggestedFilename(), 'HECVAT-4.1.4-blank-trustfill.xlsx');
    const after = await page.evaluate(() => window.__trustfill_timings.export_xlsx_ms);
    console.log(`HECVAT fill-back in Chromium: ${after.toFixed(0)} ms`);
    assert.ok(after < 1000, 'export under a second');
    const path = join(mkdtempSync(join(tmpdir(), 'tf-dl-')), download.suggestedFilename());
    writeFileSync(path, await downloadBytes(download));

    const csvDir = libreOfficeCsv(path);
    const organization = readFileSync(join(csvDir, 'HECVAT-4.1.4-blank-trustfill-Organization.csv'), 'utf8').split('\n');
    for (const { id, answer } of expected) {
      const line = organization.find((l) => l.startsWith(id + ','));
      assert.ok(line, `${id} is on the Organization sheet`);
      assert.ok(line.includes(`,${answer},`) || line.includes(`,"${answer}",`), `${id}: expected answer ${answer} in: ${line.slice(0, 300)}`);
    }
  });
});
