// Lint: typescript-eslint with type information (for no-floating-promises), plus the layering
// rule of STYLE.md: the engine and the workers never import electron.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['build/**', 'dist/**', 'node_modules/**', 'renderer/dist/**', 'test-results/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // node:test's describe/it return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'before', 'after', 'beforeEach', 'afterEach'] }] }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      'no-empty': ['error', { allowEmptyCatch: false }],
      'no-console': 'error',
    },
  },
  {
    files: ['main/core/**/*.ts', 'workers/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'The engine runs under plain Node: no electron imports in main/core or workers (STYLE.md, layering).' }], patterns: ['**/electron/**'] }],
    },
  },
  {
    // [Note: No inline styles under the CSP] (renderer/components/style-properties.ts)
    files: ['renderer/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'lit/directives/style-map.js', message: 'styleMap writes a style attribute, which the window\'s CSP blocks: use styleProperties (renderer/components/style-properties.ts).' }] }],
    },
  },
  {
    files: ['test/**/*.ts', '**/*.test.ts', 'main/cli/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
