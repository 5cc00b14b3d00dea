const preset = require('../../jest.preset.js');

module.exports = { ...preset, displayName: 'alerting', rootDir: __dirname };
