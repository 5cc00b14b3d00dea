const preset = require('../../jest.preset.js');

module.exports = { ...preset, displayName: 'web', rootDir: __dirname, testMatch: ['**/src/**/?(*.)+(spec|test).ts'] };
