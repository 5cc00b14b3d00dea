const preset = require('../../jest.preset.js');

module.exports = { ...preset, displayName: 'finops', rootDir: __dirname };
