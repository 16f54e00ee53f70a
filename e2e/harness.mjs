// Shared by every browser test: a real Agora server on a free port with its own demo data,
// Debian's Chromium driven by playwright-core, and the axe-core accessibility check.
//
// Each test file calls `useAgora()` once at the top level; its before/after hooks start the
// server and the browser for that file's tests and stop them afterwards.
import { spawn, execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '..');

/** axe-core's browser bundle, injected into pages as a script. */
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The Chromium the project installs from Debian (scripts/lib.sh); never a downloaded one. */
export const CHROMIUM_PATH = process.env.AGORA_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless=new',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** How long the server may take to seed and to answer /readyz. */
const STARTUP_TIMEOUT_MS = 30_000;
/** A phone-sized viewport, where the header collapses behind the menu button. */
export const NARROW = { width: 375, height: 800 };
/** Upper bound for any single wait inside a test (hydration, navigation, polling). */
export const WAIT_MS = 15_000;

/** Every demo account's password (`agora seed --demo`). */
export const DEMO_PASSWORD = 'agora-demo-2026';

/** Clicks `target` (a button or link), waits for `url`, and for that page to hydrate. */
export async function clickAndFollow(page, target, url) {
  await Promise.all([page.waitForURL(url), target.click()]);
  await waitForHydration(page);
  await mainHasArrived(page);
}

/**
 * Resolves once `main` shows content. After a client-side navigation the address changes
 * before the new page's data has arrived, and `main` stays empty until it has (on a busy
 * machine for a noticeable while): reading it earlier reads nothing.
 */
export async function mainHasArrived(page) {
  await pollUntil(
    () => page.evaluate(() => (document.querySelector('main')?.textContent ?? '').trim().length > 0),
    { interval: 100, message: `main stayed empty on ${page.url()}` },
  );
}

/** The same demo course titles that `agora seed --demo` loads (server/src/seed.rs). */
export const DEMO_COURSES = [
  'Formative assessment in practice',
  'Digital dannelse i udskolingen',
  'Språkutvecklande undervisning i alla ämnen',
];
export const DEMO_ORGANISATIONS = [
  'European Teacher Institute',
  'Aarhus Læreakademi',
  'Skolverkstaden Göteborg',
];

function defaultBinary() {
  const target =
    process.env.CARGO_TARGET_DIR ??
    (existsSync('/var/cache/agora-target') ? '/var/cache/agora-target' : join(REPO, 'target'));
  return join(target, 'release', 'agora');
}

/** A port on 127.0.0.1 that nothing listens on right now. */
export function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * The environment for the server: ours, less anything that would point it at another
 * database, site or address than the flags we give it.
 */
function serverEnv() {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key === 'DATABASE_URL' || key.startsWith('AGORA_') || key.startsWith('LEPTOS_')) delete env[key];
  }
  env.RUST_LOG ??= 'warn';
  env.NO_COLOR = '1';
  return env;
}

/**
 * Seeds a fresh data directory with the demo and starts `agora serve` on a free port.
 * Resolves once GET /readyz answers 200. Retries with another port if the chosen one was
 * taken in the meantime. `extraEnv` is added to the server's environment (e.g. the
 * `AGORA_AUTH_*` variables of sign-in providers).
 */
