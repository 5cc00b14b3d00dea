"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MAX_GROUND_TRUTH_DAYS = exports.SimParamError = void 0;
exports.accountInfos = accountInfos;
exports.groundTruth = groundTruth;
/**
 * Control API (no auth), for tests and tooling:
 *   GET /_sim/accounts
 *   GET /_sim/ground-truth?account=&from=YYYY-MM-DD&to=YYYY-MM-DD&groupBy=service,region
 *   GET /_sim/clock
 */
const catalog_1 = require("./catalog");
const dates_1 = require("./dates");
const money_1 = require("./money");
const usage_1 = require("./usage");
class SimParamError extends Error {
    constructor(param, message) {
        super(message);
        this.param = param;
    }
}
exports.SimParamError = SimParamError;
exports.MAX_GROUND_TRUTH_DAYS = 1100;
function accountInfos(ctx) {
    const origin = ctx.publicUrl.replace(/\/+$/, '');
    return ctx.models.map((m) => {
        const authority = `${origin}/login/${m.def.cloud}`;
        return {
            id: m.def.id,
            name: m.def.name,
            cloud: m.def.cloud,
            baseUrl: `${origin}/pc/${m.def.id}`,
            authority,
            tokenUrl: `${authority}/${m.tenantId}/oauth2/token`,
            resource: catalog_1.CLOUDS[m.def.cloud].resource,
            tenantId: m.tenantId,
            appId: m.appId,
            secret: m.secret,
            currency: m.def.currency,
            pricingCurrency: m.def.pricingCurrency,
            sandbox: m.def.sandbox,
        };
    });
}
function groundTruth(ctx, q) {
    if (!q.account)
        throw new SimParamError('account', "The parameter 'account' is required.");
    const gen = ctx.generators.get(q.account);
    if (!gen)
        throw new SimParamError('account', `The parameter 'account' value '${q.account}' is not a known account.`);
    if (!q.from)
        throw new SimParamError('from', "The parameter 'from' (YYYY-MM-DD) is required.");
    const from = (0, dates_1.parseYmd)(q.from);
    if (from === null)
        throw new SimParamError('from', `The parameter 'from' value '${q.from}' is not a valid YYYY-MM-DD date.`);
    if (!q.to)
        throw new SimParamError('to', "The parameter 'to' (YYYY-MM-DD) is required.");
    const to = (0, dates_1.parseYmd)(q.to);
    if (to === null)
        throw new SimParamError('to', `The parameter 'to' value '${q.to}' is not a valid YYYY-MM-DD date.`);
    if (to < from)
        throw new SimParamError('to', "The parameter 'to' must not be before 'from'.");
    if (to - from + 1 > exports.MAX_GROUND_TRUTH_DAYS)
        throw new SimParamError('to', `The range 'from'..'to' must not exceed ${exports.MAX_GROUND_TRUTH_DAYS} days.`);
    const rawGroup = q.groupBy === undefined ? [] : typeof q.groupBy === 'string' ? q.groupBy.split(',') : [...q.groupBy];
    const groupBy = [];
    for (const g0 of rawGroup) {
        const g = g0.trim();
        if (!g)
            continue;
        if (!usage_1.GROUP_KEYS.includes(g))
            throw new SimParamError('groupBy', `The parameter 'groupBy' value '${g}' is invalid; use any of ${usage_1.GROUP_KEYS.join(', ')}.`);
        if (groupBy.includes(g))
            throw new SimParamError('groupBy', `The parameter 'groupBy' lists '${g}' twice.`);
        groupBy.push(g);
    }
    // Usage exists only for days strictly before the simulation clock's current day.
    const toExcl = Math.min(to + 1, (0, dates_1.dayOf)(ctx.clock()));
    const r = (0, usage_1.sumUsage)(gen, from, Math.max(from, toExcl), groupBy, (it) => ctx.faults.malformed(q.account, it.day, it.pos) !== null);
    return {
        account: q.account,
        currency: gen.model.def.currency,
        from: q.from,
        to: q.to,
        groupBy,
        rows: r.rows,
        total: (0, money_1.decStr)(r.total),
        lineItems: r.lineItems,
        malformed: { lineItems: r.malformed.lineItems, amount: (0, money_1.decStr)(r.malformed.amount) },
    };
}
//# sourceMappingURL=control.js.map