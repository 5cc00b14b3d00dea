"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.BodyTooLarge = exports.JSON_TYPE = void 0;
exports.send = send;
exports.sendJson = sendJson;
exports.readBody = readBody;
exports.lowerQuery = lowerQuery;
exports.header = header;
exports.JSON_TYPE = 'application/json; charset=utf-8';
function send(res, status, body, headers = {}) {
    const buf = Buffer.from(body, 'utf8');
    res.writeHead(status, { 'Content-Type': exports.JSON_TYPE, 'Content-Length': String(buf.length), ...headers });
    res.end(buf);
}
function sendJson(res, status, value, headers = {}) {
    send(res, status, JSON.stringify(value), headers);
}
class BodyTooLarge extends Error {
}
exports.BodyTooLarge = BodyTooLarge;
function readBody(req, limit = 64 * 1024) {
    return new Promise((resolve, reject) => {
        const chunks = [];
        let n = 0;
        req.on('data', (c) => {
            n += c.length;
            if (n > limit) {
                reject(new BodyTooLarge('body too large'));
                req.destroy();
                return;
            }
            chunks.push(c);
        });
        req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        req.on('error', reject);
    });
}
/** Query parameters with lower-cased names (Partner Center treats them case-insensitively). */
function lowerQuery(url) {
    const m = new Map();
    for (const [k, v] of url.searchParams)
        if (!m.has(k.toLowerCase()))
            m.set(k.toLowerCase(), v);
    return m;
}
function header(req, name) {
    const v = req.headers[name.toLowerCase()];
    return Array.isArray(v) ? v[0] : v;
}
//# sourceMappingURL=http-util.js.map