// Course content order (issue 7): a demo teacher drags a lesson into another module and a
// module above another with the mouse (real HTML5 drag and drop in Chromium), and moves a
// lesson to another module by keyboard through its "move to module" list; every change
// survives a reload. The editor is checked with axe after each change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useAgora,
  expectNoAxeViolations,
  expectNoPageErrors,
  waitForHydration,
  pollUntil,
} from '../harness.mjs';

const agora = useAgora();
const EDIT = '/courses/digital-dannelse-i-udskolingen/edit';

// The demo course's content (server/src/seed.rs).
const M1 = 'Kildekritik i en algoritmisk verden';
const M2 = 'Elevernes digitale fodaftryk';
const FEED = 'Hvordan virker et feed?';
const FAKE = 'Falske nyheder og faktatjek';
const TRACE = 'Hvad ved nettet om mig?';
const CONSENT = 'Samtykke og billeddeling';

/** Each module's title and its lessons' titles, in the editor's order. */
/**
 * Waits until the outline reads `expected`: a drop or a move leads to a new page, whose
 * outline is drawn once its data arrives, so the first reading may still be the old one.
 */
async function expectOutline(page, expected) {
  let last;
  try {
    await pollUntil(
      async () => {
        last = await outline(page);
        return JSON.stringify(last) === JSON.stringify(expected);
      },
      { interval: 100, message: 'the outline' },
    );
  } catch {
    assert.deepEqual(last, expected);
  }
}

function outline(page) {
  return page.$$eval('.module-editor > li', (modules) =>
    modules.map((m) => [
      m.querySelector('h3').textContent.trim(),
      [...m.querySelectorAll('.item-editor > li > a')].map((a) => a.textContent.trim()),
    ]),
  );
}

/** A module's heading or a lesson's link in the editor, by its text. */
const title = (page, text) => page.locator('.module-editor > li > h3, .item-editor > li > a').filter({ hasText: new RegExp(`^${text.replace(/[?.]/g, '\\$&')}$`) });

/** The event types that the list entry holding `text` listens to (through the DevTools protocol). */
async function entryListeners(page, text) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { result } = await cdp.send('Runtime.evaluate', {
      expression: `[...document.querySelectorAll('.module-editor > li > h3, .item-editor > li > a')].find((e) => e.textContent.trim() === ${JSON.stringify(text)})?.closest('li')`,
    });
    if (!result.objectId) return [];
    const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId });
    return listeners.map((l) => l.type);
  } finally {
    await cdp.detach().catch(() => {});
  }
}

/**
 * Drags the module or lesson titled `from` onto the one titled `to` with the mouse, in real
 * HTML5 drag and drop, and waits for the editor the drop leads to.
 *
 * Both must be on screen together before the button goes down: Chromium takes the dragged
 * element, at the first move, from the viewport point where the button was pressed. If the
 * page scrolls in between (as `dragTo` does to bring a target below the fold into view), the
 * drag starts from whatever is under that point by then — the target itself, or a control
 * that cannot be dragged — and the drop changes nothing.
 */
async function dragAndWait(page, from, to) {
  // The editor's handlers come with hydration, after the header's: wait for them.
  await pollUntil(
    async () => (await entryListeners(page, from)).includes('dragstart') && (await entryListeners(page, to)).includes('drop'),
    { message: 'the content editor has no drag handlers (did it hydrate?)' },
  );
  const [source, target] = [title(page, from), title(page, to)];
  const [a, b] = [await source.boundingBox(), await target.boundingBox()];
  const middle = (Math.min(a.y, b.y) + Math.max(a.y + a.height, b.y + b.height)) / 2;
  await page.evaluate((dy) => window.scrollBy(0, dy), middle - page.viewportSize().height / 2);
  for (const box of [await source.boundingBox(), await target.boundingBox()]) {
    assert.ok(box.y >= 0 && box.y + box.height <= page.viewportSize().height, `${from} and ${to} are on screen together`);
  }
  await Promise.all([page.waitForURL(/\?status=moved$/), source.dragTo(target)]);
  await waitForHydration(page);
}

test('a teacher reorders course content by dragging and by keyboard; the order is kept', async () => {
  const teacher = await agora.newPage();
  await agora.signIn(teacher, 'karen.nielsen@aarhus-akademi.example');
  await agora.hydrated(teacher, EDIT);
  await expectNoAxeViolations(teacher, `${EDIT} with the drag hint and module lists`);
  await expectOutline(teacher, [
    [M1, [FEED, FAKE]],
    [M2, [TRACE, CONSENT]],
  ]);

  // A lesson dragged onto a lesson of another module takes that lesson's place there.
  await dragAndWait(teacher, FEED, TRACE);
  await expectOutline(teacher, [
    [M1, [FAKE]],
    [M2, [FEED, TRACE, CONSENT]],
  ]);
  await expectNoAxeViolations(teacher, `${EDIT} after dragging a lesson`);

  // A module dragged by its heading onto the module above takes its place.
  await dragAndWait(teacher, M2, M1);
  const dragged = [
    [M2, [FEED, TRACE, CONSENT]],
    [M1, [FAKE]],
  ];
  await expectOutline(teacher, dragged);

  // Stored: a fresh load shows the same order.
  await agora.hydrated(teacher, EDIT);
  await expectOutline(teacher, dragged);

  // By keyboard: the lesson's module list, Tab to its button, Enter. It goes to the end of
  // the chosen module.
  const select = teacher.getByLabel(`Module for ${CONSENT}`, { exact: true });
  await select.focus();
  await select.selectOption({ label: M1 });
  await teacher.keyboard.press('Tab');
  assert.equal(
    await teacher.evaluate(() => document.activeElement?.getAttribute('aria-label')),
    `Move ${CONSENT} to another module`,
    'Tab leads from the list to its button',
  );
  await Promise.all([teacher.waitForURL(/\?status=moved$/), teacher.keyboard.press('Enter')]);
  await waitForHydration(teacher);
  const moved = [
    [M2, [FEED, TRACE]],
    [M1, [FAKE, CONSENT]],
  ];
  await expectOutline(teacher, moved);
  await expectNoAxeViolations(teacher, `${EDIT} after a keyboard move`);

  await agora.hydrated(teacher, EDIT);
  await expectOutline(teacher, moved);

  // Learners follow the same order: the public syllabus lists the modules as arranged.
  const syllabus = await agora.newPage();
  await agora.hydrated(syllabus, '/courses/digital-dannelse-i-udskolingen');
  const text = await syllabus.textContent('main');
  assert.ok(text.indexOf(M2) < text.indexOf(M1), 'the moved module comes first in the syllabus');
  assert.ok(text.indexOf(CONSENT) > text.indexOf(FAKE), 'the moved lesson ends its new module');
  await expectNoAxeViolations(syllabus, '/courses/digital-dannelse-i-udskolingen after reordering');

  for (const p of [teacher, syllabus]) {
    expectNoPageErrors(p);
    await p.context().close();
  }
});
