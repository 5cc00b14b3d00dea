/**
 * Simulated Azure AD token endpoints, one authority per cloud:
 *   POST /login/{cloud}/{tenantId}/oauth2/token        (v1: resource=…)
 *   POST /login/{cloud}/{tenantId}/oauth2/v2.0/token   (v2: scope={resource}/.default)
 * Grants: client_credentials (app-only) and refresh_token (app+user: the refresh token comes from
 * `POST /_sim/accounts/{id}/refresh-token`, standing in for the admin's one-time consent).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CLOUDS, isCloudId } from './catalog';
import type { SimContext } from './context';
import { GRAPH_PERMISSION, GRAPH_RESOURCE, hasGraph } from './graph-config';
import { header, readBody, sendJson } from './http-util';
import { issueAccessToken, issueRefreshToken, readRefreshToken, type RefreshClaims } from './tokens';

function aadError(
  ctx: SimContext,
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  error: string,
  code: number,
  message: string,
): void {
  const traceId = randomUUID();
  const correlationId = header(req, 'client-request-id') ?? randomUUID();
  const timestamp = new Date(ctx.wallClock()).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  sendJson(
    res,
    status,
    {
      error,
      error_description: `AADSTS${code}: ${message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `${ctx.publicUrl}/login/error?code=${code}`,
    },
    { 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache', 'client-request-id': correlationId },
  );
}

/** `segs` = path segments after "login". */
export async function handleLogin(ctx: SimContext, req: IncomingMessage, res: ServerResponse, segs: string[]): Promise<void> {
  const [cloudId, tenant, ...rest] = segs;
  const route = rest.join('/').toLowerCase();
  const version = route === 'oauth2/token' ? 1 : route === 'oauth2/v2.0/token' ? 2 : 0;
  if (!cloudId || !isCloudId(cloudId) || !tenant || version === 0) {
    sendJson(res, 404, { error: 'not_found', error_description: 'Unknown authority endpoint' });
    return;
  }
  if (req.method !== 'POST') {
    aadError(ctx, req, res, 400, 'invalid_request', 900561, 'The endpoint only accepts POST requests. Received a ' + req.method + ' request.');
    return;
  }
  const cloud = CLOUDS[cloudId];
  const acct = ctx.models.find((m) => m.def.cloud === cloudId && m.tenantId === tenant.toLowerCase());
  if (!acct) {
    aadError(ctx, req, res, 400, 'invalid_request', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
    return;
  }
  const form = new URLSearchParams(await readBody(req));
  const grantType = form.get('grant_type');
  if (!grantType) {
    aadError(ctx, req, res, 400, 'invalid_request', 900144, "The request body must contain the following parameter: 'grant_type'.");
    return;
  }
  if (grantType !== 'client_credentials' && grantType !== 'refresh_token') {
    aadError(ctx, req, res, 400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType}'.`);
    return;
  }
  const clientId = form.get('client_id');
  if (!clientId) {
    aadError(ctx, req, res, 400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.");
    return;
  }
  if (clientId.toLowerCase() !== acct.appId) {
    aadError(ctx, req, res, 400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${acct.tenantId}'.`);
    return;
  }
  const secret = form.get('client_secret');
  let user: RefreshClaims | null = null;
  if (grantType === 'refresh_token') {
    const rt = form.get('refresh_token');
    if (!rt) {
      aadError(ctx, req, res, 400, 'invalid_request', 900144, "The request body must contain the following parameter: 'refresh_token'.");
      return;
    }
    user = readRefreshToken(ctx.signer, rt);
    if (!user || user.acct !== acct.def.id || user.appid !== acct.appId) {
      aadError(ctx, req, res, 400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid: the refresh token is invalid or was not issued to this application.');
      return;
    }
  }
  if (!secret) {
    aadError(ctx, req, res, 401, 'invalid_client', 7000216, `'client_assertion', 'client_secret' or 'request' is required for the '${grantType}' grant type.`);
    return;
  }
  if (secret !== acct.secret || ctx.faults.isRevoked(acct.def.id)) {
    aadError(ctx, req, res, 401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${acct.appId}'.`);
    return;
  }
  // Microsoft Graph (the billing export, §5.5) is a resource of the global cloud only.
  const isGraph = (r: string): boolean => r.replace(/\/+$/, '').toLowerCase() === GRAPH_RESOURCE && hasGraph(acct);
  let aud = cloud.resource;
  if (version === 1 && !(user && !form.get('resource'))) {
    const resource = form.get('resource');
    if (!resource) {
      aadError(ctx, req, res, 400, 'invalid_request', 900144, "The request body must contain the following parameter: 'resource'.");
      return;
    }
    if (isGraph(resource)) aud = GRAPH_RESOURCE;
    else if (resource.replace(/\/+$/, '').toLowerCase() !== cloud.resource) {
      aadError(ctx, req, res, 400, 'invalid_resource', 500011, `The resource principal named ${resource} was not found in the tenant named ${acct.tenantId}.`);
      return;
    }
  } else if (version === 2) {
    const scope = form.get('scope');
    if (!scope) {
      aadError(ctx, req, res, 400, 'invalid_request', 900144, "The request body must contain the following parameter: 'scope'.");
      return;
    }
    const m = /^(.*?)\/+\.default$/i.exec(scope.trim());
    if (!m) {
      aadError(ctx, req, res, 400, 'invalid_scope', 1002012, `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
      return;
    }
    if (isGraph(m[1])) aud = GRAPH_RESOURCE;
    else if (m[1].toLowerCase() !== cloud.resource) {
      aadError(ctx, req, res, 400, 'invalid_resource', 500011, `The resource principal named ${m[1]} was not found in the tenant named ${acct.tenantId}.`);
      return;
    }
  }
  const now = Math.floor(ctx.wallClock() / 1000);
  const ttl = ctx.tokenTtlSeconds;
  // PartnerBilling.Read.All is an application permission: only app-only Graph tokens carry it.
  const roles = aud === GRAPH_RESOURCE && !user && ctx.graph.get(acct.def.id).permission ? { roles: [GRAPH_PERMISSION] } : {};
  const token = issueAccessToken(ctx.signer, {
    aud,
    iss: `${ctx.publicUrl}/login/${cloudId}/${acct.tenantId}/`,
    cloud: cloudId,
    tid: acct.tenantId,
    appid: acct.appId,
    acct: acct.def.id,
    iat: now,
    nbf: now,
    exp: now + ttl,
    ver: version === 1 ? '1.0' : '2.0',
    ...(user ? { upn: user.upn, role: user.role } : {}),
    ...roles,
  });
  const refresh = user ? { refresh_token: issueRefreshToken(ctx.signer, user), scope: 'user_impersonation' } : {};
  const headers = { 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache' };
  if (version === 1) {
    sendJson(
      res,
      200,
      {
        token_type: 'Bearer',
        expires_in: String(ttl),
        ext_expires_in: String(ttl),
        expires_on: String(now + ttl),
        not_before: String(now),
        resource: aud,
        access_token: token,
        ...refresh,
      },
      headers,
    );
  } else {
    // The v2 endpoint sends numbers, as Azure AD does.
    sendJson(res, 200, { token_type: 'Bearer', expires_in: ttl, ext_expires_in: ttl, access_token: token, ...refresh }, headers);
  }
}
