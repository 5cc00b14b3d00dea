// Lint for every project: typescript-eslint recommended, plus Nx module boundaries on project tags
// (apps → libs one-way; web sees only shared libs; the simulator sees none of ours).
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const boundaries = (allowAppImports) => [
  'error',
  {
    enforceBuildableLibDependency: false,
    allow: allowAppImports ? ['@meridian/pc-sim', '@meridian/worker'] : [],
    depConstraints: [
      { sourceTag: 'type:app', onlyDependOnLibsWithTags: allowAppImports ? ['type:lib', 'type:app'] : ['type:lib'] },
      { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
      { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
      { sourceTag: 'scope:server', onlyDependOnLibsWithTags: allowAppImports ? ['scope:server', 'scope:shared', 'scope:sim'] : ['scope:server', 'scope:shared'] },
      { sourceTag: 'scope:web', onlyDependOnLibsWithTags: ['scope:shared'] },
      { sourceTag: 'scope:sim', onlyDependOnLibsWithTags: [] },
      { sourceTag: 'type:tooling', onlyDependOnLibsWithTags: ['*'] },
    ],
  },
];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', '**/*.js', '**/*.mjs', '**/*.cjs', '.nx/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': boundaries(false),
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests may start a simulator or a worker: an integration test is not a production import.
    files: ['**/*.spec.ts', '**/*.int.spec.ts', '**/e2e/**', '**/testing/**', '**/test/**'],
    rules: { '@nx/enforce-module-boundaries': boundaries(true) },
  },
);
