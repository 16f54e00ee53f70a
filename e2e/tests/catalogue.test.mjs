// The catalogue (S7, S16): a member of a demo organisation publishes a course listing
// through the form, using the keyboard, and it appears in the course catalogue; an
// anonymous visitor filters the catalogue by country and language. axe on every page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useAgora,
  expectNoAxeViolations,
  expectNoPageErrors,
  waitForHydration,
} from '../harness.mjs';

const agora = useAgora();

function inDays(n) {
  return new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
}

test('a member publishes a course listing with the keyboard; it is in the catalogue', async () => {
  const member = await agora.newPage();
  // Lars is an ordinary member of Aarhus Læreakademi in the demo.
  await agora.signIn(member, 'lars.moderator@aarhus-akademi.example');
  await agora.hydrated(member, '/organisations/aarhus-laereakademi');
  await expectNoAxeViolations(member, '/organisations/aarhus-laereakademi, member');
  await Promise.all([
    member.waitForURL('**/organisations/aarhus-laereakademi/listings/new'),
    member.click('a[href="/organisations/aarhus-laereakademi/listings/new"]'),
  ]);
  await waitForHydration(member);
  await expectNoAxeViolations(member, 'new listing: choose the kind');
  await Promise.all([member.waitForURL('**/listings/new?kind=course'), member.click('a[href$="?kind=course"]')]);
  await waitForHydration(member);
  await expectNoAxeViolations(member, 'new course listing');

  // Every field is reached with Tab, in order, and typed into from the keyboard.
  await member.focus('#f-title');
  await member.keyboard.type('Forest school for maths teachers');
  const reached = [];
  for (let i = 0; i < 60; i++) {
    await member.keyboard.press('Tab');
    const id = await member.evaluate(() => document.activeElement.id || `${document.activeElement.name}=${document.activeElement.value}`);
    reached.push(id);
    if (id === 'f-summary') await member.keyboard.type('Maths lessons among the trees.');
    if (id === 'f-place') await member.keyboard.type('Silkeborg');
    if (id === 'publish=1') break;
  }
  for (const id of ['f-summary', 'f-description', 'f-fee', 'f-language', 'f-country', 'f-mode', 'f-place', 'f-starts_on', 'f-subjects-mathematics', 'publish=1']) {
    assert.ok(reached.includes(id), `${id} is reached with Tab (${reached.join(', ')})`);
  }
  await member.selectOption('#f-language', 'da');
  await member.selectOption('#f-country', 'DK');
  await member.fill('#f-starts_on', inDays(40));
  await member.fill('#f-ends_on', inDays(42));
  await member.check('#f-subjects-mathematics');
  await member.focus('button[name=publish][value="1"]');
  await Promise.all([member.waitForURL('**/catalogue/forest-school-for-maths-teachers?status=published'), member.keyboard.press('Enter')]);
  await waitForHydration(member);
  assert.match(await member.textContent('main h1'), /Forest school for maths teachers/);
  assert.match(await member.textContent('main'), /Silkeborg/);
  await expectNoAxeViolations(member, 'the new listing');

  const visitor = await agora.newPage();
  await agora.hydrated(visitor, '/catalogue/courses');
  assert.match(await visitor.textContent('main'), /Forest school for maths teachers/);
  await expectNoAxeViolations(visitor, '/catalogue/courses');
  await agora.hydrated(visitor, '/catalogue/forest-school-for-maths-teachers');
  await expectNoAxeViolations(visitor, 'the listing, anonymous');

  for (const p of [member, visitor]) {
    expectNoPageErrors(p, { allow: [/status of 422/] });
    await p.context().close();
  }
});

test('an anonymous visitor filters the catalogue by country and language', async () => {
  const visitor = await agora.newPage();
  await agora.hydrated(visitor, '/catalogue');
  await expectNoAxeViolations(visitor, '/catalogue');
  await Promise.all([visitor.waitForURL('**/catalogue/courses'), visitor.click('main a[href="/catalogue/courses"]')]);
  await waitForHydration(visitor);
  const before = await visitor.textContent('main');
  assert.match(before, /Svenska som andraspråk i praktiken/);
  assert.match(before, /Digital citizenship in the classroom/);
  assert.doesNotMatch(before, /Draft: science club/, 'drafts are not public');
  assert.doesNotMatch(before, /Winter course on reading/, 'expired listings leave the catalogue');

  await visitor.selectOption('#filter-country', 'DK');
  await visitor.selectOption('#filter-language', 'en');
  await Promise.all([
    visitor.waitForURL((u) => u.searchParams.get('country') === 'DK' && u.searchParams.get('language') === 'en'),
    visitor.click('main form.filters button[type=submit]'),
  ]);
  await waitForHydration(visitor);
  const cards = await visitor.locator('.listing-cards .card-title').allTextContents();
  assert.deepEqual(cards.sort(), ['Formative assessment online workshop', 'Outdoor mathematics for primary teachers']);
  assert.match(await visitor.textContent('.result-count'), /2 listings found/);
  assert.equal(await visitor.inputValue('#filter-country'), 'DK', 'the filters stay chosen');
  await expectNoAxeViolations(visitor, '/catalogue/courses filtered');

  for (const kind of ['mobility', 'partnerships']) {
    await agora.hydrated(visitor, `/catalogue/${kind}`);
    await expectNoAxeViolations(visitor, `/catalogue/${kind}`);
  }
  expectNoPageErrors(visitor);
  await visitor.context().close();
});
