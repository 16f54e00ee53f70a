// Course files, the course image and embeds (issue 7; S5, S19). A demo teacher gives her
// course an image, tries to upload a program named like a picture (refused, with the
// reason), uploads a picture for a lesson, pastes its Markdown into one lesson and an
// `::embed` line for the school's own tool (on the allow-list) into the next; an enrolled
// learner sees the picture and the sandboxed frame under the page's real
// Content-Security-Policy, which must not refuse it; a signed-in outsider and an anonymous
// visitor get 404 for the file's address. The editor pages and the lesson with the picture
// are checked with axe. (YouTube's address rewriting is tested in
// server/tests/it/course_files.rs: here a real player would need the network.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import {
  useAgora,
  expectNoAxeViolations,
  expectNoPageErrors,
  clickAndFollow,
} from '../harness.mjs';

// A tool of the school's own, besides the providers: an address that resolves nowhere
// (`.invalid`), so the frame fails the same way with or without a network.
const TOOL = 'https://tool.agora-test.invalid';
const agora = useAgora({ env: { AGORA_EMBED_PROVIDERS: `youtube,vimeo,${TOOL}` } });
// server/src/seed.rs: Claire teaches this course; Sofia is enrolled in its run; Johan is not.
const COURSE = 'formative-assessment-in-practice';

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
/** An RGB PNG of `w`×`h` pixels in two colours. */
function png(w, h) {
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * (w * 3 + 1) + 1 + x * 3;
      raw[i] = x < w / 2 ? 200 : 30;
      raw[i + 1] = 120;
      raw[i + 2] = 60;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
/** The start of a Windows program. */
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.from([0x90, 0, 3, 0, 0, 0, 4, 0]), Buffer.from('This program cannot be run in DOS mode')]);

