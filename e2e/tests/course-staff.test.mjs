// The course staff's view of a run (S12): the demo teacher opens the progress dashboard of
// the Danish demo course's run (the demo learners there have progress and attendance), reads
// the summary and the charts, filters, searches and sorts the learners, opens a learner,
// marks an item complete with a reason, invites a demo user by e-mail (listed by address
// until she accepts the link from her mail), removes a learner and downloads the table as
// CSV. A learner of the run gets the same 404 as for a missing run
// (S19). axe on every page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  useAgora,
  expectNoAxeViolations,
  expectNoPageErrors,
  clickAndFollow,
  pollUntil,
} from '../harness.mjs';

const agora = useAgora();
const COURSE = 'digital-dannelse-i-udskolingen';
const M1 = 'Kildekritik i en algoritmisk verden';
const M2 = 'Elevernes digitale fodaftryk';

/** The value shown for `term` in the page's summary list. */
function fact(page, term) {
  return page.locator('.stat-list > div').filter({ has: page.getByRole('term').filter({ hasText: new RegExp(`^${term}$`) }) }).locator('dd').textContent();
}

/** The path of the newest link to `prefix` in mail sent to `to` (the server's outbox), or
 * null while there is none. */
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
  return null;
}

/** The learner names in the table, in order. */
function learnerNames(page) {
  return page.$$eval('.progress-table tbody th[scope=row] a', (links) => links.map((a) => a.textContent.trim()));
}

