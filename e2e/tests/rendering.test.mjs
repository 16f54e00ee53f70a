// Journey 1: pages are rendered on the server, so they work without JavaScript; and the
// catalogue pages (/courses, /organisations) show the demo data, hydrate without errors and
// are accessible.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useAgora,
  expectNoAxeViolations,
  expectNoPageErrors,
  gotoAndLoadWasm,
  openServerRendered,
  waitForHydration,
  DEMO_COURSES,
  DEMO_ORGANISATIONS,
} from '../harness.mjs';

const agora = useAgora();

/** A page fetched with plain HTTP, as a crawler or a browser before any script runs sees it. */
async function fetchHtml(path, headers = {}) {
  const res = await fetch(agora.url(path), { headers: { 'accept-language': 'en', ...headers } });
  return { res, html: await res.text() };
}

test('the home page HTML from the server already has the content', async () => {
  const { res, html } = await fetchHtml('/');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
  assert.match(html, /^<!DOCTYPE html>/i);
  assert.match(html, /<html lang="en"/);
  assert.match(html, /<title>Agora<\/title>/);
  assert.match(html, /<h1>Learn with teachers across Europe<\/h1>/);
  assert.match(html, /<a href="#main" class="skip-link">Skip to main content<\/a>/);
  for (const title of DEMO_COURSES) assert.ok(html.includes(title), `the HTML lists the course "${title}"`);
  // The page loads its hydration bundle.
  assert.match(html, /\/pkg\/agora\.js/);
  assert.match(html, /\/pkg\/agora_bg\.wasm/);
});

test('the home page works in a browser with JavaScript disabled', async () => {
  const page = await agora.newPage({ javaScriptEnabled: false });
  const response = await page.goto(agora.url('/'));
  assert.equal(response.status(), 200);
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.equal(await page.title(), 'Agora');

  const heading = page.getByRole('heading', { level: 1 });
  assert.ok(await heading.isVisible(), 'the h1 is visible');
  assert.equal(await heading.textContent(), 'Learn with teachers across Europe');

  const featured = page.getByRole('region', { name: 'Courses open for enrolment' });
  assert.ok(await featured.isVisible(), 'the featured courses section is visible');
  const cards = featured.getByRole('listitem');
  assert.equal(await cards.count(), DEMO_COURSES.length);
  for (const title of DEMO_COURSES) {
    const cardTitle = featured.getByRole('heading', { level: 3, name: title });
    assert.ok(await cardTitle.isVisible(), `the course "${title}" is visible`);
  }
  // The stylesheet applies: the skip link is moved out of sight until focused.
  const skip = page.locator('a.skip-link');
  const box = await skip.boundingBox();
  assert.ok(box && box.y + box.height <= 0, `the skip link is off-screen until focused (box ${JSON.stringify(box)})`);
  // Plain links navigate without JavaScript.
  await page.getByRole('link', { name: 'Browse all courses' }).click();
  await page.waitForURL(agora.url('/courses'));
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Courses');
  expectNoPageErrors(page);
  await page.context().close();

  // The same server-rendered documents, checked for accessibility (axe needs scripts on).
  for (const path of ['/', '/courses']) {
    const rendered = await openServerRendered(agora, path);
    await expectNoAxeViolations(rendered, `${path} (server-rendered, not hydrated)`);
    await rendered.context().close();
  }
});

test('/courses lists the published courses', async () => {
  const { res, html } = await fetchHtml('/courses');
  assert.equal(res.status, 200);
  for (const title of DEMO_COURSES) assert.ok(html.includes(title), `the HTML lists the course "${title}"`);

  const page = await agora.newPage();
  await gotoAndLoadWasm(page, agora.url('/courses'));
  await waitForHydration(page);
  assert.equal(await page.title(), 'Courses · Agora');
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Courses');
  assert.equal(
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Courses' }).getAttribute('aria-current'),
    'page',
  );
  const titles = await page.locator('main .card-title').allTextContents();
  assert.deepEqual([...titles].sort(), [...DEMO_COURSES].sort());
  // Each card says which language the course is taught in, and marks its text as such.
  const danish = page.locator('main article', { hasText: 'Digital dannelse i udskolingen' });
  assert.equal(await danish.getAttribute('lang'), 'da');
  assert.match(await danish.textContent(), /Aarhus Læreakademi/);
  assert.match(await danish.textContent(), /Language: Dansk/);
  await expectNoAxeViolations(page, '/courses');
  expectNoPageErrors(page);
  await page.context().close();
});

test('/organisations lists the organisations', async () => {
  const { res, html } = await fetchHtml('/organisations');
  assert.equal(res.status, 200);
  for (const name of DEMO_ORGANISATIONS) assert.ok(html.includes(name), `the HTML lists "${name}"`);

  const page = await agora.newPage();
  await gotoAndLoadWasm(page, agora.url('/organisations'));
  await waitForHydration(page);
  assert.equal(await page.title(), 'Organisations · Agora');
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Organisations');
  const names = await page.locator('main .card-title').allTextContents();
  assert.deepEqual([...names].sort(), [...DEMO_ORGANISATIONS].sort());
  await expectNoAxeViolations(page, '/organisations');
  expectNoPageErrors(page);
  await page.context().close();
});
