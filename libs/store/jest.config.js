const preset = require('../../jest.preset.js');

// Opens SQLite stores: see tools/jest-setup-sqlite-errors.js.
module.exports = { ...preset, displayName: 'store', rootDir: __dirname, setupFiles: [require.resolve('../../tools/jest-setup-sqlite-errors.js')] };
