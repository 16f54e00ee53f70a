// Changing a course after it was created: a demo teacher opens the settings of the Danish
// demo course's run from its edit page, is told (in the browser, without a page load) that
// the end lies before the start and nothing is saved, then saves a new title, dates and
// capacity; the settings page's heading in Danish; she creates a group in the run and edits
// its name, kind and capacity; the lesson editor shows how much of the course's file quota
// is used; she creates a course of her own, is refused its deletion with a wrong title and
// deletes it with the right one (it is then gone), while the demo course, which has
// learners, only explains why it cannot be deleted. axe on every page state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useAgora,
  expectNoAxeViolations,
  expectNoPageErrors,
  pollUntil,
  waitForHydration,
  clickAndFollow,
} from '../harness.mjs';

const agora = useAgora();
const COURSE = 'digital-dannelse-i-udskolingen';

/**
 * Clicks `button` of a hydrated page's form and waits for the refusal the server function
 * answers with: the message below `field` (its `#f-…` id). Fails if the page was loaded
 * again meanwhile: the error must come from the hydrated form, not from a plain post.
 */
async function refusedInPlace(page, button, field) {
  await page.evaluate(() => {
    window.__agoraSamePage = true;
  });
  const answer = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname.startsWith('/api/'));
  await button.click();
  assert.equal((await answer).status(), 422, 'the server function refuses the form');
  const error = page.locator(`${field}-error`);
  await pollUntil(async () => ((await error.textContent()) ?? '').trim() !== '', { message: `a message below ${field}` });
  assert.equal(await page.evaluate(() => window.__agoraSamePage), true, 'no page load: the form answered in place');
  // Next to its field: in the same field box, and announced with the field.
  assert.equal(await page.locator('.field.has-error').filter({ has: page.locator(field) }).locator(`${field}-error`).count(), 1);
  assert.equal(await page.locator(field).getAttribute('aria-invalid'), 'true');
  assert.match(await page.locator(field).getAttribute('aria-describedby'), new RegExp(`(^| )${field.slice(1)}-error$`));
  return (await error.textContent()).trim();
}

/** Clicks a language in the switcher and waits for the same page to come back in it. */
async function switchLanguage(page, name, code) {
  const link = page.getByRole('list', { name: /^(Language|Sprog|Språk)$/ }).getByRole('link', { name, exact: true });
  await Promise.all([page.waitForResponse((r) => new URL(r.url()).pathname === `/lang/${code}`), link.click()]);
  await page.locator(`html[lang="${code}"]`).waitFor({ state: 'attached' });
  await page.waitForLoadState('load');
  await waitForHydration(page);
}

/** The run's card on the course's edit page. */
function runCard(page, title) {
  return page.locator('.run-list > li').filter({ has: page.getByRole('heading', { level: 3, name: title, exact: true }) });
}

