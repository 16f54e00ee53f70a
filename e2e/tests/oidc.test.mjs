// Journey: sign-in with another account (S6). A visitor with no Agora account continues
// with an OpenID Connect provider (the mock of scripts/services/oidc.sh, which signs
// "Robin Mock" in at once), completes the account with what the provider did not give,
// and lands signed in; the new sign-in method shows in the settings. Every page is checked
// by axe-core.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useAgora, expectNoAxeViolations, expectNoPageErrors, waitForHydration } from '../harness.mjs';

const ISSUER = process.env.AGORA_TEST_OIDC_ISSUER;
if (!ISSUER && process.env.AGORA_REQUIRE_SERVICES) {
  throw new Error('AGORA_REQUIRE_SERVICES is set but AGORA_TEST_OIDC_ISSUER is not (start scripts/services/oidc.sh)');
}
const skip = ISSUER ? false : 'SKIPPED: no OpenID Connect test provider (start scripts/services/oidc.sh)';

const agora = ISSUER
  ? useAgora({
      env: {
        AGORA_AUTH_MOCK_CLIENT_ID: 'agora-e2e',
        AGORA_AUTH_MOCK_CLIENT_SECRET: 'agora-e2e-secret',
        AGORA_AUTH_MOCK_ISSUER: ISSUER,
        AGORA_AUTH_MOCK_NAME: 'Mock ID',
      },
    })
  : null;

test('a visitor signs in with another account, completes the account and lands signed in', { skip }, async () => {
  const page = await agora.newPage();

  // Nothing in progress yet: the page says so and offers the configured provider.
  await page.goto(agora.url('/welcome'));
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'No sign-in in progress');
  await expectNoAxeViolations(page, '/welcome with no sign-in in progress');

  // To the provider and back.
  await page.getByRole('link', { name: 'Continue with Mock ID' }).click();
  await page.getByRole('heading', { level: 1, name: 'Complete your account' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/welcome');
  const main = page.locator('main');
  assert.match(await main.textContent(), /robin\.mock@example\.org/, 'the address from the provider is shown');
  assert.equal(await page.getByLabel('E-mail address').count(), 0, 'and not asked again');
  const newsletter = page.getByLabel(/newsletter/);
  assert.equal(await newsletter.isChecked(), false, 'the newsletter is opt-in');
  await expectNoAxeViolations(page, '/welcome with the completion form');

  // Only what the provider did not give: user type and country.
  await waitForHydration(page);
  await page.getByLabel('I am').selectOption('teacher');
  await page.getByLabel('Country').selectOption('DK');
  await page.getByRole('button', { name: 'Create my account' }).click();
  await page.waitForURL(agora.url('/'));

  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name === 'agora_session');
  assert.ok(session, 'a session cookie was set');
  assert.equal(session.httpOnly, true);
  assert.equal(session.sameSite, 'Lax');
  assert.ok(!cookies.some((c) => c.name === 'agora_signin'), 'the sign-in cookie is gone');

  // Signed in: the settings list the new sign-in method.
  await page.goto(agora.url('/settings/accounts'));
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Sign-in methods');
  assert.match(await main.textContent(), /Mock ID/);
  assert.match(await main.textContent(), /robin\.mock@example\.org/);
  assert.ok(await page.getByRole('button', { name: 'Remove Mock ID' }).isVisible());
  await expectNoAxeViolations(page, '/settings/accounts');
  expectNoPageErrors(page);
});
