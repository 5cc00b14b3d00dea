import { grantInputSchema, type GrantInput } from '@meridian/contracts';
import { z } from 'zod';

/**
 * OpenID Connect sign-in (Microsoft Entra ID / Azure AD or any OIDC provider), from the environment:
 *   MERIDIAN_OIDC_ISSUER            e.g. https://login.microsoftonline.com/<tenant>/v2.0
 *   MERIDIAN_OIDC_CLIENT_ID / MERIDIAN_OIDC_CLIENT_SECRET
 *   MERIDIAN_OIDC_REDIRECT_URL      https://meridian.example.com/api/auth/oidc/callback
 *   MERIDIAN_OIDC_ALLOWED_TENANTS   comma list of `tid` values; empty = any tenant the issuer signs for
 *   MERIDIAN_OIDC_ROLES_CLAIM       claim holding app roles or groups (default "roles")
 *   MERIDIAN_OIDC_GRANTS            JSON: { "<claim value>": [ { "accountId": "eu" | null, "role": "viewer" } ] }
 */
export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUrl: string;
  allowedTenants: string[];
  rolesClaim: string;
  grantMap: Record<string, GrantInput[]>;
}

const grantMapSchema = z.record(z.string(), z.array(grantInputSchema));

export function oidcConfigFromEnv(env: NodeJS.ProcessEnv): OidcConfig | undefined {
  if (!env.MERIDIAN_OIDC_ISSUER) return undefined;
  const missing = ['MERIDIAN_OIDC_CLIENT_ID', 'MERIDIAN_OIDC_CLIENT_SECRET', 'MERIDIAN_OIDC_REDIRECT_URL'].filter((k) => !env[k]);
  if (missing.length) throw new Error(`OpenID Connect is configured (MERIDIAN_OIDC_ISSUER) but ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing`);
  let grantMap: Record<string, GrantInput[]> = {};
  if (env.MERIDIAN_OIDC_GRANTS) {
    const parsed = grantMapSchema.safeParse(JSON.parse(env.MERIDIAN_OIDC_GRANTS));
    if (!parsed.success) throw new Error(`MERIDIAN_OIDC_GRANTS is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    grantMap = parsed.data;
  }
  return {
    issuer: env.MERIDIAN_OIDC_ISSUER.replace(/\/+$/, ''),
    clientId: env.MERIDIAN_OIDC_CLIENT_ID!,
    clientSecret: env.MERIDIAN_OIDC_CLIENT_SECRET!,
    redirectUrl: env.MERIDIAN_OIDC_REDIRECT_URL!,
    allowedTenants: (env.MERIDIAN_OIDC_ALLOWED_TENANTS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    rolesClaim: env.MERIDIAN_OIDC_ROLES_CLAIM || 'roles',
    grantMap,
  };
}

/** Claims → grants: the union of the grants mapped from each role/group value the token carries. */
export function grantsFromClaims(claims: Record<string, unknown>, config: OidcConfig): GrantInput[] {
  const raw = claims[config.rolesClaim];
  const values = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? [raw] : [];
  const seen = new Set<string>();
  const out: GrantInput[] = [];
  for (const v of values) {
    for (const g of config.grantMap[v] ?? []) {
      const key = JSON.stringify([g.accountId, g.role, g.customerId ?? null]);
      if (!seen.has(key)) {
        seen.add(key);
        out.push(g);
      }
    }
  }
  return out;
}
