const preset = require('../../jest.preset.js');

module.exports = { ...preset, displayName: 'repo-checks', rootDir: __dirname };
