// ESLint (flat config): typescript-eslint's type-aware rules; Prettier owns formatting.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.harbour/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: globals.node,
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      // Nest providers implement async interfaces with synchronous bodies.
      '@typescript-eslint/require-await': 'off',
      // A resource declared before its close hook and assigned once later stays `let`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // The layers (docs/architecture.md): libs never import an app, and neither app imports the other.
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/apps/*', '**/apps/**'], message: 'libs and apps must not import another app' }] },
      ],
    },
  },
  {
    // Tests and benchmarks read HTTP bodies and rows as untyped JSON (supertest's `any`).
    files: ['test/**', 'bench/**', '**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/unbound-method': 'off',
      'no-restricted-imports': 'off',
    },
  },
  {
    // The console runs in the browser (its own tsconfig, DOM types).
    files: ['apps/console/**'],
    languageOptions: { globals: globals.browser },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  prettier,
);