/** Whether the image loads and has pixels (scrolled into view: lesson images load lazily). */
async function loaded(page, selector) {
  await page.locator(selector).scrollIntoViewIfNeeded();
  try {
    await page.waitForFunction((s) => {
      const img = document.querySelector(s);
      return img && img.complete && img.naturalWidth > 0;
    }, selector, { timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

test('course image, a refused program, a lesson picture and an embedded tool, seen only by learners and staff', async () => {
  const teacher = await agora.newPage();
  await agora.signIn(teacher, 'claire.dubois@eti.example');
  await agora.hydrated(teacher, `/courses/${COURSE}/edit`);

  // The course image.
  await teacher.setInputFiles('#course-image-file', { name: 'cover.png', mimeType: 'image/png', buffer: png(800, 400) });
  await clickAndFollow(teacher, teacher.getByRole('button', { name: 'Upload image' }), /status=image-uploaded/);
  assert.ok(await loaded(teacher, '#image img.course-image'), 'the new course image shows');
  await expectNoAxeViolations(teacher, '/courses/…/edit with an image');

  // The first lesson's editor.
  await clickAndFollow(teacher, teacher.getByRole('link', { name: 'What the research says' }), /\/lessons\/\d+\/edit$/);
  const editor = new URL(teacher.url()).pathname;
  await expectNoAxeViolations(teacher, '/courses/…/lessons/…/edit');
  assert.match(await teacher.textContent('#embed-hint'), /YouTube, Vimeo, tool\.agora-test\.invalid/);

  // A program named like a picture is refused with the reason, and nothing is listed.
  await teacher.setInputFiles('#course-file', { name: 'plan.png', mimeType: 'image/png', buffer: EXE });
  await clickAndFollow(teacher, teacher.getByRole('button', { name: 'Upload file' }), /error=courses\.files\.error\.type/);
  assert.match(await teacher.textContent('#course-file-error'), /This type of file cannot be uploaded/);
  assert.equal(await teacher.getAttribute('#course-file', 'aria-invalid'), 'true');
  assert.match(await teacher.textContent('#files'), /No files have been uploaded yet/);
  await expectNoAxeViolations(teacher, 'the lesson editor with an upload error');

  // A picture: listed with its Markdown.
  await teacher.setInputFiles('#course-file', { name: 'Feedback loop.png', mimeType: 'image/png', buffer: png(320, 200) });
  await clickAndFollow(teacher, teacher.getByRole('button', { name: 'Upload file' }), /status=file-uploaded/);
  const snippet = await teacher.inputValue('.file-item input[readonly]');
  assert.match(snippet, /^!\[Feedback loop\]\(\/courses\/files\/\d+\/Feedback-loop\.png\)$/);
  const fileUrl = snippet.match(/\((.*)\)/)[1];
  assert.ok(await loaded(teacher, '.file-item img'), 'the thumbnail shows');
  await expectNoAxeViolations(teacher, 'the lesson editor with a file');

  const body = await teacher.inputValue('#f-body');
  await teacher.fill('#f-body', `${body}\n\n${snippet}`);
  await clickAndFollow(teacher, teacher.getByRole('button', { name: 'Save' }), /status=saved$/);
  // The second lesson gets the school's tool.
  await clickAndFollow(teacher, teacher.getByRole('link', { name: 'Learning intentions and success criteria' }), /\/lessons\/\d+\/edit$/);
  await teacher.fill('#f-body', `Work on the board:\n\n::embed[Learning intentions board](${TOOL}/boards/42?mode=view)`);
  await clickAndFollow(teacher, teacher.getByRole('button', { name: 'Save' }), /status=saved$/);
  assert.notEqual(new URL(teacher.url()).pathname, editor);

  // An enrolled learner, under the page's real CSP.
  const learner = await agora.newPage({ bypassCSP: false });
  await agora.signIn(learner, 'sofia.andersson@skola.example');
  await agora.hydrated(learner, '/courses');
  assert.ok(await loaded(learner, `img.card-image[src^="/courses/${COURSE}/image"]`), 'the course card shows its image');
  await agora.hydrated(learner, `/courses/${COURSE}`);
  await clickAndFollow(learner, learner.getByRole('link', { name: 'Go to the course' }), /\/learn\/\d+$/);
  await clickAndFollow(learner, learner.getByRole('link', { name: 'What the research says' }), /\/items\/\d+$/);
  assert.ok(await loaded(learner, `main img[src="${fileUrl}"]`), 'the lesson shows the picture');
  assert.equal(await learner.getAttribute(`main img[src="${fileUrl}"]`, 'alt'), 'Feedback loop');
  await expectNoAxeViolations(learner, '/learn/…/items/… with a picture');
  await clickAndFollow(learner, learner.getByRole('link', { name: 'Next' }), /\/items\/\d+$/);
  const frame = learner.locator('main iframe');
  assert.equal(await frame.getAttribute('src'), `${TOOL}/boards/42?mode=view`);
  assert.equal(await frame.getAttribute('title'), 'Learning intentions board');
  assert.equal(await frame.getAttribute('sandbox'), 'allow-scripts allow-same-origin allow-presentation');
  // The frame has been tried (there is no network here): had the page's CSP refused it,
  // Chromium would have logged that, and `expectNoPageErrors` below would fail.
  await learner.waitForLoadState('load');

  // S19: the file's address is a 404 for a signed-in outsider and for anonymous visitors.
  const outsider = await agora.newPage();
  await agora.signIn(outsider, 'johan.berg@skolverkstaden.example');
  const refused = await outsider.request.get(agora.url(fileUrl));
  assert.equal(refused.status(), 404);
  const anonymous = await agora.newPage();
  assert.equal((await anonymous.request.get(agora.url(fileUrl))).status(), 404);
  assert.equal((await learner.request.get(agora.url(fileUrl))).status(), 200);

  for (const p of [teacher, learner, outsider, anonymous]) {
    expectNoPageErrors(p);
    await p.context().close();
  }
});
