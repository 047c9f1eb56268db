// The SOC 2 profile end to end: a profile with Security and Confidentiality only; the HECVAT
// imported; Availability answers flagged out of scope; the SOC 2 report question answered from
// the profile; and the scope status in the exported response package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { withApp, downloadBytes, fixture, SCREENSHOTS } from './harness.mjs';

test('a Security and Confidentiality profile flags Availability answers and answers the report questions', async () => {
  await withApp(async ({ page }) => {
    await page.getByTestId('nav-library').click();
    await page.getByTestId('tab-profile').click();
    // A wrong profile is refused in words: a period that ends before it starts.
    await page.getByTestId('type-ii').check();
    await page.getByTestId('period-start').fill('2026-06-01');
    await page.getByTestId('period-end').fill('2026-01-31');
    await page.getByTestId('save-profile').click();
    assert.match(await page.getByTestId('profile-problems').innerText(), /end/i);
    // The right one: Type II over the last year, Security and Confidentiality only.
    await page.getByTestId('period-start').fill('2025-12-01');
    await page.getByTestId('period-end').fill('2026-11-15');
    await page.getByTestId('report-date').fill('2026-11-20');
    await page.getByTestId('bridge-start').fill('');
    await page.getByTestId('bridge-end').fill('');
    await page.getByTestId('scope-availability').uncheck();
    await page.getByTestId('scope-confidentiality').check();
    await page.getByTestId('scope-processing-integrity').uncheck();
    await page.getByTestId('scope-privacy').uncheck();
    await page.getByTestId('save-profile').click();
    const summary = await page.getByTestId('profile-summary').innerText();
    assert.match(summary, /Type II/);
    assert.match(summary, /Security and Confidentiality/);
    await page.screenshot({ path: join(SCREENSHOTS, 'library-profile.png'), fullPage: true });

    await page.getByTestId('nav-start').click();
    await page.getByTestId('file-input').setInputFiles(fixture('hecvat/HECVAT-4.1.4-blank.xlsx'));
    await page.getByTestId('review-page').waitFor();

    // "Have you undergone a SSAE 18/SOC 2 audit?" is answered from the profile.
    await page.getByTestId('search').fill('DOCU-03');
    const report = page.getByTestId('question-row').first();
    assert.match(await report.innerText(), /SSAE 18\/SOC 2 audit/);
    const detail = await report.getByTestId('detail').innerText();
    assert.match(detail, /Type II/, detail);
    assert.match(detail, /2025|2026/, detail);

    // An answer resting on Availability criteria is flagged.
    await page.getByTestId('search').fill('');
    await page.getByTestId('control-filter').selectOption('A1.2');
    const flagged = page.getByTestId('scope-status').filter({ hasText: 'Availability is not in your SOC 2 scope.' });
    assert.ok(await flagged.count() >= 1, 'an Availability answer is flagged out of scope');
    await page.screenshot({ path: join(SCREENSHOTS, 'review-out-of-scope.png'), fullPage: false });

    // The response package records each answer's scope.
    await page.getByTestId('control-filter').selectOption('');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
    const saved = JSON.parse((await downloadBytes(download)).toString('utf8'));
    assert.ok(saved.soc2_profile, 'the package carries the profile');
    const scopes = saved.questions.map((q) => JSON.stringify(q.scope ?? null));
    assert.ok(scopes.some((s) => s.includes('availability')), `an out-of-scope answer is recorded: ${scopes.slice(0, 5)}`);
  });
});
