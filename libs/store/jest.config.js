const preset = require('../../jest.preset.js');

module.exports = { ...preset, displayName: 'store', rootDir: __dirname };
