// Journey 2: the WebAssembly bundle hydrates the server-rendered page, after which the
// interface is interactive (the narrow-screen menu) and links route on the client.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useAgora,
  expectNoAxeViolations,
  expectNoPageErrors,
  gotoAndLoadWasm,
  openMenuOnceHydrated,
  pollUntil,
  NARROW,
} from '../harness.mjs';

const agora = useAgora();

test('after hydration the menu button opens and closes the navigation', async () => {
  const page = await agora.newPage({ viewport: NARROW });
  await gotoAndLoadWasm(page, agora.url('/'));

  const toggle = page.locator('button.menu-toggle');
  const nav = page.locator('#site-nav');
  assert.ok(await toggle.isVisible(), 'the menu button is shown on a narrow screen');
  assert.equal(await toggle.textContent(), 'Menu');
  assert.equal(await toggle.getAttribute('aria-controls'), 'site-nav');
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  assert.equal(await nav.isVisible(), false, 'the navigation starts collapsed');
  await expectNoAxeViolations(page, '/ (narrow, menu closed)');

  await openMenuOnceHydrated(page);
  assert.equal(await nav.getAttribute('data-open'), 'true');
  await nav.waitFor({ state: 'visible' });
  const links = nav.getByRole('list').first().getByRole('link');
  assert.deepEqual(await links.allTextContents(), ['Home', 'Courses', 'Catalogue', 'Organisations']);
  for (const name of ['English', 'Dansk', 'Svenska']) {
    assert.ok(await nav.getByRole('link', { name }).isVisible(), `the language link "${name}" is visible`);
  }
  await expectNoAxeViolations(page, '/ (narrow, menu open)');

  // Hydrated, one click closes it again.
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  await nav.waitFor({ state: 'hidden' });
  assert.equal(await nav.getAttribute('data-open'), 'false');
  expectNoPageErrors(page);
  await page.context().close();
});

test('after hydration links route on the client without reloading the page', async () => {
  const page = await agora.newPage({ viewport: NARROW });
  await gotoAndLoadWasm(page, agora.url('/'));
  await page.evaluate(() => {
    window.__agoraSameDocument = true;
  });
  await openMenuOnceHydrated(page);
  let documentLoads = 0;
  page.on('request', (req) => {
    if (req.resourceType() === 'document') documentLoads++;
  });
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  await nav.getByRole('link', { name: 'Courses' }).click();
  await page.waitForURL(agora.url('/courses'));
  await page.getByRole('heading', { level: 1, name: 'Courses' }).waitFor();
  await page.locator('main .card-title').first().waitFor();
  assert.equal(await page.locator('main .card-title').count(), 3, 'the course list was loaded on the client');
  await pollUntil(async () => (await page.title()) === 'Courses · Agora', { message: 'the title did not become "Courses · Agora"' });
  assert.equal(await nav.getByRole('link', { name: 'Courses' }).getAttribute('aria-current'), 'page');
  assert.equal(await nav.getByRole('link', { name: 'Home' }).getAttribute('aria-current'), null);
  // The language links follow the route, to come back here after switching.
  assert.equal(await nav.getByRole('link', { name: 'Dansk' }).getAttribute('href'), '/lang/da?next=/courses');
  const sameDocument = await page.evaluate(() => window.__agoraSameDocument === true);
  assert.ok(sameDocument && documentLoads === 0, `the navigation loaded a new document (${documentLoads} document request(s))`);
  await expectNoAxeViolations(page, '/courses (after client-side navigation)');
  expectNoPageErrors(page);
  await page.context().close();
});
