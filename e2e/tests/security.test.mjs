// Journey 5: security headers, and a page that loads and hydrates under its own strict
// Content-Security-Policy without a single violation or console error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useAgora,
  describeProblems,
  expectNoAxeViolations,
  expectNoPageErrors,
  gotoAndLoadWasm,
  openMenuOnceHydrated,
  pollUntil,
  NARROW,
} from '../harness.mjs';

const agora = useAgora();

/** Parses a CSP header into { directive: [values] }. */
function parseCsp(header) {
  const out = {};
  for (const part of header.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) out[name.toLowerCase()] = values;
  }
  return out;
}

test('pages carry the security headers and a nonce-based CSP', async () => {
  const res = await fetch(agora.url('/'));
  assert.equal(res.status, 200);
  const header = res.headers.get('content-security-policy');
  assert.ok(header, 'a Content-Security-Policy header is sent');
  const csp = parseCsp(header);
  assert.deepEqual(csp['frame-ancestors'], ["'none'"]);
  assert.deepEqual(csp['object-src'], ["'none'"]);
  assert.deepEqual(csp['default-src'], ["'self'"]);
  assert.deepEqual(csp['base-uri'], ["'self'"]);
  const scriptSrc = csp['script-src'] ?? [];
  const nonces = scriptSrc.filter((v) => /^'nonce-[A-Za-z0-9+/_=-]{16,}'$/.test(v));
  assert.equal(nonces.length, 1, `script-src has one nonce: ${scriptSrc.join(' ')}`);
  for (const unsafe of ["'unsafe-inline'", "'unsafe-eval'", '*', 'data:']) {
    assert.ok(!scriptSrc.includes(unsafe), `script-src does not allow ${unsafe}`);
  }
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(res.headers.get('x-frame-options'), 'DENY');
  assert.equal(res.headers.get('referrer-policy'), 'strict-origin-when-cross-origin');

  // Every script in the page carries that nonce, and the nonce is new for every response.
  const nonce = nonces[0].slice("'nonce-".length, -1);
  const html = await res.text();
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  assert.ok(scripts.length > 0, 'the page has scripts');
  for (const tag of scripts) assert.ok(tag.includes(`nonce="${nonce}"`), `script without the nonce: ${tag}`);
  const again = parseCsp((await fetch(agora.url('/'))).headers.get('content-security-policy'));
  const nonceAgain = again['script-src'].find((v) => v.startsWith("'nonce-"));
  assert.notEqual(nonceAgain, nonces[0], 'a fresh nonce per response');

  // Other responses get the strict default policy and the same headers.
  for (const path of ['/readyz', '/agora.css', '/pkg/agora.js', '/no-such-page']) {
    const other = await fetch(agora.url(path));
    const otherCsp = parseCsp(other.headers.get('content-security-policy') ?? '');
    assert.deepEqual(otherCsp['frame-ancestors'], ["'none'"], `frame-ancestors on ${path}`);
    assert.equal(other.headers.get('x-content-type-options'), 'nosniff', `nosniff on ${path}`);
  }
});

test('pages load and hydrate under the CSP with no violations or console errors', async () => {
  // bypassCSP: false, so Chromium enforces the policy exactly as a visitor's browser does.
  const page = await agora.newPage({ bypassCSP: false, viewport: NARROW });
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  const failed = [];
  page.on('requestfailed', (r) => failed.push(`${r.url()}: ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.url()}: HTTP ${r.status()}`);
  });

  const response = await gotoAndLoadWasm(page, agora.url('/'));
  assert.match(response.headers()['content-security-policy'] ?? '', /'nonce-/);
  // Hydrated: the WebAssembly ran under the policy.
  await openMenuOnceHydrated(page);
  // A client-side navigation, which calls a server function.
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Organisations' }).click();
  await page.waitForURL(agora.url('/organisations'));
  await page.locator('main .card-title').first().waitFor();
  await pollUntil(async () => (await page.title()) === 'Organisations · Agora', { message: 'the title did not update' });

  const violations = await page.evaluate(() => window.__cspViolations);
  assert.deepEqual(violations, [], `CSP violations:\n${violations.join('\n')}`);
  assert.deepEqual(failed, [], `failed requests:\n${failed.join('\n')}`);
  assert.equal(describeProblems(page), '', 'no console errors');
  expectNoPageErrors(page);
  await expectNoAxeViolations(page, '/organisations (under the CSP)');
  await page.context().close();
});

test('the site refuses to be framed', async () => {
  // A page of another origin (about:blank) frames Agora: the browser must refuse.
  const page = await agora.newPage({ bypassCSP: false });
  const blocked = page.waitForEvent('console', (m) => /frame-ancestors|Refused to (display|frame)/i.test(m.text()));
  await page.setContent(
    `<!DOCTYPE html><html lang="en"><title>Framer</title><iframe title="Agora" src="${agora.url('/')}"></iframe></html>`,
  );
  const message = await blocked;
  assert.match(message.text(), new RegExp(agora.url('/').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')));
  const frame = page.frames().find((f) => f !== page.mainFrame());
  assert.ok(frame, 'the iframe exists');
  const text = await frame.evaluate(() => document.body?.innerText ?? '').catch(() => '');
  assert.ok(!text.includes('Learn with teachers across Europe'), 'the framed page did not render');
  await page.context().close();
});
