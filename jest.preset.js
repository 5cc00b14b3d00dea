// Shared Jest settings: SWC compiles TypeScript with decorator metadata (NestJS, TypeORM need it),
// and @meridian/* aliases resolve to library sources so tests never need a prior build.
const path = require('node:path');

const libs = ['alerting', 'contracts', 'finops', 'notify', 'observability', 'partner-center', 'store', 'sync'];
const apps = ['pc-sim', 'worker'];

module.exports = {
  testEnvironment: 'node',
  // Integration tests talk to real PostgreSQL, Redis and HTTP servers.
  testTimeout: 120_000,
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', decorators: true, tsx: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleNameMapper: Object.fromEntries([
    ...libs.map((l) => [`^@meridian/${l}$`, path.join(__dirname, 'libs', l, 'src', 'index.ts')]),
    ...apps.map((a) => [`^@meridian/${a}$`, path.join(__dirname, 'apps', a, 'src', 'index.ts')]),
  ]),
  testMatch: ['**/?(*.)+(spec|test).ts'],
  // TypeScript sources first: a stray compiled .js beside a .ts must never shadow it.
  moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'cjs', 'json', 'node'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  // hyparquet(-writer) ship as ES modules only: compile them to CommonJS like our sources.
  transformIgnorePatterns: ['/node_modules/(?!(hyparquet|hyparquet-writer)/)'],
  reporters: ['default', path.join(__dirname, 'tools', 'jest-summary-reporter.js')],
};
