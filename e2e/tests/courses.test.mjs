// Courses (issue 7): a teacher creates a course with two modules and lessons, publishes it
// and a run; a learner enrols, works through the lessons to 100 % and opens the
// certificate; anyone verifies it; a signed-in user who is not enrolled gets the 404 page
// for a lesson's address (S19). Every page is checked with axe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useAgora,
  expectNoAxeViolations,
  expectNoPageErrors,
  clickAndFollow,
} from '../harness.mjs';

const agora = useAgora();

test('author a course, enrol, complete it, print and verify the certificate', async () => {
  const teacher = await agora.newPage();
  await agora.signIn(teacher, 'karen.nielsen@aarhus-akademi.example');
  await agora.hydrated(teacher, '/organisations/aarhus-laereakademi/courses/new');
  await expectNoAxeViolations(teacher, '/organisations/…/courses/new');
  await teacher.fill('#f-title', 'Brøkregning i praksis');
  await teacher.fill('#f-summary', 'Konkrete materialer og samtaler om brøker.');
  await teacher.fill('#f-description', 'Et kursus om **brøker**.');
  await teacher.selectOption('#f-language', 'da');
  await teacher.fill('#f-estimated_hours', '6');
  await clickAndFollow(teacher, teacher.getByRole('button', { name: 'Create the course' }), /\/courses\/[^/]+\/edit\?status=created$/);
  const slug = new URL(teacher.url()).pathname.split('/')[2];
  await expectNoAxeViolations(teacher, '/courses/…/edit');

  for (const module of ['Brøker som dele', 'Brøker på tallinjen']) {
    await teacher.fill('#f-module_title', module);
    await clickAndFollow(teacher, teacher.getByRole('button', { name: 'Add a module' }), /status=saved$/);
  }
  const lessons = [
    ['Brøker som dele', 'Pizza og chokolade', 'Del en **pizza** i lige store stykker.'],
    ['Brøker som dele', 'Stambrøker', 'En stambrøk har tælleren 1.'],
    ['Brøker på tallinjen', 'Mellem 0 og 1', 'Placér ½ og ¼ på tallinjen.'],
  ];
  for (const [module, title, body] of lessons) {
    await teacher.selectOption('#f-module', { label: module });
    await teacher.fill('#f-lesson_title', title);
    await clickAndFollow(teacher, teacher.getByRole('button', { name: 'Add a lesson' }), /\/lessons\/\d+\/edit$/);
    await teacher.fill('#f-body', body);
    await clickAndFollow(teacher, teacher.getByRole('button', { name: 'Save' }), /\/edit\?status=saved$/);
  }
  // Keyboard reorder: the second lesson moves up, then back down.
  await clickAndFollow(teacher, teacher.getByRole('button', { name: 'Move up: Stambrøker' }), /status=moved$/);
  assert.match(await teacher.textContent('.module-editor'), /Stambrøker[\s\S]*Pizza og chokolade/);
  await agora.hydrated(teacher, `/courses/${slug}/edit`);
  await clickAndFollow(teacher, teacher.getByRole('button', { name: 'Move down: Stambrøker' }), /status=moved$/);
  await expectNoAxeViolations(teacher, '/courses/…/edit with content');

  await clickAndFollow(teacher, teacher.getByRole('button', { name: 'Publish', exact: true }), /status=published$/);
  await teacher.fill('#f-run_title', 'Foråret');
  await teacher.check('#f-self_paced');
  await clickAndFollow(teacher, teacher.getByRole('button', { name: 'Create the run' }), /status=run-created$/);
  await clickAndFollow(teacher, teacher.getByRole('button', { name: 'Publish Foråret' }), /status=published$/);
  await expectNoAxeViolations(teacher, '/courses/…/edit with a run');

  const learner = await agora.newPage();
  await agora.signIn(learner, 'sofia.andersson@skola.example');
  await agora.hydrated(learner, `/courses/${slug}`);
  assert.match(await learner.textContent('main'), /Stambrøker/, 'the syllabus lists lesson titles');
  assert.doesNotMatch(await learner.textContent('main'), /tælleren/, 'but not their content');
  await expectNoAxeViolations(learner, '/courses/…');
  await clickAndFollow(learner, learner.getByRole('button', { name: 'Enrol' }), /\/learn\/\d+\?status=enrolled$/);
  const run = new URL(learner.url()).pathname.split('/')[2];
  await expectNoAxeViolations(learner, '/learn/…');

  await clickAndFollow(learner, learner.getByRole('link', { name: 'Continue' }), /\/learn\/\d+\/items\/\d+$/);
  const firstLesson = new URL(learner.url()).pathname;
  assert.match(await learner.textContent('main h1'), /Pizza og chokolade/);
  await expectNoAxeViolations(learner, '/learn/…/items/…');
  for (const next of ['Stambrøker', 'Mellem 0 og 1']) {
    await clickAndFollow(learner, learner.getByRole('link', { name: 'Next' }), /\/items\/\d+$/);
    assert.match(await learner.textContent('main h1'), new RegExp(next));
  }
  assert.match(await learner.textContent('main'), /You have completed this course/);

  await agora.hydrated(learner, '/my/courses');
  assert.equal(await learner.getAttribute('main progress', 'value'), '100');
  await expectNoAxeViolations(learner, '/my/courses');
  await clickAndFollow(learner, learner.getByRole('link', { name: 'Open your certificate' }), /\/certificates\/[0-9a-f]+$/);
  const certificate = await learner.textContent('main');
  assert.match(certificate, /Sofia Andersson/);
  assert.match(certificate, /Brøkregning i praksis/);
  assert.match(certificate, /Aarhus/);
  await expectNoAxeViolations(learner, '/certificates/…');
  const verify = await learner.getAttribute('.certificate-verify a', 'href');

  const anonymous = await agora.newPage();
  await agora.hydrated(anonymous, verify);
  const verified = await anonymous.textContent('main');
  assert.match(verified, /valid/);
  assert.match(verified, /Sofia Andersson/);
  assert.doesNotMatch(verified, /@/);
  await expectNoAxeViolations(anonymous, '/verify/…');

  // S19: a signed-in user who is not enrolled gets the 404 page for the lesson's address.
  const outsider = await agora.newPage();
  await agora.signIn(outsider, 'claire.dubois@eti.example');
  const response = await outsider.goto(agora.url(firstLesson));
  assert.equal(response.status(), 404);
  assert.match(await outsider.textContent('main h1'), /Page not found/);
  assert.doesNotMatch(await outsider.textContent('main'), /pizza/);
  const overview = await outsider.goto(agora.url(`/learn/${run}`));
  assert.equal(overview.status(), 404);

  for (const p of [teacher, learner, anonymous]) {
    expectNoPageErrors(p);
    await p.context().close();
  }
  expectNoPageErrors(outsider, { allow: [/status of 404/] });
  await outsider.context().close();
});
