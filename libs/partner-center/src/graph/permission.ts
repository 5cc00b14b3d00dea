/** The operator-facing error for a Graph 403: which permission to grant, to which app, in which tenant. */
import { PartnerCenterError } from '../errors';

export const GRAPH_BILLING_PERMISSION = 'PartnerBilling.Read.All';

/**
 * The partner tenant of a token URL `{authority}/{tenantId}/oauth2[/v2.0]/token`: the path segment
 * before `oauth2` (authorities may have path segments of their own, e.g. the simulator's
 * `/login/global/{tenantId}/…`).
 */
export function tenantFromTokenUrl(tokenUrl: string): string {
  try {
    const segments = new URL(tokenUrl).pathname.split('/').filter(Boolean);
    const at = segments.indexOf('oauth2');
    return at > 0 ? decodeURIComponent(segments[at - 1]!) : '(unknown tenant)';
  } catch {
    return '(unknown tenant)';
  }
}

export function permissionDescription(appId: string, tenantId: string): string {
  return `grant ${GRAPH_BILLING_PERMISSION} (application) to app ${appId} in tenant ${tenantId}`;
}

export interface PermissionErrorContext {
  appId: string;
  tenantId: string;
  graphCode?: string | number;
  graphMessage?: string;
  requestId: string;
  correlationId?: string;
  method: string;
  url: string;
}

export function permissionError(ctx: PermissionErrorContext): PartnerCenterError {
  const graphSaid = ctx.graphMessage ? ` (Graph: ${ctx.graphCode !== undefined ? `${String(ctx.graphCode)}: ` : ''}${ctx.graphMessage})` : '';
  return new PartnerCenterError({
    kind: 'permission',
    status: 403,
    code: ctx.graphCode,
    description: permissionDescription(ctx.appId, ctx.tenantId) + graphSaid,
    requestId: ctx.requestId,
    correlationId: ctx.correlationId,
    method: ctx.method,
    url: ctx.url,
    retryable: false,
  });
}
