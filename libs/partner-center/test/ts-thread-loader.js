// Lets a worker thread started by a spec run TypeScript sources (jest compiles the specs' own
// process only): `execArgv: ['--require', thisFile]`. Same SWC settings as jest.preset.js.
const { readFileSync } = require('node:fs');
const { transformSync } = require('@swc/core');

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
