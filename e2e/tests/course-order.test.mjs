// Course content order (issue 7): a teacher drags a lesson into another module, and moves
// one with the keyboard through the "move to module" list; both survive a reload. The
// editor is checked with axe.
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
const EDIT = '/courses/digital-dannelse-i-udskolingen/edit';

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

/** The lesson titles of each module in the editor, in order. */
function outline(page) {
  return page.$$eval('.module-editor > li', (modules) =>
    modules.map((m) => [...m.querySelectorAll('.item-editor > li > a')].map((a) => a.textContent.trim())),
  );
}

test('a teacher drags a lesson into another module and moves one by keyboard', async () => {
  const teacher = await agora.newPage();
  await signIn(teacher, 'karen.nielsen@aarhus-akademi.example');
  await hydrated(teacher, EDIT);
  await expectNoAxeViolations(teacher, `${EDIT} with the drag hint and module lists`);
  const before = await outline(teacher);
  assert.equal(before.length, 2);
  assert.equal(before[0].length, 2);

  // Drag the first lesson of module 1 onto the first lesson of module 2: it takes that place.
  const dragged = teacher.locator('.module-editor > li').nth(0).locator('.item-editor > li').nth(0);
  const target = teacher.locator('.module-editor > li').nth(1).locator('.item-editor > li').nth(0);
  await Promise.all([teacher.waitForURL(/\?status=moved$/), dragged.dragTo(target)]);
  await waitForHydration(teacher);
  const dropped = await outline(teacher);
  assert.deepEqual(dropped, [[before[0][1]], [before[0][0], ...before[1]]]);

  // By keyboard: focus the module list of the last lesson, pick the first module, press Enter.
  const last = before[1][before[1].length - 1];
  const select = teacher.getByLabel(new RegExp(`^(Module for|Modul til|Modul för) ${last.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
  await select.focus();
  await select.selectOption({ index: 0 });
  await select.press('Tab');
  await Promise.all([teacher.waitForURL(/\?status=moved$/), teacher.keyboard.press('Enter')]);
  await waitForHydration(teacher);
  const moved = await outline(teacher);
  assert.deepEqual(moved, [[before[0][1], last], [before[0][0], ...before[1].slice(0, -1)]]);

  // The order is stored: a fresh load shows the same.
  await hydrated(teacher, EDIT);
  assert.deepEqual(await outline(teacher), moved);
  expectNoPageErrors(teacher);
  await teacher.context().close();
});