test('run settings, editing a group, the file quota and deleting a course', async () => {
  const teacher = await agora.newPage();
  await agora.signIn(teacher, 'karen.nielsen@aarhus-akademi.example');

  // --- The run's settings, from the run's card on the edit page.
  await agora.hydrated(teacher, `/courses/${COURSE}/edit`);
  await clickAndFollow(teacher, teacher.getByRole('link', { name: 'Settings of 2026/27' }), /\/runs\/\d+\/settings$/);
  const settingsPath = new URL(teacher.url()).pathname;
  assert.equal(await teacher.getByRole('heading', { level: 1 }).textContent(), 'Run settings');
  // Prefilled with the demo run: self-paced, 500 places.
  assert.equal(await teacher.inputValue('#f-run_title'), '2026/27');
  assert.equal(await teacher.inputValue('#f-capacity'), '500');
  assert.equal(await teacher.isChecked('#f-self_paced'), true);
  assert.match(await teacher.inputValue('#f-enrol_opens'), /^\d{4}-\d\d-\d\d$/);
  assert.equal(await teacher.inputValue('#f-ends'), '');
  assert.match(await teacher.locator('main').textContent(), /7 learners, 0 waiting/);
  await expectNoAxeViolations(teacher, '/courses/…/runs/…/settings');

  // A run with dates now, but the end before the start: refused next to the end, in place.
  await teacher.fill('#f-run_title', 'Efterår 2026');
  await teacher.uncheck('#f-self_paced');
  await teacher.fill('#f-starts', '2026-09-01');
  await teacher.fill('#f-ends', '2026-08-15');
  await teacher.fill('#f-capacity', '40');
  const message = await refusedInPlace(teacher, teacher.getByRole('button', { name: 'Save the run' }), '#f-ends');
  assert.equal(message, 'The end must be after the start.');
  assert.equal(await teacher.locator('.form-alert[role=alert]').count(), 1, 'the form says it has errors');
  assert.equal(await teacher.locator('.field.has-error').count(), 1, 'only the end is marked');
  assert.equal(await teacher.inputValue('#f-run_title'), 'Efterår 2026', 'what was typed stays');
  await expectNoAxeViolations(teacher, '/courses/…/runs/…/settings with an error');
  // Nothing was saved: the page as the server renders it now still has the old run.
  const stored = await (await teacher.request.get(agora.url(settingsPath))).text();
  assert.match(stored, /value="2026\/27"/);
  assert.doesNotMatch(stored, /Efterår 2026/);

  // Fixed: saved, back on the edit page with the note and the new title, dates and places.
  await teacher.fill('#f-ends', '2027-06-18');
  await clickAndFollow(teacher, teacher.getByRole('button', { name: 'Save the run' }), new RegExp(`/courses/${COURSE}/edit\\?status=run-saved$`));
  assert.equal(await teacher.locator('main p.form-note[role=status]').textContent(), "The run's settings were saved.");
  const card = runCard(teacher, 'Efterår 2026');
  assert.equal(await card.count(), 1, 'the run is shown with its new title');
  assert.equal(await runCard(teacher, '2026/27').count(), 0);
  assert.match(await card.textContent(), /2026-09-01 – 2027-06-18/);
  assert.match(await card.textContent(), /7 of 40 places taken/);
  await expectNoAxeViolations(teacher, '/courses/…/edit?status=run-saved');
  await clickAndFollow(teacher, teacher.getByRole('link', { name: 'Settings of Efterår 2026' }), /\/settings$/);
  assert.equal(await teacher.inputValue('#f-run_title'), 'Efterår 2026');
  assert.equal(await teacher.inputValue('#f-capacity'), '40');
  assert.equal(await teacher.isChecked('#f-self_paced'), false);
  assert.equal(await teacher.inputValue('#f-starts'), '2026-09-01');
  assert.equal(await teacher.inputValue('#f-ends'), '2027-06-18');

  // The settings page in Danish, then back to English.
  await switchLanguage(teacher, 'Dansk', 'da');
  assert.equal(new URL(teacher.url()).pathname, settingsPath);
  assert.equal(await teacher.getByRole('heading', { level: 1 }).textContent(), 'Forløbets indstillinger');
  assert.equal(await teacher.title(), 'Forløbets indstillinger · Agora');
  await expectNoAxeViolations(teacher, '/courses/…/runs/…/settings (Danish)');
  await switchLanguage(teacher, 'English', 'en');
  assert.equal(await teacher.getByRole('heading', { level: 1 }).textContent(), 'Run settings');

  // --- A group of the run: created on the groups page (the demo has none), then edited.
  await agora.hydrated(teacher, `/courses/${COURSE}/edit`);
  await clickAndFollow(teacher, teacher.getByRole('link', { name: 'Groups of Efterår 2026' }), /\/runs\/\d+\/groups$/);
  const groupsPath = new URL(teacher.url()).pathname;
  if ((await teacher.locator('.run-list > li').count()) === 0) {
    await teacher.fill('#f-group_name', 'Hold A');
    await teacher.selectOption('#f-group_kind', 'assigned');
    await clickAndFollow(teacher, teacher.getByRole('button', { name: 'Create the group' }), /status=group-created$/);
  }
  const groupName = await teacher.locator('.run-list > li .card-title').first().textContent();
  await clickAndFollow(teacher, teacher.getByRole('link', { name: `Edit the group ${groupName}` }), /\/groups\/\d+\/edit$/);
  assert.equal(await teacher.getByRole('heading', { level: 1 }).textContent(), 'Edit a group');
  assert.equal(await teacher.inputValue('#f-group_name'), groupName, 'prefilled');
  await expectNoAxeViolations(teacher, '/courses/…/runs/…/groups/…/edit');
  await teacher.fill('#f-group_name', 'Kildekritik');
  await teacher.selectOption('#f-group_kind', 'open');
  await teacher.fill('#f-theme', 'Falske nyheder');
  await teacher.fill('#f-group_capacity', '12');
  await clickAndFollow(teacher, teacher.getByRole('button', { name: 'Save the group' }), new RegExp(`${groupsPath}\\?status=group-updated$`));
  assert.equal(await teacher.locator('main p.form-note[role=status]').textContent(), 'The group was saved.');
  const group = teacher.locator('.run-list > li').filter({ has: teacher.getByRole('heading', { level: 3, name: 'Kildekritik' }) });
  assert.equal(await group.count(), 1, 'the group has its new name');
  assert.equal(
    await group.locator('p.muted').first().textContent(),
    'Open theme group · Theme: Falske nyheder · 0 of 12 places taken',
  );
  assert.equal(await teacher.getByRole('heading', { level: 3, name: groupName, exact: true }).count(), 0);
  await expectNoAxeViolations(teacher, '/courses/…/runs/…/groups?status=group-updated');

  // --- The lesson editor tells how much of the course's file quota is used.
  await agora.hydrated(teacher, `/courses/${COURSE}/edit`);
  await clickAndFollow(teacher, teacher.getByRole('link', { name: 'Samtykke og billeddeling', exact: true }), /\/lessons\/\d+\/edit$/);
  const usage = teacher.locator('#files p.muted').filter({ hasText: "The course's files take" });
  assert.ok(await usage.isVisible(), 'the usage line is shown');
  assert.match(await usage.textContent(), /^The course's files take \d+(\.\d)? [KMG]B of 1\.0 GB\.$/);
  await expectNoAxeViolations(teacher, '/courses/…/lessons/…/edit');

  // --- Deleting a course: the demo course has learners, so only the explanation.
  await agora.hydrated(teacher, `/courses/${COURSE}/edit`);
  const demoDanger = teacher.locator('section.danger-zone');
  assert.equal(await demoDanger.getByRole('heading', { level: 2 }).textContent(), 'Delete the course');
  assert.match(await demoDanger.textContent(), /Learners have enrolled in this course, so it cannot be deleted/);
  assert.equal(await demoDanger.locator('form').count(), 0, 'no form');
  assert.equal(await teacher.getByRole('button', { name: 'Delete the course for good' }).count(), 0);

  // A new course of her organisation, started from its page; never enrolled in: the form is there.
  const title = 'Programmering med micro:bit';
  await agora.hydrated(teacher, '/organisations/aarhus-laereakademi');
  await expectNoAxeViolations(teacher, '/organisations/… for a member');
  await clickAndFollow(teacher, teacher.getByRole('link', { name: 'New course on Agora' }), /\/organisations\/aarhus-laereakademi\/courses\/new$/);
  await teacher.fill('#f-title', title);
  await teacher.fill('#f-summary', 'Små programmer til en lille computer.');
  await teacher.fill('#f-description', 'Vi **programmerer** i blokke.');
  await teacher.selectOption('#f-language', 'da');
  await teacher.fill('#f-estimated_hours', '4');
  await clickAndFollow(teacher, teacher.getByRole('button', { name: 'Create the course' }), /\/courses\/[^/]+\/edit\?status=created$/);
  const slug = new URL(teacher.url()).pathname.split('/')[2];
  // The draft is in her "My courses", to its editor.
  await agora.hydrated(teacher, '/my/courses');
  const teaching = teacher.getByRole('region', { name: 'Courses you teach or moderate' });
  assert.equal(await teaching.getByRole('link', { name: title }).getAttribute('href'), `/courses/${slug}/edit`);
  assert.match(await teaching.textContent(), /Programmering med micro:bit · Aarhus[^·]*· Teacher · Draft/);
  await expectNoAxeViolations(teacher, '/my/courses of a teacher');
  await agora.hydrated(teacher, `/courses/${slug}/edit`);
  const danger = teacher.locator('section.danger-zone');
  assert.match(await danger.textContent(), /Type the course's title to confirm\./);
  await expectNoAxeViolations(teacher, '/courses/…/edit of a new course');

  // A wrong title: refused next to the field, in place; the course stays.
  await teacher.fill('#f-confirm_title', 'Programmering med microbit');
  const mismatch = await refusedInPlace(teacher, danger.getByRole('button', { name: 'Delete the course for good' }), '#f-confirm_title');
  assert.equal(mismatch, "Type the course's title exactly as it is.");
  await expectNoAxeViolations(teacher, '/courses/…/edit with a wrong title to delete');
  assert.equal((await teacher.request.get(agora.url(`/courses/${slug}/edit`))).status(), 200, 'not deleted');

  // The right title: to the course list with the note; the course is gone.
  await teacher.fill('#f-confirm_title', title);
  await clickAndFollow(teacher, danger.getByRole('button', { name: 'Delete the course for good' }), /\/courses\?status=course-deleted$/);
  assert.equal(await teacher.locator('main p.form-note[role=status]').textContent(), 'The course was deleted.');
  assert.doesNotMatch(await teacher.locator('main').textContent(), /micro:bit/);
  await expectNoAxeViolations(teacher, '/courses?status=course-deleted');
  const gone = await teacher.goto(agora.url(`/courses/${slug}`));
  assert.equal(gone.status(), 404);
  assert.match(await teacher.textContent('main h1'), /Page not found/);
  await expectNoAxeViolations(teacher, 'the deleted course (404)');
  assert.equal((await teacher.request.get(agora.url(`/courses/${slug}/edit`))).status(), 404, 'its edit page too');

  expectNoPageErrors(teacher, { allow: [/status of 422/, /status of 404/] });
  await teacher.context().close();
});
