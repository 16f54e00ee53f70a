// Subject tags (T12): the demo platform admin adds a subject named in English, Danish and
// Swedish on /admin/subjects; a name that is only spaces and an English name that is taken
// are refused with a translated message next to the field; the new subject is offered in
// /settings/profile, in the page's language, and can be chosen; a user who is not a platform
// admin gets the 404 page and cannot add one. axe on every page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useAgora,
  expectNoAxeViolations,
  expectNoPageErrors,
  waitForHydration,
  clickAndFollow,
} from '../harness.mjs';

const agora = useAgora();

/** Follows a language in the switcher and waits for the page to come back in it. */
async function switchTo(page, name, code) {
  const switcher = page.getByRole('list', { name: /^(Language|Sprog|Språk)$/ });
  await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === `/lang/${code}`),
    switcher.getByRole('link', { name, exact: true }).click(),
  ]);
  await page.locator(`html[lang="${code}"]`).waitFor({ state: 'attached' });
  await waitForHydration(page);
}

/** Fills the "add a subject" form. */
async function fillNames(page, en, da, sv) {
  await page.fill('#new-subject-en', en);
  await page.fill('#new-subject-da', da);
  await page.fill('#new-subject-sv', sv);
}

/** Waits until the error next to `field` of the add form says `text`, and checks its wiring. */
async function expectFieldError(page, field, text) {
  const input = page.locator(`#new-subject-${field}`);
  const error = page.locator(`#new-subject-${field}-error`);
  await error.filter({ hasText: text }).waitFor();
  assert.equal(await error.textContent(), text);
  assert.equal(await input.getAttribute('aria-invalid'), 'true');
  assert.match(await input.getAttribute('aria-describedby'), new RegExp(`\\bnew-subject-${field}-error\\b`));
}

test('a platform admin adds a subject; it is offered in profiles in every language', async () => {
  const admin = await agora.newPage();
  await agora.signIn(admin, 'admin@agora.example');
  await agora.hydrated(admin, '/admin/subjects');
  assert.equal(await admin.getByRole('heading', { level: 1 }).textContent(), 'Subjects');
  assert.match(await admin.locator('main').textContent(), /No subjects have been added yet\./);
  await expectNoAxeViolations(admin, '/admin/subjects');

  // A Danish name of spaces only is no name: the error is beside the Danish field.
  await fillNames(admin, 'Outdoor education', '   ', 'Utomhuspedagogik');
  await admin.getByRole('button', { name: 'Add a subject' }).click();
  await expectFieldError(admin, 'da', 'This field is required.');
  assert.equal(new URL(admin.url()).search, '', 'nothing was added');
  await expectNoAxeViolations(admin, '/admin/subjects with an error');

  await admin.fill('#new-subject-da', 'Udeskole');
  await clickAndFollow(admin, admin.getByRole('button', { name: 'Add a subject' }), /\/admin\/subjects\?status=added$/);
  assert.match(await admin.getByRole('status').first().textContent(), /The subject was added\./);
  const added = admin.getByRole('group', { name: 'Names of “Outdoor education”' });
  assert.equal(await added.getByLabel('Name in Danish').inputValue(), 'Udeskole');
  assert.equal(await added.getByLabel('Name in Swedish').inputValue(), 'Utomhuspedagogik');
  await expectNoAxeViolations(admin, '/admin/subjects with an added subject');

  // Offered on the profile form, and accepted there.
  await agora.hydrated(admin, '/settings/profile');
  const subjects = admin.getByRole('group', { name: 'Subjects you teach' });
  const outdoor = subjects.getByRole('checkbox', { name: 'Outdoor education', exact: true });
  assert.equal(await outdoor.count(), 1, 'the new subject is a choice');
  await outdoor.check();
  await clickAndFollow(admin, admin.getByRole('button', { name: 'Save', exact: true }), /\/settings\/profile\?status=saved$/);
  assert.equal(await admin.getByRole('checkbox', { name: 'Outdoor education', exact: true }).isChecked(), true);
  await expectNoAxeViolations(admin, '/settings/profile with the new subject');

  // In Danish the same choice carries its Danish name.
  await switchTo(admin, 'Dansk', 'da');
  const fag = admin.getByRole('group', { name: 'Fag du underviser i' });
  assert.equal(await fag.getByRole('checkbox', { name: 'Udeskole', exact: true }).isChecked(), true);
  assert.equal(await fag.getByRole('checkbox', { name: 'Outdoor education' }).count(), 0);
  await expectNoAxeViolations(admin, '/settings/profile in Danish');

  // The same English name again (its code is taken), in Danish: the error is beside the
  // English field, in Danish.
  await agora.hydrated(admin, '/admin/subjects');
  await fillNames(admin, 'Outdoor  Education', 'Udendørs undervisning', 'Utomhusundervisning');
  await admin.getByRole('button', { name: 'Tilføj et fag' }).click();
  await expectFieldError(admin, 'en', 'Der findes allerede et fag med dette engelske navn.');
  // A built-in subject's name is taken too.
  await fillNames(admin, 'Physics', 'Fysik', 'Fysik');
  await admin.getByRole('button', { name: 'Tilføj et fag' }).click();
  await expectFieldError(admin, 'en', 'Der findes allerede et fag med dette engelske navn.');
  await expectNoAxeViolations(admin, '/admin/subjects in Danish with an error');
  await agora.hydrated(admin, '/admin/subjects');
  assert.equal(await admin.locator('ul.subject-tags > li').count(), 1, 'still one added subject');

  // A teacher is no platform admin: the 404 page, and the server function refuses too.
  const teacher = await agora.newPage();
  await agora.signIn(teacher, 'karen.nielsen@aarhus-akademi.example');
  const page = await teacher.goto(agora.url('/admin/subjects'));
  assert.equal(page.status(), 404);
  assert.match(await teacher.textContent('main h1'), /Page not found/);
  assert.doesNotMatch(await teacher.textContent('main'), /Outdoor education/);
  await expectNoAxeViolations(teacher, '/admin/subjects as a teacher');
  const post = await teacher.request.post(agora.url('/api/admin/add-subject-tag'), {
    form: { en: 'Forest school', da: 'Skovskole', sv: 'Skogsskola' },
    headers: { Accept: 'application/json' },
    maxRedirects: 0,
  });
  assert.ok(post.status() >= 400, `the server function refuses (${post.status()})`);
  await agora.hydrated(admin, '/admin/subjects');
  assert.doesNotMatch(await admin.locator('main').textContent(), /Forest school|Skovskole/);

  // The three refused submissions answer 422, which Chromium logs; nothing else may.
  expectNoPageErrors(admin, { allow: [/status of 422/] });
  await admin.context().close();
  expectNoPageErrors(teacher, { allow: [/status of 404/] });
  await teacher.context().close();
});
