// Organisations (S2, S7, S16): a user creates an organisation, another asks to join, the
// admin approves and the new member appears on the public page; the member publishes a
// course listing, a third user reviews it, and the organisation page shows the average.
// Every page is checked with axe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useAgora,
  expectNoAxeViolations,
  expectNoPageErrors,
  waitForHydration,
} from '../harness.mjs';

const agora = useAgora();

test('create an organisation, ask to join, approve, publish a course listing', async () => {
  const admin = await agora.newPage();
  await agora.signIn(admin, 'karen.nielsen@aarhus-akademi.example');
  await agora.hydrated(admin, '/organisations');
  await Promise.all([admin.waitForURL('**/organisations/new'), admin.click('a[href="/organisations/new"]')]);
  await waitForHydration(admin);
  await expectNoAxeViolations(admin, '/organisations/new');

  await admin.fill('#f-name', 'Strandskolen Test');
  await admin.selectOption('#f-org_type', 'school');
  await admin.fill('#f-address', 'Strandvejen 4');
  await admin.fill('#f-postcode', '8000');
  await admin.fill('#f-city', 'Aarhus');
  await admin.selectOption('#f-country', 'DK');
  await admin.fill('#f-pic', '12345');
  await admin.fill('#f-official_email', 'kontor@strandskolen.example');
  await admin.click('main form button[type=submit]');
  // The PIC error appears next to its field and the values stay.
  const picError = admin.locator('#f-pic-error');
  await admin.waitForFunction(() => document.querySelector('#f-pic-error')?.textContent.includes('nine digits'));
  assert.match(await picError.textContent(), /nine digits/);
  assert.equal(await admin.getAttribute('#f-pic', 'aria-invalid'), 'true');
  assert.equal(await admin.inputValue('#f-name'), 'Strandskolen Test');
  await expectNoAxeViolations(admin, '/organisations/new with an error');

  await admin.fill('#f-pic', '555666777');
  await Promise.all([admin.waitForURL('**/organisations/strandskolen-test?status=created'), admin.click('main form button[type=submit]')]);
  await waitForHydration(admin);
  assert.match(await admin.textContent('main h1'), /Strandskolen Test/);
  assert.match(await admin.textContent('main'), /Karen Nielsen/);
  await expectNoAxeViolations(admin, '/organisations/strandskolen-test');

  const member = await agora.newPage();
  await agora.signIn(member, 'sofia.andersson@skola.example');
  await agora.hydrated(member, '/organisations/strandskolen-test');
  const main = await member.textContent('main article');
  assert.doesNotMatch(main, /@/, 'no e-mail addresses on the public page');
  await Promise.all([
    member.waitForURL('**/organisations/strandskolen-test?status=requested'),
    member.getByRole('button', { name: 'Ask to join' }).click(),
  ]);
  await waitForHydration(member);
  assert.match(await member.textContent('main'), /You have asked to join/);

  await agora.hydrated(admin, '/organisations/strandskolen-test/edit');
  await expectNoAxeViolations(admin, '/organisations/strandskolen-test/edit');
  await Promise.all([
    admin.waitForURL('**/organisations/strandskolen-test/edit?status=approved'),
    admin.getByRole('button', { name: 'Approve' }).click(),
  ]);

  const visitor = await agora.newPage();
  await agora.hydrated(visitor, '/organisations/strandskolen-test');
  const members = await visitor.textContent('#members-heading + ul');
  assert.match(members, /Sofia Andersson/);
  assert.match(members, /Karen Nielsen/);
  assert.doesNotMatch(await visitor.textContent('main'), /kontor@/, 'T8: school fields are not public');
  await expectNoAxeViolations(visitor, '/organisations/strandskolen-test, anonymous');

  // S7: the new member publishes a course listing on behalf of the organisation.
  await agora.hydrated(member, '/organisations/strandskolen-test/listings/new?kind=course');
  await member.fill('#f-title', 'Beach science for primary teachers');
  await member.fill('#f-summary', 'Tides, sand and simple experiments.');
  await member.selectOption('#f-language', 'da');
  await member.selectOption('#f-country', 'DK');
  await member.selectOption('#f-mode', 'onsite');
  await member.fill('#f-place', 'Aarhus');
  const day = (n) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
  await member.fill('#f-starts_on', day(30));
  await member.fill('#f-ends_on', day(31));
  await Promise.all([
    member.waitForURL('**/catalogue/beach-science-for-primary-teachers?status=published'),
    member.click('button[name=publish][value="1"]'),
  ]);
  await waitForHydration(member);
  assert.match(await member.textContent('main'), /You cannot review your own organisation's course/, 'members do not review their own course');

  for (const p of [admin, member, visitor]) {
    expectNoPageErrors(p, { allow: [/status of 422/] });
    await p.context().close();
  }
});

// S7, S16: continues the journey above on the same server.
test('a third user reviews the course; the organisation page shows the average', async () => {
  const visitor = await agora.newPage();
  // A third user reviews it (S7, S18): four stars.
  const reviewer = await agora.newPage();
  await agora.signIn(reviewer, 'johan.berg@skolverkstaden.example');
  await agora.hydrated(reviewer, '/catalogue/beach-science-for-primary-teachers');
  await expectNoAxeViolations(reviewer, 'course listing with the review form');
  await reviewer.click('label[for=review-stars-4]');
  await reviewer.fill('#review-body', 'Practical and **well organised**.');
  await Promise.all([
    reviewer.waitForURL((u) => u.searchParams.get('review_status') === 'saved'),
    reviewer.click('.review-form button[type=submit]'),
  ]);
  await waitForHydration(reviewer);
  assert.match(await reviewer.textContent('#reviews-rating'), /Rated 4(\.0)? out of 5 from 1 review/);
  assert.match(await reviewer.innerHTML('#reviews'), /<strong>well organised<\/strong>/);
  await expectNoAxeViolations(reviewer, 'course listing after the review');

  // S16: the organisation page shows the new average and the review.
  await agora.hydrated(visitor, '/organisations/strandskolen-test');
  assert.match(await visitor.textContent('#org-rating'), /Rated 4(\.0)? out of 5 from 1 review/);
  assert.match(await visitor.textContent('main'), /Beach science for primary teachers/);
  assert.match(await visitor.textContent('main'), /Practical and well organised/);
  await expectNoAxeViolations(visitor, '/organisations/strandskolen-test with a rating');

  for (const p of [visitor, reviewer]) {
    expectNoPageErrors(p, { allow: [/status of 422/] });
    await p.context().close();
  }
});
