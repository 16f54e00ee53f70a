// Accounts (S1, S17, S22): register → confirm by the link in the outbox → sign in → edit the
// profile → sign out; another user sees the profile without the e-mail address; an anonymous
// visitor asking for a profile is sent to sign in and comes back; errors show next to their
// field. Every page visited is checked with axe-core.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import {
  useAgora,
  expectNoAxeViolations,
  expectNoPageErrors,
  gotoAndLoadWasm,
  openServerRendered,
  pollUntil,
  waitForHydration,
  DEMO_PASSWORD,
} from '../harness.mjs';

const agora = useAgora();

/** The path of the newest link to `prefix` in mail sent to `to` (the server's outbox). */
function linkInOutbox(to, prefix) {
  const dir = join(agora.server.dataDir, 'outbox');
  const mails = readdirSync(dir)
    .filter((f) => f.endsWith('.eml'))
    .sort()
    .reverse()
    .map((f) => readFileSync(join(dir, f), 'utf8'));
  for (const mail of mails) {
    if (!mail.includes(`To: ${to}`)) continue;
    const match = mail.match(new RegExp(`https?://[^\\s]+(${prefix}[A-Za-z0-9_-]+)`));
    if (match) return match[1];
  }
  throw new Error(`no ${prefix} link in mail to ${to}`);
}

