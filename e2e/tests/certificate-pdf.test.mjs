// PDF certificates and module badges (issue 7, S12, S17): a teacher switches on a badge for
// a demo module; a learner completes the course, sees the badge on the learning page and
// on their profile (also for another signed-in user), and downloads the certificate as PDF
// from its page; another user asking for the PDF gets the 404 of an unknown code. Pages
// that changed are checked with axe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useAgora,
  expectNoAxeViolations,
  expectNoPageErrors,
  clickAndFollow,
} from '../harness.mjs';

const agora = useAgora();
const SLUG = 'formative-assessment-in-practice';
const MODULE = 'Why formative assessment works';
const BADGE = 'Assessment for learning';

test('a module badge is earned and shown on the profile; the certificate downloads as PDF for its owner only', async () => {
  const teacher = await agora.newPage();
  await agora.signIn(teacher, 'claire.dubois@eti.example');
  await agora.hydrated(teacher, `/courses/${SLUG}/edit`);
  const form = teacher.locator('form.badge-form').first();
  await form.getByRole('checkbox').check();
  await form.getByLabel('Badge name').fill(BADGE);
  await clickAndFollow(teacher, form.getByRole('button', { name: `Save badge: ${MODULE}` }), /status=saved$/);
  const saved = teacher.locator('form.badge-form').first();
  assert.equal(await saved.getByRole('checkbox').isChecked(), true);
  assert.equal(await saved.getByLabel('Badge name').inputValue(), BADGE);
  await expectNoAxeViolations(teacher, '/courses/…/edit with module badges');

  const learner = await agora.newPage();
  await agora.signIn(learner, 'sofia.andersson@skola.example');
  await agora.hydrated(learner, `/courses/${SLUG}`);
  await clickAndFollow(learner, learner.getByRole('link', { name: 'Go to the course' }), /\/learn\/\d+$/);
  const run = new URL(learner.url()).pathname;
  assert.match(await learner.textContent('main'), new RegExp(`earns the badge “${BADGE}”`));
  await clickAndFollow(learner, learner.getByRole('link', { name: 'Continue' }), /\/items\/\d+$/);
  for (let i = 0; i < 3; i++) {
    await clickAndFollow(learner, learner.getByRole('link', { name: 'Next' }), /\/items\/\d+$/);
  }
  assert.match(await learner.textContent('main'), /You have completed this course/);
  await agora.hydrated(learner, run);
  assert.match(await learner.textContent('main'), new RegExp(`You earned the badge “${BADGE}”`));
  await expectNoAxeViolations(learner, '/learn/… with an earned badge');

  // The certificate page links to the PDF, which is the owner's.
  await agora.hydrated(learner, '/my/courses');
  await clickAndFollow(learner, learner.getByRole('link', { name: 'Open your certificate' }), /\/certificates\/[0-9a-f]+$/);
  await expectNoAxeViolations(learner, '/certificates/… with the PDF link');
  const link = learner.getByRole('link', { name: 'Download the certificate as PDF' });
  const href = await link.getAttribute('href');
  const code = new URL(learner.url()).pathname.split('/')[2];
  assert.equal(href, `/certificates/${code}/certificate.pdf`);
  const pdf = await learner.request.get(agora.url(href));
  assert.equal(pdf.status(), 200);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  const bytes = await pdf.body();
  assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
  assert.ok(bytes.includes(Buffer.from(`/verify/${code}`)), 'the verification address is in the file');

  // Another signed-in user: the badge on Sofia's profile, but not her PDF.
  const profile = await learner.locator(`header a[href^="/people/"]`).first().getAttribute('href');
  const other = await agora.newPage();
  await agora.signIn(other, 'mikkel.larsen@skole.example');
  await agora.hydrated(other, profile);
  const shown = await other.textContent('main');
  assert.match(shown, /Badges/);
  assert.match(shown, new RegExp(BADGE));
  assert.match(shown, /Formative assessment in practice/);
  await expectNoAxeViolations(other, '/people/… with a badge');
  const refused = await other.request.get(agora.url(href));
  const unknown = await other.request.get(agora.url('/certificates/00000000000000000000/certificate.pdf'));
  assert.equal(refused.status(), 404);
  assert.equal(unknown.status(), 404);
  assert.equal(await refused.text(), await unknown.text());

  for (const p of [teacher, learner, other]) {
    expectNoPageErrors(p);
    await p.context().close();
  }
});
