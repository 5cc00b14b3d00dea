import type { SimContext } from './context';
import { type GroundTruthRow, type GroupKey } from './usage';
import type { CloudId } from './catalog';
export interface AccountInfo {
    id: string;
    name: string;
    cloud: CloudId;
    /** API base URL; Partner Center paths (`/v1/customers`, …) hang below it. */
    baseUrl: string;
    /** Token authority (append `/{tenantId}/oauth2/token` or `/{tenantId}/oauth2/v2.0/token`). */
    authority: string;
    /** v1 token URL. */
    tokenUrl: string;
    /** Token resource (v2 scope: `{resource}/.default`). */
    resource: string;
    tenantId: string;
    appId: string;
    secret: string;
    /** Billing currency. */
    currency: string;
    pricingCurrency: string;
    sandbox: boolean;
}
export interface GroundTruthQuery {
    account: string;
    /** YYYY-MM-DD, inclusive */
    from: string;
    /** YYYY-MM-DD, inclusive */
    to: string;
    /** comma list or array of service | region | customer | subscription */
    groupBy?: string | readonly string[];
}
export interface GroundTruth {
    account: string;
    currency: string;
    from: string;
    to: string;
    groupBy: GroupKey[];
    rows: GroundTruthRow[];
    total: string;
    lineItems: number;
    /**
     * Line items the simulator serves malformed under the account's current fault config: not in
     * rows/total (a correct client quarantines them), counted and summed here.
     */
    malformed: {
        lineItems: number;
        amount: string;
    };
}
export declare class SimParamError extends Error {
    readonly param: string;
    constructor(param: string, message: string);
}
export declare const MAX_GROUND_TRUTH_DAYS = 1100;
export declare function accountInfos(ctx: SimContext): AccountInfo[];
export declare function groundTruth(ctx: SimContext, q: GroundTruthQuery): GroundTruth;