/** A small valid PNG (4×4, one colour), built here so the test needs no fixture file. */
function tinyPng() {
  const table = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = table[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(4, 0);
  ihdr.writeUInt32BE(4, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const raw = Buffer.alloc(4 * 13);
  for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) raw.set([29, 78, 137], y * 13 + 1 + x * 3);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

test('register, confirm, sign in, edit the profile and sign out', async () => {
  const page = await agora.newPage();
  await agora.hydrated(page, '/register');
  await expectNoAxeViolations(page, '/register');

  await page.fill('#f-first_name', 'Ada');
  await page.fill('#f-last_name', 'Lovelace');
  await page.fill('#f-email', 'ada@skole.example');
  await page.fill('#f-password', 'short');
  await page.selectOption('#f-user_type', 'teacher');
  await page.selectOption('#f-country', 'DK');
  await page.click('main form button[type=submit]');

  // The server's answer appears next to the field, in English, and the form keeps its values.
  const error = page.locator('#f-password-error');
  await pollUntil(async () => (await error.textContent()).includes('at least 10 characters'), {
    message: 'the password error is shown next to the field',
  });
  assert.equal(await page.getAttribute('#f-password', 'aria-invalid'), 'true');
  assert.match(await page.getAttribute('#f-password', 'aria-describedby'), /f-password-error/);
  assert.equal(await page.inputValue('#f-first_name'), 'Ada');
  await expectNoAxeViolations(page, '/register with an error');

  await page.fill('#f-password', 'lilac tundra 47 kettle');
  await Promise.all([page.waitForURL('**/register/sent'), page.click('main form button[type=submit]')]);
  await expectNoAxeViolations(page, '/register/sent');

  await page.goto(agora.url(linkInOutbox('ada@skole.example', '/verify-email/')));
  assert.match(await page.textContent('main h1'), /confirmed/);
  await expectNoAxeViolations(page, '/verify-email');

  await agora.signIn(page, 'ada@skole.example', 'lilac tundra 47 kettle');
  const menu = page.locator('.account-menu');
  assert.match(await menu.textContent(), /Ada Lovelace/);

  await agora.hydrated(page, '/settings/profile');
  await expectNoAxeViolations(page, '/settings/profile');
  await page.fill('#f-role_at_school', 'Mathematics teacher');
  await page.check('#f-subjects-mathematics');
  await page.check('#f-languages-da');
  await page.fill('#f-description', 'I teach maths in Aarhus.');
  await Promise.all([page.waitForURL('**/settings/profile?status=saved'), page.click('main form button[type=submit]')]);
  assert.match(await page.textContent('[role=status]'), /saved/);
  assert.equal(await page.inputValue('#f-role_at_school'), 'Mathematics teacher');
  assert.ok(await page.isChecked('#f-subjects-mathematics'));

  // The profile photo, from the settings page's link.
  await agora.hydrated(page, '/settings');
  await expectNoAxeViolations(page, '/settings');
  await Promise.all([page.waitForURL('**/settings/photo'), page.click('a[href="/settings/photo"]')]);
  await waitForHydration(page);
  await page.locator('#photo-file').setInputFiles({ name: 'ada.png', mimeType: 'image/png', buffer: tinyPng() });
  const uploaded = page.waitForResponse((r) => new URL(r.url()).pathname === '/settings/photo/upload');
  await page.getByRole('button', { name: 'Upload photo' }).click();
  assert.equal((await uploaded).status(), 200);
  const profileHref = await page.locator('.account-menu a[href^="/people/"]').getAttribute('href');
  await agora.hydrated(page, profileHref);
  const photo = page.locator('main .profile-head img');
  assert.match(await photo.getAttribute('src'), /\/media\/photos\/\d+\/full/);
  assert.ok(await photo.evaluate((img) => img.complete && img.naturalWidth > 0), 'the photo loads');
  await expectNoAxeViolations(page, `${profileHref} with a photo`);

  await agora.hydrated(page, '/settings');

  await Promise.all([page.waitForURL(agora.url('/')), page.click('.account-menu button[type=submit]')]);
  assert.match(await page.locator('.account-menu').textContent(), /Sign in/);
  // The refused registration answered 422, which Chromium logs; nothing else may appear.
  expectNoPageErrors(page, { allow: [/status of 422/] });
  await page.context().close();
});

test('another user sees the profile without the e-mail address', async () => {
  const page = await agora.newPage();
  await agora.signIn(page, 'karen.nielsen@aarhus-akademi.example', DEMO_PASSWORD);
  const href = await page.locator('.account-menu a[href^="/people/"]').getAttribute('href');
  await page.context().close();

  const other = await agora.newPage();
  await agora.signIn(other, 'sofia.andersson@skola.example', DEMO_PASSWORD);
  await agora.hydrated(other, href);
  assert.match(await other.textContent('main h1'), /Karen Nielsen/);
  const main = await other.textContent('main');
  assert.doesNotMatch(main, /@/, 'S17: no e-mail address on a profile');
  assert.match(main, /Aarhus Læreakademi/, 'the organisations of the user');
  await expectNoAxeViolations(other, href);
  expectNoPageErrors(other);
  await other.context().close();
});

test('an anonymous visitor asking for a profile signs in first and comes back', async () => {
  const page = await agora.newPage();
  await gotoAndLoadWasm(page, agora.url('/people/1'));
  const url = new URL(page.url());
  assert.equal(url.pathname, '/sign-in');
  assert.equal(url.searchParams.get('next'), '/people/1');
  await expectNoAxeViolations(page, '/sign-in?next=/people/1');
  await waitForHydration(page);
  await page.fill('#f-email', 'johan.berg@skolverkstaden.example');
  await page.fill('#f-password', DEMO_PASSWORD);
  await Promise.all([page.waitForURL('**/people/1'), page.click('main form button[type=submit]')]);
  assert.match(await page.textContent('main h1'), /Platform|Admin|\w+ \w+/);
  await page.context().close();
});

test('without JavaScript: a wrong password is reported on the sign-in page, in Danish', async () => {
  const page = await openServerRendered(agora, '/sign-in', { locale: 'da-DK' });
  await page.fill('#f-email', 'karen.nielsen@aarhus-akademi.example');
  await page.fill('#f-password', 'not the password');
  await Promise.all([page.waitForURL('**/sign-in?**'), page.click('main form button[type=submit]')]);
  assert.match(await page.textContent('[role=alert]'), /E-mailadressen eller adgangskoden er forkert/);
  await expectNoAxeViolations(page, '/sign-in with an error, no JavaScript');

  await page.fill('#f-email', 'karen.nielsen@aarhus-akademi.example');
  await page.fill('#f-password', DEMO_PASSWORD);
  await Promise.all([page.waitForURL(agora.url('/')), page.click('main form button[type=submit]')]);
  assert.match(await page.locator('.account-menu').textContent(), /Karen Nielsen/);
  await page.context().close();
});

test('the admin user list is accessible and finds users', async () => {
  const page = await agora.newPage();
  await agora.signIn(page, 'admin@agora.example', DEMO_PASSWORD);
  await agora.hydrated(page, '/admin/users?q=nielsen');
  assert.match(await page.textContent('main'), /karen\.nielsen@aarhus-akademi\.example/);
  await expectNoAxeViolations(page, '/admin/users');
  expectNoPageErrors(page);
  await page.context().close();
});

test('a forgotten password is reset by the link in the mail, in Swedish', async () => {
  const page = await agora.newPage({ locale: 'sv-SE' });
  await agora.hydrated(page, '/sign-in');
  await Promise.all([page.waitForURL('**/forgot-password'), page.click('a[href="/forgot-password"]')]);
  await waitForHydration(page);
  await expectNoAxeViolations(page, '/forgot-password');
  await page.fill('#f-email', 'johan.berg@skolverkstaden.example');
  await Promise.all([page.waitForURL('**/forgot-password?status=sent'), page.click('main form button[type=submit]')]);
  assert.match(await page.textContent('[role=status]'), /skickat en länk/);

  await agora.hydrated(page, linkInOutbox('johan.berg@skolverkstaden.example', '/reset-password/'));
  await expectNoAxeViolations(page, '/reset-password');
  // Too short: the policy's message next to the field, in Swedish; the link still works.
  await page.fill('#f-password', 'kort');
  await page.click('main form button[type=submit]');
  await pollUntil(async () => (await page.textContent('#f-password-error')).includes('minst 10 tecken'), {
    message: 'the password error is shown next to the field',
  });
  await page.fill('#f-password', 'quiet harbour 81 violin');
  await Promise.all([page.waitForURL('**/sign-in?status=password-reset'), page.click('main form button[type=submit]')]);
  assert.match(await page.textContent('[role=status]'), /lösenord har ändrats/);
  await expectNoAxeViolations(page, '/sign-in after a reset');

  await waitForHydration(page);
  await page.fill('#f-email', 'johan.berg@skolverkstaden.example');
  await page.fill('#f-password', 'quiet harbour 81 violin');
  await Promise.all([page.waitForURL(agora.url('/')), page.click('main form button[type=submit]')]);
  assert.match(await page.locator('.account-menu').textContent(), /Johan Berg/);
  expectNoPageErrors(page, { allow: [/status of 422/] });
  await page.context().close();
});
