const preset = require('../../jest.preset.js');

module.exports = { ...preset, displayName: 'notify', rootDir: __dirname };
