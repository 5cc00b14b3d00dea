"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Signer = void 0;
exports.issueAccessToken = issueAccessToken;
exports.readAccessToken = readAccessToken;
exports.makeContinuation = makeContinuation;
exports.readContinuation = readContinuation;
/**
 * Stateless, HMAC-signed tokens: AAD-like access tokens (JWT-shaped) and opaque continuation
 * tokens. Keys derive from the seed, so a restarted simulator with the same seed accepts tokens
 * it issued before (like a real service would), and nothing is stored per token.
 */
const node_crypto_1 = require("node:crypto");
function b64u(s) {
    return Buffer.from(s).toString('base64url');
}
class Signer {
    constructor(secret) {
        this.key = (0, node_crypto_1.createHmac)('sha256', 'pc-sim').update(secret).digest();
    }
    sign(purpose, payload) {
        return (0, node_crypto_1.createHmac)('sha256', this.key).update(purpose).update('\u0000').update(payload).digest('base64url');
    }
    verify(purpose, payload, sig) {
        const want = Buffer.from(this.sign(purpose, payload));
        const got = Buffer.from(sig);
        return want.length === got.length && (0, node_crypto_1.timingSafeEqual)(want, got);
    }
}
exports.Signer = Signer;
const JWT_HEADER = b64u(JSON.stringify({ typ: 'JWT', alg: 'HS256', kid: 'pc-sim' }));
function issueAccessToken(signer, c) {
    const payload = b64u(JSON.stringify({ ...c, jti: (0, node_crypto_1.randomUUID)() }));
    const body = `${JWT_HEADER}.${payload}`;
    return `${body}.${signer.sign('access', body)}`;
}
/** Returns the claims if the token is well-formed and signed by this simulator; else null. */
function readAccessToken(signer, token) {
    const parts = token.split('.');
    if (parts.length !== 3)
        return null;
    if (!signer.verify('access', `${parts[0]}.${parts[1]}`, parts[2]))
        return null;
    try {
        return JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    }
    catch {
        return null;
    }
}
/**
 * Continuation token: base64url(JSON cursor) + "." + HMAC over (scope, payload). The scope names
 * the account and query, so a token from another account or another query is refused.
 */
function makeContinuation(signer, scope, cursor) {
    const payload = b64u(JSON.stringify(cursor));
    return `${payload}.${signer.sign(`cont|${scope}`, payload).slice(0, 27)}`;
}
function readContinuation(signer, scope, token) {
    const dot = token.indexOf('.');
    if (dot <= 0)
        return null;
    const payload = token.slice(0, dot);
    const sig = token.slice(dot + 1);
    const want = signer.sign(`cont|${scope}`, payload).slice(0, 27);
    if (want.length !== sig.length || !(0, node_crypto_1.timingSafeEqual)(Buffer.from(want), Buffer.from(sig)))
        return null;
    try {
        const v = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
        if (!v || typeof v !== 'object')
            return null;
        for (const x of Object.values(v))
            if (typeof x !== 'number' || !Number.isInteger(x) || x < 0)
                return null;
        return v;
    }
    catch {
        return null;
    }
}
//# sourceMappingURL=tokens.js.map