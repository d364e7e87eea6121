// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

const deepImports = {
  patterns: [
    { group: ['@came-grad/*/src', '@came-grad/*/src/**'], message: 'Import another package through its entry point, never its src/.' },
    { group: ['**/index', '**/index.js', '**/index.ts'], message: 'Do not import a barrel from inside its own package.' },
  ],
};

export default tseslint.config(
  { ignores: ['**/dist/**', '**/.quick-dist/**', '**/node_modules/**', '**/coverage/**', '**/.turbo/**', 'bench-results/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,mts,cts,js,mjs}'],
    plugins: { 'import-x': importX },
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    settings: { 'import-x/resolver': { node: { extensions: ['.ts', '.js'] } } },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-self-import': 'error',
      'no-restricted-imports': ['error', deepImports],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // TensorFlow.js stays behind optim-core's /tfjs subpath: the root entry is backend-neutral.
    files: ['packages/optim-core/src/**/*.ts'],
    ignores: ['packages/optim-core/src/tfjs/**', 'packages/optim-core/src/testing/**', 'packages/optim-core/bench/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { ...deepImports, paths: [{ name: '@tensorflow/tfjs-core', message: 'Only src/tfjs/ may import TensorFlow.js.' }] },
      ],
    },
  },
  {
    // Plain JavaScript files are Node scripts (TypeScript files get their globals from @types/node).
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', performance: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' },
    },
  },
  {
    files: ['packages/cli/**/*.ts', 'apps/**/*.{ts,js,mjs}', '**/bench/**/*.{ts,js,mjs}', '**/scripts/**/*.{ts,js,mjs}'],
    rules: { 'no-console': 'off' },
  },
);
