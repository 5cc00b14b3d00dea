"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.REQUEST_FAULTS = exports.FAULT_KINDS = exports.CLOUDS = exports.SANDBOX_LIMITS = exports.DEMO_ACCOUNTS = exports.SimParamError = exports.DEFAULT_SEED = exports.createSimulator = void 0;
exports.startSimulator = startSimulator;
const node_http_1 = require("node:http");
const simulator_1 = require("./simulator");
var simulator_2 = require("./simulator");
Object.defineProperty(exports, "createSimulator", { enumerable: true, get: function () { return simulator_2.createSimulator; } });
Object.defineProperty(exports, "DEFAULT_SEED", { enumerable: true, get: function () { return simulator_2.DEFAULT_SEED; } });
var control_1 = require("./control");
Object.defineProperty(exports, "SimParamError", { enumerable: true, get: function () { return control_1.SimParamError; } });
var profile_1 = require("./profile");
Object.defineProperty(exports, "DEMO_ACCOUNTS", { enumerable: true, get: function () { return profile_1.DEMO_ACCOUNTS; } });
Object.defineProperty(exports, "SANDBOX_LIMITS", { enumerable: true, get: function () { return profile_1.SANDBOX_LIMITS; } });
var catalog_1 = require("./catalog");
Object.defineProperty(exports, "CLOUDS", { enumerable: true, get: function () { return catalog_1.CLOUDS; } });
async function startSimulator(opts = {}) {
    const host = opts.host ?? '127.0.0.1';
    let sim = null;
    const server = (0, node_http_1.createServer)((req, res) => {
        if (sim)
            sim.handler(req, res);
        else {
            res.statusCode = 503;
            res.end();
        }
    });
    server.keepAliveTimeout = 5_000;
    await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(opts.port ?? 0, host, () => {
            server.off('error', reject);
            resolve();
        });
    });
    const addr = server.address();
    const hostPart = addr.family === 'IPv6' || addr.address.includes(':') ? `[${addr.address}]` : addr.address;
    const url = `http://${hostPart}:${addr.port}`;
    // Behind a container network the address clients use differs from the bound one (SIM_PUBLIC_URL).
    sim = (0, simulator_1.createSimulator)({ seed: opts.seed, now: opts.now, publicUrl: opts.publicUrl ?? url, tokenTtlSeconds: opts.tokenTtlSeconds, scaleItemsPerDay: opts.scaleItemsPerDay });
    return {
        url,
        simulator: sim,
        close: () => new Promise((resolve, reject) => {
            server.close((err) => (err ? reject(err) : resolve()));
            server.closeAllConnections();
        }),
    };
}
var faults_1 = require("./faults");
Object.defineProperty(exports, "FAULT_KINDS", { enumerable: true, get: function () { return faults_1.FAULT_KINDS; } });
Object.defineProperty(exports, "REQUEST_FAULTS", { enumerable: true, get: function () { return faults_1.REQUEST_FAULTS; } });
//# sourceMappingURL=index.js.map