export async function startAgora(extraEnv = {}) {
  const bin = resolve(process.env.AGORA_BIN ?? defaultBinary());
  const siteRoot = resolve(process.env.AGORA_SITE_ROOT ?? join(REPO, 'site'));
  if (!existsSync(bin)) {
    throw new Error(`AGORA_BIN ${bin} does not exist: build it with scripts/lib.sh build_release`);
  }
  if (!existsSync(join(siteRoot, 'pkg', 'agora_bg.wasm'))) {
    throw new Error(`AGORA_SITE_ROOT ${siteRoot} has no pkg/agora_bg.wasm: build it with scripts/lib.sh build_release`);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'agora-e2e-'));
  const env = { ...serverEnv(), ...extraEnv };
  try {
    await promisify(execFile)(bin, ['seed', '--demo', '--data-dir', dataDir], {
      env,
      timeout: STARTUP_TIMEOUT_MS,
    });
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`agora seed --demo failed: ${err.message}\n${err.stderr ?? ''}`);
  }

  let lastError;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const baseURL = `http://127.0.0.1:${port}`;
    const child = spawn(
      bin,
      ['serve', '--bind', `127.0.0.1:${port}`, '--data-dir', dataDir, '--site-root', siteRoot],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let log = '';
    const keep = (chunk) => {
      log = (log + chunk.toString()).slice(-20_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let exited = null;
    const exit = new Promise((r) => child.once('exit', (code, signal) => r((exited = { code, signal }))));

    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    let ready = false;
    while (!exited && Date.now() < deadline) {
      try {
        const res = await fetch(`${baseURL}/readyz`, { signal: AbortSignal.timeout(2_000) });
        if (res.status === 200) {
          ready = true;
          break;
        }
      } catch {
        // Not listening yet.
      }
      await sleep(100);
    }
    if (ready) {
      let stopped = false;
      child.once('exit', (code, signal) => {
        if (!stopped) process.stderr.write(`agora server exited unexpectedly (${code ?? signal}):\n${log}\n`);
      });
      return {
        baseURL,
        dataDir,
        log: () => log,
        async stop() {
          stopped = true;
          if (!exited) {
            child.kill('SIGTERM');
            const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
            await exit;
            clearTimeout(killer);
          }
          rmSync(dataDir, { recursive: true, force: true });
        },
      };
    }
    if (!exited) {
      child.kill('SIGKILL');
      await exit;
    }
    lastError = new Error(
      `agora serve did not become ready on ${baseURL} (${exited ? `exited ${exited.code ?? exited.signal}` : 'timed out'}):\n${log}`,
    );
    // A port taken between freePort() and bind: try another one. Anything else: give up.
    if (!/address already in use|AddrInUse/i.test(log)) break;
  }
  rmSync(dataDir, { recursive: true, force: true });
  throw lastError;
}

export function launchChromium() {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: STARTUP_TIMEOUT_MS });
}

/**
 * Starts a server and a browser for the calling test file. The returned object is filled in
 * by the before hook: `baseURL`, `browser`, and helpers to open pages. `env` adds variables
 * to the server's environment.
 */
export function useAgora({ env = {} } = {}) {
  const suite = {
    baseURL: '',
    browser: null,
    server: null,
    url: (path) => new URL(path, suite.baseURL).href,
    /**
     * A new browser context. `bypassCSP` defaults to true so axe-core can be injected;
     * pass `bypassCSP: false` to test the page under its real Content-Security-Policy.
     */
    async newContext(options = {}) {
      const context = await suite.browser.newContext({ bypassCSP: true, locale: 'en-US', ...options });
      enforcesCsp.set(context, options.bypassCSP === false);
      context.setDefaultTimeout(WAIT_MS);
      context.setDefaultNavigationTimeout(WAIT_MS);
      return context;
    },
    /** Opens `path` and waits until the page has hydrated. */
    async hydrated(page, path) {
      await gotoAndLoadWasm(page, suite.url(path));
      await waitForHydration(page);
    },
    /** Signs in on `/sign-in` (a demo account unless `password` is given) and waits to leave it. */
    async signIn(page, email, password = DEMO_PASSWORD) {
      await suite.hydrated(page, '/sign-in');
      await page.fill('#f-email', email);
      await page.fill('#f-password', password);
      await Promise.all([
        page.waitForURL((u) => !u.pathname.startsWith('/sign-in')),
        page.click('main form button[type=submit]'),
      ]);
    },
    /** A page in a new context, with its console errors and uncaught exceptions recorded. */
    async newPage(options = {}) {
      const context = await suite.newContext(options);
      const page = await context.newPage();
      watchProblems(page);
      return page;
    },
  };
  before(async () => {
    suite.server = await startAgora(env);
    suite.baseURL = suite.server.baseURL;
    try {
      suite.browser = await launchChromium();
    } catch (err) {
      await suite.server.stop();
      throw err;
    }
  });
  after(async () => {
    await suite.browser?.close();
    await suite.server?.stop();
  });
  return suite;
}

