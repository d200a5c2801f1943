// Type-aware lint: typescript-eslint's recommendedTypeChecked, plus the
// rules that catch what review misses (a floating promise once let one
// request kill the process). Layout is Prettier's (npm run format).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['dist/', '.dist-test-*/', 'coverage/', 'node_modules/', 'src/graphql/__generated__/', 'examples/src/gql/', 'bench/results/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // A switch with a default has decided what the other cases do.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // `_name` says "deliberately unused" (rest siblings that drop a key, ignored parameters).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      'no-shadow': 'off',
      '@typescript-eslint/no-shadow': 'error',
      // Apollo's plugin hooks and our async interfaces are typed to return
      // promises: `async` without `await` is how such a hook is written.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // vitest's asymmetric matchers (expect.any, expect.objectContaining) are typed `any`.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  // Last: layout belongs to Prettier, so no lint rule argues with it.
  prettier,
);
