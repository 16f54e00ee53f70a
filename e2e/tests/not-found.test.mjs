// Journey 4: an unknown address answers 404 with a helpful page, in the visitor's language.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useAgora, expectNoAxeViolations, expectNoPageErrors, gotoAndLoadWasm, waitForHydration } from '../harness.mjs';

const agora = useAgora();

/** Chromium logs the 404 status of the document itself as a console error: expected here. */
const DOCUMENT_404 = /Failed to load resource: the server responded with a status of 404/;

test('an unknown page answers 404 with the "Page not found" page', async () => {
  const res = await fetch(agora.url('/no-such-page'), { headers: { 'accept-language': 'en' } });
  assert.equal(res.status, 404);
  assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
  const html = await res.text();
  assert.match(html, /<html lang="en"/);
  assert.match(html, /<h1>Page not found<\/h1>/);

  const page = await agora.newPage({ locale: 'en-GB' });
  const response = await gotoAndLoadWasm(page, agora.url('/no-such-page'));
  assert.equal(response.status(), 404);
  await waitForHydration(page);
  assert.equal(await page.title(), 'Page not found · Agora');
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Page not found');
  assert.ok(await page.getByText('We could not find that page.').isVisible());
  // The page still has the site's frame: skip link, navigation, a way home.
  assert.ok(await page.getByRole('navigation', { name: 'Main navigation' }).isVisible());
  const home = page.getByRole('main').getByRole('link', { name: 'Go to the home page' });
  assert.equal(await home.getAttribute('href'), '/');
  await expectNoAxeViolations(page, '/no-such-page');

  await home.click();
  await page.waitForURL(agora.url('/'));
  await page.getByRole('heading', { level: 1, name: 'Learn with teachers across Europe' }).waitFor();
  await expectNoAxeViolations(page, '/ (from the 404 page)');
  expectNoPageErrors(page, { allow: [DOCUMENT_404] });
  await page.context().close();
});

test('the 404 page is translated', async () => {
  const res = await fetch(agora.url('/no-such-page'), { headers: { 'accept-language': 'da' } });
  assert.equal(res.status, 404);
  const html = await res.text();
  assert.match(html, /<html lang="da"/);
  assert.match(html, /<h1>Siden blev ikke fundet<\/h1>/);

  const page = await agora.newPage({ locale: 'da-DK' });
  const response = await page.goto(agora.url('/courses/nothing/here'));
  assert.equal(response.status(), 404);
  assert.equal(await page.locator('html').getAttribute('lang'), 'da');
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Siden blev ikke fundet');
  assert.equal(await page.title(), 'Siden blev ikke fundet · Agora');
  assert.ok(await page.getByRole('link', { name: 'Gå til forsiden' }).isVisible());
  await expectNoAxeViolations(page, '/courses/nothing/here (Danish)');

  // Chosen with the switcher, on the 404 page itself: Swedish.
  await page.getByRole('link', { name: 'Svenska', exact: true }).click();
  await page.locator('html[lang="sv"]').waitFor({ state: 'attached' });
  assert.equal(new URL(page.url()).pathname, '/courses/nothing/here');
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Sidan hittades inte');
  await expectNoAxeViolations(page, '/courses/nothing/here (Swedish)');
  expectNoPageErrors(page, { allow: [DOCUMENT_404] });
  await page.context().close();
});
