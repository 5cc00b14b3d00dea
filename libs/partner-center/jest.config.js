const preset = require('../../jest.preset.js');

module.exports = { ...preset, displayName: 'partner-center', rootDir: __dirname };
