// ESLint (flat config) for the TypeScript and JavaScript of the extension, webview, tests and benches.
// Besides the recommended rules it holds the layering that docs/engine.md describes: the engine and
// the extension's pure view models never import `vscode`; the webview imports only the protocol and
// pure helpers.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.tools/**',
      '.venv/**',
      'test-results/**',
      'training/**',
      'bench/questions/repos/**',
      'media/**',
      '**/*.fixture',
      'test/fixtures/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Untyped JSON (the index header, tokenizer.json, a bench child's figures) is read as `any` and then
    // checked or copied field by field.
    files: ['extension/engine/index/indexFile.ts', 'extension/engine/tokenizer/longviewTokenizer.ts', 'bench/run.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['webview/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['extension/engine/**', 'extension/present/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'vscode', message: 'The engine and the pure view models never import vscode (docs/engine.md).' }] },
      ],
    },
  },
);
