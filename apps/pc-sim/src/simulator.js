"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_SEED = void 0;
exports.createSimulator = createSimulator;
const control_1 = require("./control");
const aad_1 = require("./aad");
const faults_1 = require("./faults");
const http_util_1 = require("./http-util");
const pc_api_1 = require("./pc-api");
const profile_1 = require("./profile");
const hash_1 = require("./hash");
const tokens_1 = require("./tokens");
const usage_1 = require("./usage");
exports.DEFAULT_SEED = 42;
function createSimulator(opts) {
    const seed = opts.seed ?? exports.DEFAULT_SEED;
    if (!Number.isFinite(seed))
        throw new Error('seed must be a finite number');
    const fixed = opts.now ? new Date(opts.now.getTime()) : null;
    if (fixed && Number.isNaN(fixed.getTime()))
        throw new Error('now must be a valid date');
    const models = (0, profile_1.buildWorld)(seed, opts.scaleItemsPerDay);
    const ctx = {
        seed,
        models,
        byId: new Map(models.map((m) => [m.def.id, m])),
        generators: new Map(models.map((m) => [m.def.id, new usage_1.UsageGenerator(m)])),
        signer: new tokens_1.Signer(`seed:${seed}`),
        clock: fixed ? () => new Date(fixed.getTime()) : () => new Date(),
        wallClock: () => Date.now(),
        publicUrl: opts.publicUrl.replace(/\/+$/, ''),
        tokenTtlSeconds: opts.tokenTtlSeconds ?? 3599,
        serverId: String(100_000_000 + ((0, hash_1.strHash32)(`server|${seed}`) % 900_000_000)),
        faults: new faults_1.FaultInjector(seed),
    };
    const handle = async (req, res) => {
        const url = new URL(req.url ?? '/', 'http://pc-sim.invalid');
        const segs = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
        switch (segs[0]) {
            case '_sim':
                return handleControl(ctx, req, res, segs.slice(1), url);
            case 'login':
                return (0, aad_1.handleLogin)(ctx, req, res, segs.slice(1));
            case 'pc':
                return (0, pc_api_1.handlePc)(ctx, req, res, segs.slice(1), url);
            default:
                return (0, pc_api_1.pcNotFound)(ctx, req, res, url);
        }
    };
    return {
        handler(req, res) {
            handle(req, res).catch((err) => (0, pc_api_1.pcInternalError)(ctx, req, res, err));
        },
        accounts: () => (0, control_1.accountInfos)(ctx),
        groundTruth: (q) => (0, control_1.groundTruth)(ctx, q),
        now: () => ctx.clock(),
    };
}
async function handleFaultControl(ctx, req, res, segs) {
    const [kind, id, action] = segs;
    if (!ctx.byId.has(id ?? ''))
        return (0, http_util_1.sendJson)(res, 404, { error: 'not_found', message: `Unknown account '${id}'.` });
    if (kind === 'accounts' && req.method === 'POST' && (action === 'revoke-secret' || action === 'restore-secret')) {
        if (action === 'revoke-secret')
            ctx.faults.revoke(id);
        else
            ctx.faults.restore(id);
        return (0, http_util_1.sendJson)(res, 200, { account: id, revoked: ctx.faults.isRevoked(id) });
    }
    if (kind === 'faults' && action === 'log' && req.method === 'GET')
        return (0, http_util_1.sendJson)(res, 200, { account: id, injected: ctx.faults.log(id) });
    if (kind === 'faults' && action === undefined) {
        if (req.method === 'GET')
            return (0, http_util_1.sendJson)(res, 200, { account: id, faults: ctx.faults.config(id) });
        if (req.method === 'DELETE') {
            ctx.faults.clear(id);
            return (0, http_util_1.sendJson)(res, 200, { account: id, faults: null });
        }
        if (req.method === 'PUT') {
            let body;
            try {
                body = JSON.parse(await (0, http_util_1.readBody)(req));
            }
            catch {
                return (0, http_util_1.sendJson)(res, 400, { error: 'bad_request', message: 'The body must be JSON.' });
            }
            const result = ctx.faults.configure(id, body);
            if (typeof result === 'string')
                return (0, http_util_1.sendJson)(res, 400, { error: 'bad_request', message: result });
            return (0, http_util_1.sendJson)(res, 200, { account: id, faults: result });
        }
    }
    return (0, http_util_1.sendJson)(res, 405, { error: 'method_not_allowed', message: `Unsupported ${req.method} on /_sim/${segs.join('/')}.` });
}
function handleControl(ctx, req, res, segs, url) {
    if (segs[0] === 'faults' || (segs[0] === 'accounts' && segs.length === 3))
        return handleFaultControl(ctx, req, res, segs);
    if (req.method !== 'GET')
        return (0, http_util_1.sendJson)(res, 405, { error: 'method_not_allowed', message: 'Only GET is supported.' });
    const path = segs.join('/');
    if (path === 'accounts')
        return (0, http_util_1.sendJson)(res, 200, { items: (0, control_1.accountInfos)(ctx) });
    if (path === 'clock')
        return (0, http_util_1.sendJson)(res, 200, { now: ctx.clock().toISOString() });
    if (path === 'ground-truth') {
        const p = url.searchParams;
        try {
            const r = (0, control_1.groundTruth)(ctx, { account: p.get('account') ?? '', from: p.get('from') ?? '', to: p.get('to') ?? '', groupBy: p.get('groupBy') ?? p.get('groupby') ?? undefined });
            return (0, http_util_1.sendJson)(res, 200, r);
        }
        catch (e) {
            if (e instanceof control_1.SimParamError)
                return (0, http_util_1.sendJson)(res, 400, { error: 'bad_request', parameter: e.param, message: e.message });
            throw e;
        }
    }
    return (0, http_util_1.sendJson)(res, 404, { error: 'not_found', message: `Unknown control endpoint '/_sim/${path}'.` });
}
//# sourceMappingURL=simulator.js.map