// The OpenID Connect provider of Agora's tests (S6): oauth2-mock-server, pinned in
// package.json, on 127.0.0.1. Usage: node server.mjs PORT. Prints the issuer URL when ready.
//
// The mock signs everyone in at once; who signs in, and what goes wrong, is chosen per
// sign-in by a `login_hint` that the test adds to the authorization URL: a JSON object,
// every key optional.
//   sub, email (null: no e-mail), email_verified, given_name, family_name, name
//                  the person (null leaves a claim out)
//   error          the authorization endpoint answers with this error (e.g. access_denied)
//   token_error    the token endpoint refuses the code with this error (e.g. invalid_grant)
//   nonce, aud     the ID token carries this nonce / audience instead of the right one
// Without a login_hint: Robin Mock <robin.mock@example.org>, verified, subject mock-robin.
//
// The userinfo endpoint answers for the person of the access token. Asked with `?fields=`,
// as Agora asks Facebook's Graph API `/me`, it answers in Facebook's shape (`id`,
// `first_name`, `last_name`), so the Facebook code path can be tested here too.
import { OAuth2Server } from 'oauth2-mock-server';

const DEFAULT_PERSON = {
  sub: 'mock-robin',
  email: 'robin.mock@example.org',
  email_verified: true,
  given_name: 'Robin',
  family_name: 'Mock',
  name: 'Robin Mock',
};
const PROFILE_CLAIMS = ['email', 'email_verified', 'given_name', 'family_name', 'name'];

const port = Number(process.argv[2] ?? 0);
const server = new OAuth2Server();
await server.issuer.keys.generate('RS256');
const service = server.service;

/** authorization code -> person and behaviour of that sign-in */
const byCode = new Map();
/** subject -> person, for the userinfo endpoint */
const bySubject = new Map();

function hintOf(req) {
  const raw = req.query?.login_hint;
  if (typeof raw !== 'string' || raw === '') return {};
  try {
    const hint = JSON.parse(raw);
    return hint && typeof hint === 'object' ? hint : {};
  } catch {
    return {};
  }
}

function profile(person) {
  const out = {};
  for (const key of PROFILE_CLAIMS) {
    if (person[key] !== null && person[key] !== undefined) out[key] = person[key];
  }
  return out;
}

service.on('beforeAuthorizeRedirect', ({ url }, req) => {
  const hint = hintOf(req);
  if (hint.error) {
    url.searchParams.delete('code');
    url.searchParams.set('error', String(hint.error));
    url.searchParams.set('error_description', 'chosen by the test');
    return;
  }
  const person = { ...DEFAULT_PERSON, ...hint };
  byCode.set(url.searchParams.get('code'), person);
  bySubject.set(person.sub, person);
});

service.on('beforeTokenSigning', (token, req) => {
  const person = byCode.get(req.body?.code);
  if (!person) return;
  token.payload.sub = person.sub;
  // The access token carries a scope; the ID token an audience.
  if ('scope' in token.payload) return;
  Object.assign(token.payload, profile(person));
  if (person.nonce !== undefined) token.payload.nonce = person.nonce;
  if (person.aud !== undefined) token.payload.aud = person.aud;
});

service.on('beforeResponse', (response, req) => {
  const code = req.body?.code;
  const person = byCode.get(code);
  byCode.delete(code);
  if (person?.token_error) {
    response.statusCode = 400;
    response.body = { error: String(person.token_error) };
  }
});

service.on('beforeUserinfo', (response, req) => {
  const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
  let sub;
  try {
    sub = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()).sub;
  } catch {
    sub = undefined;
  }
  const person = bySubject.get(sub) ?? (sub === DEFAULT_PERSON.sub ? DEFAULT_PERSON : undefined);
  if (!person) {
    response.statusCode = 401;
    response.body = { error: 'invalid_token' };
    return;
  }
  const claims = profile(person);
  if (req.query?.fields !== undefined) {
    response.body = { id: person.sub, name: claims.name, first_name: claims.given_name, last_name: claims.family_name };
    if (claims.email) response.body.email = claims.email;
  } else {
    response.body = { sub: person.sub, ...claims };
  }
});

// The issuer is named by the address the tests use (the package would say localhost).
if (port) server.issuer.url = `http://127.0.0.1:${port}`;
await server.start(port, '127.0.0.1');
console.log(server.issuer.url);

const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