test('course staff follow, filter, mark, invite (accepted by the invitee), remove and export the learners of a run', async () => {
  const teacher = await agora.newPage();
  await agora.signIn(teacher, 'karen.nielsen@aarhus-akademi.example');
  await agora.hydrated(teacher, `/courses/${COURSE}/edit`);
  await clickAndFollow(teacher, teacher.getByRole('link', { name: 'Learner progress: 2026/27' }), /\/runs\/\d+\/progress$/);
  const dashboard = new URL(teacher.url()).pathname;
  const run = dashboard.split('/')[4];

  // The summary: seven enrolled (three demo learners without progress, four with some),
  // one who left; Anna has done everything, Jonas and Freja some.
  assert.equal(await teacher.getByRole('heading', { level: 1 }).textContent(), 'Learner progress');
  assert.equal(await fact(teacher, 'Enrolled learners'), '7 (of 500 places)');
  assert.equal(await fact(teacher, 'Left or removed'), '1');
  assert.equal(await fact(teacher, 'Completed'), '1');
  assert.equal(await fact(teacher, 'In progress'), '2');
  assert.equal(await fact(teacher, 'Not started'), '4');
  assert.equal(await fact(teacher, 'Average progress'), '28 %');
  // Both charts are drawn, with their figures also as tables.
  const funnel = teacher.locator('figure.chart').filter({ hasText: 'Completion by module' });
  const weekly = teacher.locator('figure.chart').filter({ hasText: 'Active learners per week' });
  assert.equal(await funnel.locator('.chart-image svg').count(), 1, 'the funnel chart');
  assert.equal(await weekly.locator('.chart-image svg').count(), 1, 'the weekly chart');
  assert.match(await funnel.locator('table').textContent(), new RegExp(`1\\. ${M1}\\s*2 of 7[\\s\\S]*2\\. ${M2}\\s*1 of 7`));
  assert.ok((await weekly.locator('tbody tr').count()) >= 3, 'several weeks with activity');
  assert.equal(await teacher.locator('p.result-count').textContent(), '7 learners match.');
  await expectNoAxeViolations(teacher, '/courses/…/runs/…/progress');

  // Filter by completion state.
  await teacher.selectOption('#filter-state', 'completed');
  await clickAndFollow(teacher, teacher.getByRole('button', { name: 'Show results' }), /[?&]state=completed(&|$)/);
  assert.equal(await teacher.locator('p.result-count').textContent(), '1 learner matches.');
  assert.deepEqual(await learnerNames(teacher), ['Anna Jensen']);
  await expectNoAxeViolations(teacher, '/courses/…/runs/…/progress?state=completed');

  // Search by name (the state filter cleared first).
  await clickAndFollow(teacher, teacher.getByRole('link', { name: 'Clear filters' }), /\/progress$/);
  await teacher.fill('#filter-q', 'poulsen');
  await clickAndFollow(teacher, teacher.getByRole('button', { name: 'Show results' }), /[?&]q=poulsen(&|$)/);
  assert.deepEqual(await learnerNames(teacher), ['Jonas Poulsen']);

  // Sort by progress, most first and least first.
  await clickAndFollow(teacher, teacher.getByRole('link', { name: 'Clear filters' }), /\/progress$/);
  await teacher.selectOption('#filter-sort', 'progress');
  await clickAndFollow(teacher, teacher.getByRole('button', { name: 'Show results' }), /[?&]sort=progress(&|$)/);
  const mostFirst = await learnerNames(teacher);
  assert.deepEqual(mostFirst.slice(0, 3), ['Anna Jensen', 'Jonas Poulsen', 'Freja Christensen']);
  assert.equal(mostFirst.length, 7);
  await teacher.selectOption('#filter-sort', 'progress_asc');
  await clickAndFollow(teacher, teacher.getByRole('button', { name: 'Show results' }), /[?&]sort=progress_asc(&|$)/);
  assert.deepEqual((await learnerNames(teacher)).slice(-3), ['Freja Christensen', 'Jonas Poulsen', 'Anna Jensen']);

  // A learner's page: three of four items done; staff mark the fourth with a reason.
  await clickAndFollow(teacher, teacher.getByRole('link', { name: 'Jonas Poulsen', exact: true }), /\/learners\/\d+$/);
  const jonasPage = new URL(teacher.url()).pathname;
  assert.equal(await teacher.getByRole('heading', { level: 1 }).textContent(), 'Jonas Poulsen');
  assert.equal(await fact(teacher, 'Progress'), '75 % (3 of 4)');
  await expectNoAxeViolations(teacher, '/courses/…/runs/…/learners/…');
  const reason = 'Deltog i workshoppen om billeddeling';
  await teacher.selectOption('#f-item', { label: `${M2} › Samtykke og billeddeling` });
  await teacher.fill('#f-reason', reason);
  await clickAndFollow(teacher, teacher.getByRole('button', { name: 'Mark as complete' }), /\/learners\/\d+\?status=marked$/);
  assert.match(await teacher.locator('main').textContent(), /The item is marked complete\./);
  const row = teacher.getByRole('row').filter({ hasText: 'Samtykke og billeddeling' });
  assert.match(await row.textContent(), new RegExp(`Marked complete by staff on \\d{4}-\\d\\d-\\d\\d: ${reason}`));
  assert.equal(await fact(teacher, 'Progress'), '100 % (4 of 4)');
  assert.equal(await fact(teacher, 'Certificate'), 'Yes', 'the last item completes the course');
  await expectNoAxeViolations(teacher, '/courses/…/runs/…/learners/… after marking');

  // Back on the dashboard the row says which items staff marked.
  await clickAndFollow(teacher, teacher.getByRole('link', { name: /^Learner progress in / }), /\/progress$/);
  const jonas = teacher.getByRole('row').filter({ has: teacher.getByRole('link', { name: 'Jonas Poulsen', exact: true }) });
  assert.match(await jonas.textContent(), /100 % \(4 of 4\) \(1 by staff\)/);
  assert.equal(await fact(teacher, 'Completed'), '2');

  // Invite a demo user by e-mail (S4): the answer does not say whether the account exists,
  // and until she accepts the staff see the address and "Invited", never her name.
  await teacher.fill('#f-email', 'claire.dubois@eti.example');
  await clickAndFollow(teacher, teacher.getByRole('button', { name: 'Send the invitation', exact: true }), /\/progress\?status=invited$/);
  assert.match(await teacher.locator('main').textContent(), /The invitation is recorded\. If the address belongs to an Agora account/);
  const invited = teacher.locator('.invitation-list li');
  assert.equal(await invited.count(), 1);
  assert.match(await invited.first().textContent(), /claire\.dubois@eti\.example\s*Invited/);
  assert.doesNotMatch(await teacher.locator('main').textContent(), /Claire|Dubois/);
  assert.ok(!(await learnerNames(teacher)).includes('Claire Dubois'), 'not enrolled before she accepts');
  assert.equal(await fact(teacher, 'Enrolled learners'), '7 (of 500 places)');
  await expectNoAxeViolations(teacher, '/courses/…/runs/…/progress after inviting');

  // She opens the link from her mail on a phone, sees the course and accepts: she is
  // enrolled.
  const claire = await agora.newPage({ viewport: { width: 390, height: 844 } });
  await agora.signIn(claire, 'claire.dubois@eti.example');
  const link = await pollUntil(() => linkInOutbox('claire.dubois@eti.example', '/learn/invitations/'), {
    message: 'the invitation mail',
  });
  await agora.hydrated(claire, link);
  assert.equal(await claire.getByRole('heading', { level: 1 }).textContent(), 'Invitation to a course');
  assert.match(await claire.locator('main').textContent(), /Digital dannelse/i);
  assert.ok(
    await claire.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth),
    'the page fits a 390 px wide screen',
  );
  await expectNoAxeViolations(claire, '/learn/invitations/…');
  await clickAndFollow(claire, claire.getByRole('button', { name: 'Accept and enrol' }), new RegExp(`/learn/${run}\\?status=enrolled$`));
  expectNoPageErrors(claire);
  await claire.context().close();

  // The table shows her now, by name; the invitation is gone.
  await teacher.reload();
  assert.ok((await learnerNames(teacher)).includes('Claire Dubois'), 'the enrolled user is in the table');
  assert.equal(await fact(teacher, 'Enrolled learners'), '8 (of 500 places)');
  assert.equal(await teacher.locator('.invitation-list li').count(), 0);
  assert.doesNotMatch(await teacher.locator('main').textContent(), /claire\.dubois@eti\.example/);

  // Remove a learner from their page.
  await clickAndFollow(teacher, teacher.getByRole('link', { name: 'Oliver Hansen', exact: true }), /\/learners\/\d+$/);
  await clickAndFollow(teacher, teacher.getByRole('button', { name: 'Remove Oliver Hansen from this run' }), /\?status=removed$/);
  assert.match(await teacher.locator('main').textContent(), /The learner was removed from the run\./);
  assert.equal(await fact(teacher, 'Enrolment'), 'Removed');
  assert.equal(await teacher.getByRole('button', { name: 'Enrol again' }).count(), 1);
  await expectNoAxeViolations(teacher, '/courses/…/runs/…/learners/… after removing');
  await clickAndFollow(teacher, teacher.getByRole('link', { name: /^Learner progress in / }), /\/progress$/);
  assert.ok(!(await learnerNames(teacher)).includes('Oliver Hansen'), 'a removed learner leaves the table');
  assert.equal(await fact(teacher, 'Left or removed'), '2');

  // The table as CSV: a header of the columns, a row per learner.
  const [download] = await Promise.all([
    teacher.waitForEvent('download'),
    teacher.getByRole('link', { name: 'Download this table (CSV)' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), `${COURSE}-run-${run}-progress.csv`);
  const csv = await readFile(await download.path(), 'utf8');
  assert.ok(csv.startsWith('\uFEFF'), 'a byte-order mark for spreadsheet programs');
  const lines = csv.slice(1).split('\r\n');
  assert.equal(
    lines[0],
    `Learner,Enrolment,Enrolled on,${M1} (done of 2),${M2} (done of 2),Required items done,Required items,Progress,Completion,Marked by staff,Last active,Days active`,
  );
  assert.ok(
    lines.some((l) => /^Anna Jensen,Enrolled,\d{4}-\d\d-\d\d,2,2,4,4,100,Completed,0,\d{4}-\d\d-\d\d,4$/.test(l)),
    `a row for Anna Jensen in:\n${csv}`,
  );
  assert.ok(lines.some((l) => l.startsWith('Jonas Poulsen,') && l.includes(',100,Completed,1,')), 'Jonas with one item marked by staff');
  assert.ok(!lines.some((l) => l.startsWith('Oliver Hansen,')), 'the removed learner is not in the (enrolled) table');
  assert.equal(lines.at(-1), '', 'every line ends with CRLF');
  assert.equal(lines.length - 2, 7, 'seven enrolled learners');

  // S19: a learner of the run is not staff: the dashboard, a learner page and the CSV are
  // the 404 of a missing run.
  const learner = await agora.newPage();
  await agora.signIn(learner, 'sofia.andersson@skola.example');
  const missing = await learner.goto(agora.url(`/courses/${COURSE}/runs/999999/progress`));
  assert.equal(missing.status(), 404);
  const missingText = await learner.textContent('main');
  const refused = await learner.goto(agora.url(dashboard));
  assert.equal(refused.status(), 404);
  assert.equal(await learner.textContent('main'), missingText, 'the same page as for a missing run');
  assert.match(missingText, /Page not found/);
  assert.doesNotMatch(missingText, /Anna Jensen/);
  await expectNoAxeViolations(learner, '/courses/…/runs/…/progress as a learner');
  const learnerPage = await learner.goto(agora.url(jonasPage));
  assert.equal(learnerPage.status(), 404);
  const csvRefused = await learner.request.get(agora.url(`${dashboard}.csv`));
  assert.equal(csvRefused.status(), 404);
  assert.doesNotMatch(await csvRefused.text(), /Anna Jensen/);
  const csvMissing = await learner.request.get(agora.url(`/courses/${COURSE}/runs/999999/progress.csv`));
  assert.equal(csvMissing.status(), 404);

  expectNoPageErrors(teacher);
  await teacher.context().close();
  expectNoPageErrors(learner, { allow: [/status of 404/] });
  await learner.context().close();
});
