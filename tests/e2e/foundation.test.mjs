// The walking skeleton, end to end: open the app, import the CISA CSV, accept a suggestion,
// download the CSV export and find the accepted answer in it, with no foreign request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { withApp, fixture, downloadBytes, SCREENSHOTS } from './harness.mjs';

test('import the CISA CSV, accept a suggestion, export CSV, offline', async () => {
  await withApp(async ({ page }) => {
    await page.getByTestId('start-page').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'start-page.png'), fullPage: true });

    await page.getByTestId('file-input').setInputFiles(fixture('cisa/ict-scrm-vendor-template.csv'));
    await page.getByTestId('review-page').waitFor();
    const rows = page.getByTestId('question-row');
    assert.match(await page.getByTestId('question-count').innerText(), /255 questions/);
    assert.match(await page.getByTestId('shown-count').innerText(), /Showing 255 of 255/);
    // The list is windowed: only the rows near the screen are in the page.
    const rendered = await rows.count();
    assert.ok(rendered >= 10 && rendered < 100, `a window of rows is rendered (${rendered})`);

    // Accept the first suggestion of the first question that has one.
    const row = rows.filter({ has: page.getByTestId('pick-suggestion') }).first();
    await row.getByTestId('pick-suggestion').first().click();
    await assert.doesNotReject(row.getByTestId('row-status').filter({ hasText: 'Accepted' }).waitFor());
    const detail = (await row.getByTestId('detail').innerText()).trim();
    const questionId = await row.getAttribute('data-question-id');
    assert.ok(detail.length > 20, 'the accepted answer has a detail');
    await page.screenshot({ path: join(SCREENSHOTS, 'review-page.png') });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    assert.equal(download.suggestedFilename(), 'ict-scrm-vendor-template-trustfill.csv');
    const csv = (await downloadBytes(download)).toString('utf8');
    const line = csv.split('\n').find((l) => l.startsWith(questionId + ','));
    assert.ok(line, `question ${questionId} is in the export`);
    assert.ok(csv.includes(detail), 'the accepted answer is in the export');
    assert.ok(line.includes('Accepted'), 'the export marks it accepted');
  });
});