const problemsOf = new WeakMap();
/** Contexts made with `bypassCSP: false`, where the page's own policy applies. */
const enforcesCsp = new WeakMap();

/** Records console errors, uncaught exceptions and crashes of `page`. */
export function watchProblems(page) {
  if (problemsOf.has(page)) return problemsOf.get(page);
  const problems = [];
  problemsOf.set(page, problems);
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      problems.push({ kind: 'console.error', text: msg.text(), url: msg.location()?.url ?? '' });
    }
  });
  page.on('pageerror', (err) => problems.push({ kind: 'pageerror', text: String(err?.stack ?? err) }));
  page.on('crash', () => problems.push({ kind: 'crash', text: 'the page crashed' }));
  return problems;
}

/** Whether the page threw an uncaught exception or crashed (hydration will not recover). */
export function hasUncaughtError(page) {
  return (problemsOf.get(page) ?? []).some((p) => p.kind !== 'console.error');
}

/** What the page has reported so far, one line each, for failure messages. */
export function describeProblems(page) {
  return (problemsOf.get(page) ?? []).map((p) => `  [${p.kind}] ${p.text}`).join('\n');
}

/**
 * Fails if the page logged a console error, threw an uncaught exception or crashed.
 * `allow` is a list of regular expressions for messages a test expects (e.g. the 404
 * status of the 404 page itself).
 */
export function expectNoPageErrors(page, { allow = [] } = {}) {
  const problems = (problemsOf.get(page) ?? []).filter((p) => !allow.some((re) => re.test(p.text)));
  assert.deepEqual(
    problems,
    [],
    `the page at ${page.url()} reported errors:\n${problems.map((p) => `  [${p.kind}] ${p.text}`).join('\n')}`,
  );
}

/**
 * Runs axe-core on the page as it is now and fails listing every violation with its impact
 * and the nodes concerned.
 */
export async function expectNoAxeViolations(page, label = page.url()) {
  const loaded = () => page.evaluate(() => typeof window.axe?.run === 'function');
  if (!(await loaded())) {
    if (enforcesCsp.get(page.context())) {
      // The page's CSP refuses inline scripts (and would log that as an error): evaluate the
      // source through the DevTools protocol instead, which the policy does not govern.
      await page.evaluate(AXE_SOURCE);
    } else {
      await page.addScriptTag({ content: AXE_SOURCE });
    }
    assert.ok(await loaded(), 'axe-core could not be injected into the page');
  }
  // `page.evaluate` has no timeout of its own; a stuck page must fail the test, not hang it.
  const violations = await withinMs(4 * WAIT_MS, page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
    }));
  }), `axe on ${label}`);
  const report = violations
    .map(
      (v) =>
        `  ${v.id} [${v.impact}] ${v.help} (${v.helpUrl})\n` +
        v.nodes.map((n) => `      ${n.target}\n        ${(n.summary ?? '').replace(/\n/g, '\n        ')}`).join('\n'),
    )
    .join('\n');
  assert.equal(violations.length, 0, `axe found ${violations.length} accessibility violation(s) on ${label}:\n${report}`);
}

/**
 * Loads `url` and resolves once the WebAssembly bundle has been downloaded. Hydration
 * follows a moment later; use `pollUntil` for whatever needs the hydrated page.
 */
export async function gotoAndLoadWasm(page, url) {
  const wasm = page.waitForResponse((r) => new URL(r.url()).pathname === '/pkg/agora_bg.wasm', { timeout: WAIT_MS });
  const response = await page.goto(url);
  const wasmResponse = await wasm;
  assert.equal(wasmResponse.status(), 200, 'GET /pkg/agora_bg.wasm');
  // `finished()` can wait forever for a response Chromium took from its preload (seen in CI);
  // the hydration checks that follow are what count, so a late or missing event only waits.
  await withinMs(WAIT_MS, wasmResponse.finished(), 'loading /pkg/agora_bg.wasm').catch((err) => {
    if (process.env.AGORA_E2E_DEBUG) console.error(`[harness] ${err.message} (${url})`);
  });
  return response;
}

