// The review workspace by keyboard: move, accept, undo, filter, search, explain; screenshots of
// the explain panel in the light and dark themes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { withApp, SCREENSHOTS } from './harness.mjs';

test('keyboard review, undo and filters on the sample questionnaire', async () => {
  await withApp(async ({ page }) => {
    await page.getByTestId('try-sample').click();
    await page.getByTestId('review-page').waitFor();
    const rows = page.getByTestId('question-row');
    assert.equal(await rows.count(), 38);

    // j moves down three questions; a accepts the fourth, if it has an answer to accept.
    const statusOf = (i) => rows.nth(i).getByTestId('row-status').innerText();
    const target = await (async () => {
      for (let i = 0; i < 38; i++) if ((await statusOf(i)) === 'Suggested') return i;
      return -1;
    })();
    assert.ok(target >= 0, 'the sample has suggested answers');
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    for (let i = 0; i < target; i++) await page.keyboard.press('j');
    await page.keyboard.press('a');
    assert.equal(await statusOf(target), 'Accepted');
    await page.keyboard.press('u');
    assert.equal(await statusOf(target), 'Suggested', 'undo reverts the accept');
    await page.keyboard.press('U');
    assert.equal(await statusOf(target), 'Accepted', 'redo applies it again');

    // Filtering by status and searching narrow the list; clearing them restores it.
    await page.getByTestId('status-filter').selectOption('Accepted');
    assert.equal(await rows.count(), 1);
    await page.getByTestId('status-filter').selectOption('');
    await page.keyboard.press('/');
    await page.keyboard.type('encrypt');
    const found = await rows.count();
    assert.ok(found >= 1 && found < 38, `search narrows the list (${found})`);
    await page.getByTestId('search').fill('');
    assert.equal(await rows.count(), 38);

    // Any library entry can be picked by fuzzy type-ahead search.
    const last = rows.nth(37);
    await last.getByTestId('search-library').click();
    await last.getByTestId('library-search-input').fill('cyber insurance');
    const results = last.getByTestId('library-search-result');
    assert.ok((await results.count()) >= 1, 'the library search finds cyber insurance');
    const picked = await results.first().innerText();
    await results.first().click();
    assert.equal(await last.getByTestId('row-status').innerText(), 'Accepted');
    assert.match(picked, /insurance/i);

    // The explain panel, in both themes.
    await rows.nth(target).getByTestId('explain').click();
    await page.getByTestId('explain-panel').waitFor();
    await rows.nth(target).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'explain-light.png') });
    await page.getByTestId('theme-toggle').click();
    await page.screenshot({ path: join(SCREENSHOTS, 'explain-dark.png') });

    // The shortcut sheet opens with ?.
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('?');
    await page.getByTestId('shortcut-sheet').waitFor();
  });
});
