// Journey 6: keyboard use. The first Tab reaches the skip link, which takes focus past the
// header to the main content; this works before and after hydration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useAgora,
  expectNoAxeViolations,
  expectNoPageErrors,
  gotoAndLoadWasm,
  openMenuOnceHydrated,
  openServerRendered,
  waitForHydration,
  NARROW,
} from '../harness.mjs';

const agora = useAgora();

/** Tag, id, class and text of the focused element, and whether it comes after the header. */
function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el) return null;
    const main = document.getElementById('main');
    const pastHeader =
      main === el || main.contains(el) || !!(main.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
    return { tag: el.tagName.toLowerCase(), id: el.id, className: el.className, text: el.textContent.trim(), pastHeader };
  });
}

async function skipToContent(page, path) {
  // The first Tab focuses the skip link, which becomes visible.
  await page.keyboard.press('Tab');
  const first = await focused(page);
  assert.equal(first?.tag, 'a', `the first Tab focuses a link, not ${JSON.stringify(first)}`);
  assert.equal(first.className, 'skip-link');
  assert.equal(first.text, 'Skip to main content');
  const skip = page.locator('a.skip-link');
  assert.equal(await skip.getAttribute('href'), '#main');
  const box = await skip.boundingBox();
  assert.ok(box && box.y >= 0 && box.height > 0, `the focused skip link is on screen (box ${JSON.stringify(box)})`);
  await expectNoAxeViolations(page, `${path} (skip link focused)`);

  // Activating it moves focus to <main id="main">.
  await page.keyboard.press('Enter');
  const target = await focused(page);
  assert.deepEqual(
    { tag: target?.tag, id: target?.id },
    { tag: 'main', id: 'main' },
    `Enter on the skip link focuses main#main, not ${JSON.stringify(target)}`,
  );
  assert.equal(new URL(page.url()).pathname, path, 'the skip link does not leave the page');

  // The next Tab continues from the main content, past the header's links.
  await page.keyboard.press('Tab');
  const next = await focused(page);
  assert.ok(next?.pastHeader, `the Tab after skipping lands past the header, not on ${JSON.stringify(next)}`);
  return next;
}

test('the skip link is the first Tab stop and moves focus to the main content', async () => {
  // As served, before (or without) hydration: the browser follows the link itself.
  const page = await openServerRendered(agora, '/');
  const next = await skipToContent(page, '/');
  assert.equal(next.text, 'Browse all courses', 'the first link in main comes next');
  await expectNoAxeViolations(page, '/ (after skipping)');
  await page.context().close();
});

test('the skip link moves focus to the main content after hydration too', async () => {
  const page = await agora.newPage();
  await gotoAndLoadWasm(page, agora.url('/courses'));
  await waitForHydration(page);
  // The next stop after skipping is the first link of the main content: the first course.
  const first = (await page.locator('main a').first().textContent()).trim();
  const next = await skipToContent(page, '/courses');
  assert.deepEqual([next.text, await page.evaluate(() => !!document.activeElement.closest('main'))], [first, true]);
  await expectNoAxeViolations(page, '/courses (after skipping, hydrated)');
  expectNoPageErrors(page);
  await page.context().close();
});

test('the menu button works from the keyboard', async () => {
  const page = await agora.newPage({ viewport: NARROW });
  await gotoAndLoadWasm(page, agora.url('/'));
  await openMenuOnceHydrated(page);
  await page.locator('button.menu-toggle').click(); // closed again
  const toggle = page.locator('button.menu-toggle');
  await toggle.focus();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  await page.keyboard.press('Enter');
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  await page.locator('#site-nav').waitFor({ state: 'visible' });
  // Tab order goes from the button into the opened navigation.
  await page.keyboard.press('Tab');
  assert.deepEqual(
    await page.evaluate(() => [document.activeElement.textContent, !!document.activeElement.closest('#site-nav')]),
    ['Home', true],
  );
  await expectNoAxeViolations(page, '/ (menu opened by keyboard)');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Space');
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  expectNoPageErrors(page);
  await page.context().close();
});