/** `promise`, or a rejection naming `what` once `ms` have passed. */
export function withinMs(ms, promise, what = 'the operation') {
  let timer;
  const expiry = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, expiry]).finally(() => clearTimeout(timer));
}

/**
 * Calls `attempt` until it returns a truthy value, and returns that value. Fails with
 * `message` (and the last error) after `timeout` ms, or as soon as `giveUpIf()` is true.
 */
export async function pollUntil(
  attempt,
  { timeout = WAIT_MS, interval = 200, message = 'condition not met', giveUpIf = () => false } = {},
) {
  const deadline = Date.now() + timeout;
  let lastError;
  for (;;) {
    if (giveUpIf()) throw new Error(`${message}: gave up early`);
    try {
      // An attempt that never settles (a page whose main thread is stuck does not answer
      // the DevTools protocol) must not outlast the deadline.
      const value = await withinMs(Math.max(deadline - Date.now(), interval), attempt(), message);
      if (value) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      throw new Error(`${message} within ${timeout} ms${lastError ? `: ${lastError.message}` : ''}`);
    }
    await sleep(interval);
  }
}

/**
 * Opens the narrow-screen menu (the page needs a viewport like `NARROW`), which proves
 * the page has hydrated: the button has no effect before. Until the bundle has hydrated the page a click does
 * nothing, so this clicks until the button reports the menu open.
 */
export async function openMenuOnceHydrated(page) {
  const toggle = page.locator('button.menu-toggle');
  try {
    await pollUntil(
      async () => {
        if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
        return (await toggle.getAttribute('aria-expanded')) === 'true';
      },
      {
        interval: 250,
        message: 'the menu button never set aria-expanded="true" (did the page hydrate?)',
        giveUpIf: () => hasUncaughtError(page),
      },
    );
  } catch (err) {
    const problems = describeProblems(page);
    throw new Error(problems ? `${err.message}\nThe page reported:\n${problems}` : err.message);
  }
}

/**
 * Resolves once the page has hydrated, without touching it: the header's menu button has
 * its click handler and the client-side router listens for history changes. Both are
 * attached by the WebAssembly bundle only (seen through the DevTools protocol).
 */
export async function waitForHydration(page, { timeout = WAIT_MS } = {}) {
  const cdp = await page.context().newCDPSession(page);
  const listenerTypes = async (expression) => {
    const { result } = await cdp.send('Runtime.evaluate', { expression });
    if (!result.objectId) return [];
    try {
      const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId });
      return listeners.map((l) => l.type);
    } finally {
      await cdp.send('Runtime.releaseObject', { objectId: result.objectId });
    }
  };
  try {
    await pollUntil(
      async () =>
        (await listenerTypes("document.querySelector('button.menu-toggle')")).includes('click') &&
        (await listenerTypes('window')).includes('popstate'),
      {
        timeout,
        interval: 100,
        message: 'the page did not hydrate (no click handler on the menu button)',
        giveUpIf: () => hasUncaughtError(page),
      },
    );
  } catch (err) {
    const problems = describeProblems(page);
    throw new Error(problems ? `${err.message}\nThe page reported:\n${problems}` : err.message);
  } finally {
    await cdp.detach().catch(() => {});
  }
}

/**
 * Opens `path` in a script-enabled context but refuses the WebAssembly bundle, so the page
 * stays exactly as the server rendered it: the document a visitor without JavaScript gets,
 * in a form axe-core can run in (Chromium does not run axe in a context with JavaScript off).
 */
export async function openServerRendered(suite, path, options = {}) {
  const context = await suite.newContext(options);
  await context.route('**/pkg/**', (route) => route.abort());
  const page = await context.newPage();
  await page.goto(suite.url(path));
  return page;
}
