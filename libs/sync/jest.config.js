const preset = require('../../jest.preset.js');

module.exports = { ...preset, displayName: 'sync', rootDir: __dirname };
