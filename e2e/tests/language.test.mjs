// Journey 3: the interface language. The switcher's links set a cookie and come back to the
// same page; the choice is remembered; without a choice the browser's Accept-Language wins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useAgora, expectNoAxeViolations, expectNoPageErrors } from '../harness.mjs';

const agora = useAgora();

/** Clicks a language in the switcher and waits for the page to come back in it. */
async function switchTo(page, name, code) {
  const switcher = page.getByRole('list', { name: /^(Language|Sprog|Språk)$/ });
  const link = switcher.getByRole('link', { name, exact: true });
  assert.equal(await link.getAttribute('hreflang'), code);
  const redirect = page.waitForResponse((r) => new URL(r.url()).pathname === `/lang/${code}`);
  await link.click();
  const res = await redirect;
  assert.equal(res.status(), 303, `GET /lang/${code} redirects back`);
  await page.locator(`html[lang="${code}"]`).waitFor({ state: 'attached' });
  await page.waitForLoadState('load');
}

async function mainNavLinks(page, label) {
  return page.getByRole('navigation', { name: label }).getByRole('list').first().getByRole('link').allTextContents();
}

test('the language switcher changes the interface language and remembers it', async () => {
  const page = await agora.newPage({ locale: 'en-GB' });
  await page.goto(agora.url('/courses'));
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.deepEqual(await mainNavLinks(page, 'Main navigation'), ['Home', 'Courses', 'Catalogue', 'Organisations']);
  assert.equal(
    await page.getByRole('link', { name: 'English', exact: true }).getAttribute('aria-current'),
    'true',
    'the current language is marked',
  );
  await expectNoAxeViolations(page, '/courses (English)');

  // Danish, back on the same page.
  await switchTo(page, 'Dansk', 'da');
  assert.equal(new URL(page.url()).pathname, '/courses');
  assert.equal(await page.locator('html').getAttribute('lang'), 'da');
  assert.deepEqual(await mainNavLinks(page, 'Hovednavigation'), ['Forside', 'Kurser', 'Katalog', 'Organisationer']);
  assert.equal(await page.locator('a.skip-link').textContent(), 'Gå til hovedindhold');
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Kurser');
  assert.equal(await page.title(), 'Kurser · Agora');
  assert.equal(await page.getByRole('link', { name: 'Dansk', exact: true }).getAttribute('aria-current'), 'true');
  assert.equal(await page.getByRole('link', { name: 'English', exact: true }).getAttribute('aria-current'), null);
  // Each language's name is written, and marked, in that language.
  assert.equal(await page.getByRole('link', { name: 'Svenska', exact: true }).getAttribute('lang'), 'sv');
  let cookies = await page.context().cookies();
  assert.equal(cookies.find((c) => c.name === 'agora_lang')?.value, 'da');
  await expectNoAxeViolations(page, '/courses (Danish)');

  // Swedish.
  await switchTo(page, 'Svenska', 'sv');
  assert.equal(new URL(page.url()).pathname, '/courses');
  assert.equal(await page.locator('html').getAttribute('lang'), 'sv');
  assert.equal(await page.getByRole('link', { name: 'Startsida', exact: true }).count(), 2, 'header and footer say Startsida');
  assert.equal(await page.locator('a.skip-link').textContent(), 'Gå till huvudinnehållet');
  await expectNoAxeViolations(page, '/courses (Swedish)');

  // Remembered across a reload, and on other pages.
  await page.reload();
  assert.equal(await page.locator('html').getAttribute('lang'), 'sv');
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Kurser');
  await page.goto(agora.url('/'));
  assert.equal(await page.locator('html').getAttribute('lang'), 'sv');
  assert.ok(await page.getByRole('link', { name: 'Startsida', exact: true }).first().isVisible());
  await expectNoAxeViolations(page, '/ (Swedish)');
  cookies = await page.context().cookies();
  const cookie = cookies.find((c) => c.name === 'agora_lang');
  assert.equal(cookie?.value, 'sv');
  assert.equal(cookie.path, '/');
  assert.equal(cookie.sameSite, 'Lax');
  assert.ok(cookie.expires > Date.now() / 1000 + 300 * 24 * 3600, 'the choice is kept for about a year');

  // And back to English.
  await switchTo(page, 'English', 'en');
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Learn with teachers across Europe');
  await expectNoAxeViolations(page, '/ (English again)');
  expectNoPageErrors(page);
  await page.context().close();
});

test("without a choice the browser's Accept-Language picks the language", async () => {
  const page = await agora.newPage({ locale: 'da-DK' });
  const request = page.waitForRequest((r) => r.resourceType() === 'document');
  await page.goto(agora.url('/'));
  assert.match((await request).headers()['accept-language'] ?? '', /^da/);
  assert.deepEqual(await page.context().cookies(), [], 'no cookie involved');
  assert.equal(await page.locator('html').getAttribute('lang'), 'da');
  assert.equal(await page.locator('a.skip-link').textContent(), 'Gå til hovedindhold');
  assert.ok(await page.getByRole('link', { name: 'Kurser', exact: true }).first().isVisible());
  await expectNoAxeViolations(page, '/ (Danish from Accept-Language)');
  expectNoPageErrors(page);
  await page.context().close();

  // Swedish too, and a language Agora does not have falls back to English.
  const sv = await fetch(agora.url('/'), { headers: { 'accept-language': 'sv-SE,sv;q=0.9,en;q=0.5' } });
  assert.match(await sv.text(), /<html lang="sv"/);
  const de = await fetch(agora.url('/'), { headers: { 'accept-language': 'de-DE,de;q=0.9' } });
  assert.match(await de.text(), /<html lang="en"/);
  // The cookie beats Accept-Language.
  const chosen = await fetch(agora.url('/'), { headers: { 'accept-language': 'da', cookie: 'agora_lang=sv' } });
  assert.match(await chosen.text(), /<html lang="sv"/);
});

test('the language links only redirect within the site', async () => {
  const res = await fetch(agora.url('/lang/da?next=//evil.example/'), { redirect: 'manual' });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/');
  assert.match(res.headers.get('set-cookie') ?? '', /^agora_lang=da;/);
  const unknown = await fetch(agora.url('/lang/xx?next=/'), { redirect: 'manual' });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.headers.get('set-cookie'), null);
});
