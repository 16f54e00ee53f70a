// Organisations (S2, S16): a user creates an organisation, another asks to join, the admin
// approves and the new member appears on the public page. Every page is checked with axe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useAgora,
  expectNoAxeViolations,
  expectNoPageErrors,
  gotoAndLoadWasm,
  waitForHydration,
} from '../harness.mjs';

const agora = useAgora();
const DEMO_PASSWORD = 'agora-demo-2026';

async function hydrated(page, path) {
  await gotoAndLoadWasm(page, agora.url(path));
  await waitForHydration(page);
}

async function signIn(page, email) {
  await hydrated(page, '/sign-in');
  await page.fill('#f-email', email);
  await page.fill('#f-password', DEMO_PASSWORD);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/sign-in')), page.click('main form button[type=submit]')]);
}

test('create an organisation, ask to join, approve', async () => {
  const admin = await agora.newPage();
  await signIn(admin, 'karen.nielsen@aarhus-akademi.example');
  await hydrated(admin, '/organisations');
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
  await signIn(member, 'sofia.andersson@skola.example');
  await hydrated(member, '/organisations/strandskolen-test');
  const main = await member.textContent('main article');
  assert.doesNotMatch(main, /@/, 'no e-mail addresses on the public page');
  await Promise.all([
    member.waitForURL('**/organisations/strandskolen-test?status=requested'),
    member.getByRole('button', { name: 'Ask to join' }).click(),
  ]);
  await waitForHydration(member);
  assert.match(await member.textContent('main'), /You have asked to join/);

  await hydrated(admin, '/organisations/strandskolen-test/edit');
  await expectNoAxeViolations(admin, '/organisations/strandskolen-test/edit');
  await Promise.all([
    admin.waitForURL('**/organisations/strandskolen-test/edit?status=approved'),
    admin.getByRole('button', { name: 'Approve' }).click(),
  ]);

  const visitor = await agora.newPage();
  await hydrated(visitor, '/organisations/strandskolen-test');
  const members = await visitor.textContent('#members-heading + ul');
  assert.match(members, /Sofia Andersson/);
  assert.match(members, /Karen Nielsen/);
  assert.doesNotMatch(await visitor.textContent('main'), /kontor@/, 'T8: school fields are not public');
  await expectNoAxeViolations(visitor, '/organisations/strandskolen-test, anonymous');

  for (const p of [admin, member, visitor]) {
    expectNoPageErrors(p, { allow: [/status of 422/] });
    await p.context().close();
  }
});
