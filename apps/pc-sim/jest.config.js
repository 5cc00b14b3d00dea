const preset = require('../../jest.preset.js');

module.exports = { ...preset, displayName: 'pc-sim', rootDir: __dirname };
