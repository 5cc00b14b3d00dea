// A local OpenID Connect provider for the sign-in tests (the `oidc-provider` package, certified
// OpenID implementation), shaped like Microsoft Entra ID: `tid` (tenant) and `roles` claims.
// Usage: node oidc-provider.mjs '<json config>' → prints {"issuer": "..."} when listening.
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const { port = 0, clientId, clientSecret, redirectUri, users } = JSON.parse(process.argv[2]);

const server = createServer();
await new Promise((r) => server.listen(port, '127.0.0.1', r));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri], grant_types: ['authorization_code'], response_types: ['code'] }],
  // Entra ID puts tid, roles, email and name in the ID token itself.
  claims: { openid: ['sub', 'tid', 'roles', 'email', 'email_verified', 'name'] },
  conformIdTokenClaims: false,
  scopes: ['openid', 'email', 'profile'],
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  findAccount: (_ctx, id) => {
    const user = users[id];
    if (!user) return undefined;
    return { accountId: id, claims: () => ({ sub: id, email: user.email, email_verified: true, name: user.name, tid: user.tid, roles: user.roles }) };
  },
  // Consent is implied for this test client: the user only has to sign in.
  loadExistingGrant: async (ctx) => {
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile');
    grant.addOIDCClaims(['email', 'email_verified', 'name', 'tid', 'roles']);
    await grant.save();
    return grant;
  },
});
provider.proxy = false;
server.on('request', provider.callback());
process.stdout.write(JSON.stringify({ issuer }) + '\n');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
