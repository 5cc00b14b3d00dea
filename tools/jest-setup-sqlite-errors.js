// better-sqlite3 hands its SqliteError constructor to the native addon once per process, and the
// addon is one object for every test file a Jest worker runs, each file in its own realm: SQLite
// errors in a later file would be built from the first file's realm, fail `instanceof Error` there
// and look like nothing thrown to `rejects.toThrow()`. Each test file makes the addon take its own.
// Only an addon an earlier file loaded is reset. Used by the projects whose tests open SQLite stores.
const Module = require('node:module');

for (const [file, loaded] of Object.entries(Module._cache)) {
  if (file.endsWith('better_sqlite3.node')) loaded.exports.isInitialized = false;
}
