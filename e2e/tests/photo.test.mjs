// Journey 7: a profile photo. A demo teacher signs in, uploads a photo on /settings/photo
// and sees the upload's progress bar and then the new photo; without JavaScript the same form
// posts and comes back with the result. Every state of the page is checked with axe-core.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import {
  useAgora,
  expectNoAxeViolations,
  expectNoPageErrors,
  gotoAndLoadWasm,
  openServerRendered,
  pollUntil,
  waitForHydration,
} from '../harness.mjs';

const agora = useAgora();

/** A demo account (server/src/seed.rs; every demo account has this password). */
const SOFIA = { email: 'sofia.andersson@skola.example', password: 'agora-demo-2026' };

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
/**
 * An RGB PNG of `w`×`h` pixels. Noise barely compresses, so the file is large enough (about
 * 3 bytes a pixel) for the upload to take a moment under the throttled network below.
 */
function noisyPng(w, h) {
  const raw = Buffer.alloc((w * 3 + 1) * h);
  let seed = 42;
  for (let y = 0; y < h; y++) {
    raw[y * (w * 3 + 1)] = 0; // filter: none
    for (let i = 1; i <= w * 3; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      raw[y * (w * 3 + 1) + i] = (seed >>> 16) & 0xff;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 0 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const PHOTO = noisyPng(640, 480);

/** Signs in through the sign-in page's form (`/sign-in`, fields `email` and `password`). */
async function signIn(page) {
  await page.goto(agora.url('/sign-in?next=/settings/photo'));
  await page.locator('input[name=email]').fill(SOFIA.email);
  await page.locator('input[name=password]').fill(SOFIA.password);
  await Promise.all([
    page.waitForURL((url) => url.pathname !== '/sign-in'),
    page.locator('form button[type=submit]').first().click(),
  ]);
  const cookies = await page.context().cookies();
  assert.ok(
    cookies.some((c) => c.name === 'agora_session'),
    'signing in sets the session cookie',
  );
}

/**
 * The browser state of one signed-in session, made once and shared by the tests below (a
 * top-level hook could run before the harness has started the browser).
 */
let signedIn;
function signedInState() {
  signedIn ??= (async () => {
    const page = await agora.newPage();
    await signIn(page);
    const state = await page.context().storageState();
    await page.context().close();
    return state;
  })();
  return signedIn;
}

test('anonymous visitors of /settings/photo are sent to sign in', async () => {
  const page = await agora.newPage();
  await page.goto(agora.url('/settings/photo'));
  const url = new URL(page.url());
  assert.equal(url.pathname, '/sign-in');
  assert.equal(url.searchParams.get('next'), '/settings/photo');
  await page.context().close();
});

test('after hydration an upload shows its progress and then the new photo', async () => {
  const page = await agora.newPage({ storageState: await signedInState() });
  await gotoAndLoadWasm(page, agora.url('/settings/photo'));
  await waitForHydration(page);
  assert.equal(await page.locator('h1').textContent(), 'Profile photo');
  await expectNoAxeViolations(page, '/settings/photo (hydrated, no photo yet)');

  // A slow uplink, so the progress bar is there long enough to be seen.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 20,
    downloadThroughput: -1,
    uploadThroughput: 256 * 1024,
  });

  await page.locator('#photo-file').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: PHOTO });
  // Keyboard only: focus the upload button and press Enter.
  const button = page.getByRole('button', { name: 'Upload photo' });
  await button.focus();
  const uploaded = page.waitForResponse((r) => new URL(r.url()).pathname === '/settings/photo/upload');
  await page.keyboard.press('Enter');

  const progress = page.getByRole('progressbar', { name: 'Uploading photo' });
  const seen = await pollUntil(
    async () => {
      if (!(await progress.isVisible())) return false;
      const value = Number(await progress.getAttribute('value'));
      return value > 0 && value < 100 ? value : false;
    },
    { interval: 50, message: 'the progress bar never showed a value between 0 and 100' },
  );
  assert.ok(seen > 0, `progress ${seen}`);
  assert.equal(await button.isDisabled(), true, 'no second upload while one is under way');
  await expectNoAxeViolations(page, '/settings/photo (uploading)');

  const response = await uploaded;
  assert.equal(response.status(), 200);
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: -1,
  });

  await pollUntil(async () => (await page.getByRole('status').textContent()) === 'Your new photo has been saved.', {
    message: 'no confirmation after the upload',
  });
  assert.equal(await progress.isVisible(), false, 'the progress bar goes away');
  assert.equal(new URL(page.url()).pathname, '/settings/photo', 'the page was not reloaded');
  const photo = page.getByRole('img', { name: 'Photo of Sofia Andersson' });
  await pollUntil(
    async () => (await photo.getAttribute('src'))?.startsWith('/media/photos/') && (await photo.evaluate((img) => img.complete && img.naturalWidth > 0)),
    { message: 'the new photo did not appear' },
  );
  // Re-encoded and bounded: 640×480 becomes 512×384.
  assert.deepEqual(await photo.evaluate((img) => [img.naturalWidth, img.naturalHeight]), [512, 384]);
  await pollUntil(async () => (await page.getByRole('button', { name: 'Remove photo' }).count()) === 1, {
    message: 'no remove button after the upload',
  });
  await expectNoAxeViolations(page, '/settings/photo (uploaded)');

  // A file that is not a photo gets a translated error next to the field.
  await page.locator('#photo-file').setInputFiles({
    name: 'notes.jpg',
    mimeType: 'image/jpeg',
    buffer: Buffer.from('<!DOCTYPE html><p>not a photo</p>'),
  });
  await button.click();
  await pollUntil(async () => (await page.locator('#photo-error').textContent()) === 'This file is not a JPEG, PNG or WebP image.', {
    message: 'no error next to the field',
  });
  assert.equal(await page.locator('#photo-file').getAttribute('aria-invalid'), 'true');
  await expectNoAxeViolations(page, '/settings/photo (error)');
  expectNoPageErrors(page, { allow: [/415/, /Unsupported Media Type/] });
  await page.context().close();
});

test('without JavaScript the form posts and the page shows the result', async () => {
  const page = await openServerRendered(agora, '/settings/photo', { storageState: await signedInState() });
  await page.locator('#photo-file').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: noisyPng(200, 300) });
  await Promise.all([
    page.waitForURL((url) => url.searchParams.get('status') === 'uploaded'),
    page.getByRole('button', { name: 'Upload photo' }).click(),
  ]);
  assert.equal(await page.getByRole('status').textContent(), 'Your new photo has been saved.');
  const photo = page.getByRole('img', { name: 'Photo of Sofia Andersson' });
  const size = await pollUntil(
    () => photo.evaluate((img) => (img.complete && img.naturalWidth > 0 ? [img.naturalWidth, img.naturalHeight] : null)),
    { message: 'the new photo did not load' },
  );
  assert.deepEqual(size, [200, 300]);
  await expectNoAxeViolations(page, '/settings/photo?status=uploaded (server-rendered)');

  await Promise.all([
    page.waitForURL((url) => url.searchParams.get('status') === 'removed'),
    page.getByRole('button', { name: 'Remove photo' }).click(),
  ]);
  assert.equal(await page.getByRole('status').textContent(), 'Your photo has been removed.');
  assert.equal(await page.getByRole('img', { name: 'Photo of Sofia Andersson' }).textContent(), 'SA');
  await expectNoAxeViolations(page, '/settings/photo?status=removed (server-rendered)');
  await page.context().close();
});
