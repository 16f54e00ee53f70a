// Course runs (issue 7): a demo run is a listing in the course catalogue linking to its
// course page (S7); its teacher creates an assigned group and an open theme group and
// places a learner (S12, T2); the learner finds "My courses" in the navigation, sees the
// groups on the run's page, joins the theme group and opens its members-only page; a
// signed-in outsider gets the 404 page for it (S19); the teacher copies the run. axe on
// every page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useAgora,
  expectNoAxeViolations,
  expectNoPageErrors,
  clickAndFollow,
} from '../harness.mjs';

const agora = useAgora();
const COURSE = 'digital-dannelse-i-udskolingen';

test('a run in the catalogue, groups and theme groups, a members-only group page, copying a run', async () => {
  // S7: the demo run is listed in the course catalogue and links to the course page.
  const visitor = await agora.newPage();
  await agora.hydrated(visitor, '/catalogue/courses');
  const card = visitor.locator('.listing-card', { hasText: 'Digital dannelse i udskolingen' });
  assert.equal(await card.count(), 1, 'the run is one listing');
  const goTo = card.getByRole('link', { name: 'Go to the course: Digital dannelse i udskolingen' });
  assert.equal(await goTo.getAttribute('href'), `/courses/${COURSE}`);
  await expectNoAxeViolations(visitor, '/catalogue/courses with a run listing');
  await clickAndFollow(visitor, card.locator('.card-title a'), /\/catalogue\/digital-dannelse-i-udskolingen$/);
  assert.match(await visitor.textContent('main'), /This course takes place on Agora/);
  await expectNoAxeViolations(visitor, 'a run listing');

  // The teacher opens the run's groups from the course's edit page.
  const teacher = await agora.newPage();
  await agora.signIn(teacher, 'karen.nielsen@aarhus-akademi.example');
  await agora.hydrated(teacher, `/courses/${COURSE}/edit`);
  await clickAndFollow(teacher, teacher.getByRole('link', { name: 'Groups of 2026/27' }), /\/runs\/\d+\/groups$/);
  const groupsPath = new URL(teacher.url()).pathname;
  const run = groupsPath.split('/')[4];
  await expectNoAxeViolations(teacher, '/courses/…/runs/…/groups (empty)');
  const newGroup = async (name, kind, theme, places) => {
    await teacher.fill('#f-group_name', name);
    await teacher.selectOption('#f-group_kind', kind);
    await teacher.fill('#f-theme', theme);
    await teacher.fill('#f-group_description', `Vi arbejder med **${name}**.`);
    await teacher.fill('#f-group_capacity', places);
    await clickAndFollow(teacher, teacher.getByRole('button', { name: 'Create the group' }), /status=group-created$/);
  };
  await newGroup('Hold A', 'assigned', '', '');
  await newGroup('Kildekritik', 'open', 'Falske nyheder', '2');
  // Sofia, a learner of the run, goes into the assigned group.
  await teacher.selectOption('select[id^="f-member-"] >> nth=0', { label: 'Sofia Andersson' });
  await clickAndFollow(teacher, teacher.getByRole('button', { name: 'Add to Hold A' }), /status=group-saved$/);
  assert.match(await teacher.textContent('main'), /Sofia Andersson/);
  await expectNoAxeViolations(teacher, '/courses/…/runs/…/groups with groups');

  // The learner: "My courses" in the navigation, then the run with its groups.
  const learner = await agora.newPage();
  await agora.signIn(learner, 'sofia.andersson@skola.example');
  const nav = learner.getByRole('navigation', { name: 'Main navigation' });
  await clickAndFollow(learner, nav.getByRole('link', { name: 'My courses' }), /\/my\/courses$/);
  assert.equal(await nav.getByRole('link', { name: 'My courses' }).getAttribute('aria-current'), 'page');
  await agora.hydrated(learner, `/learn/${run}`);
  const groups = learner.locator('section.run-groups');
  assert.match(await groups.textContent(), /Hold A/);
  await expectNoAxeViolations(learner, '/learn/… with groups');
  await clickAndFollow(learner, groups.getByRole('button', { name: 'Join Kildekritik' }), /\/groups\/\d+\?status=group-joined$/);
  const groupPage = new URL(learner.url()).pathname;
  assert.match(await learner.textContent('main h1'), /Kildekritik/);
  assert.match(await learner.textContent('main'), /1 of 2 places taken/);
  assert.match(await learner.textContent('main'), /Sofia Andersson/);
  await expectNoAxeViolations(learner, '/learn/…/groups/…');

  // S19: a signed-in outsider gets the 404 page for the group's address.
  const outsider = await agora.newPage();
  await agora.signIn(outsider, 'claire.dubois@eti.example');
  const response = await outsider.goto(agora.url(groupPage));
  assert.equal(response.status(), 404);
  assert.match(await outsider.textContent('main h1'), /Page not found/);
  assert.doesNotMatch(await outsider.textContent('main'), /Sofia/);

  // The teacher copies the run into a new draft run.
  await agora.hydrated(teacher, `/courses/${COURSE}/edit`);
  await teacher.selectOption('#f-copy_run', { label: '2026/27' });
  await teacher.fill('#f-copy_title', '2027/28');
  await teacher.fill('#f-copy_starts', '2027-08-15');
  await clickAndFollow(teacher, teacher.getByRole('button', { name: 'Copy the run' }), /status=run-copied$/);
  assert.match(await teacher.textContent('main'), /2027\/28/);
  await expectNoAxeViolations(teacher, '/courses/…/edit after copying a run');

  for (const p of [visitor, teacher, learner]) {
    expectNoPageErrors(p);
    await p.context().close();
  }
  expectNoPageErrors(outsider, { allow: [/status of 404/] });
  await outsider.context().close();
});
