// ESLint flat config. The layering rule: app/core and app/contract never import electron
// (the engine is pure Node; the contract is shared with the browser). lab/no-outside-key-lookup
// (eslint-rules/) is typed: app, renderer and scripts are linted with their tsconfig.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';
import noOutsideKeyLookup from './eslint-rules/no-outside-key-lookup.js';

const SIDE_BY_SIDE = 'app/main and app/web never import each other: what both use is in app/host.';

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    // Typed: no lookup by an outside key on an object with a prototype (issue 12; eslint-rules/).
    files: ['app/**/*.ts', 'renderer/**/*.ts', 'renderer/**/*.vue', 'scripts/**/*.ts'],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.vue'],
      },
    },
    plugins: { lab: { rules: { 'no-outside-key-lookup': noOutsideKeyLookup } } },
    rules: { 'lab/no-outside-key-lookup': 'error' },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
    },
  },
  {
    files: ['app/core/**', 'app/contract/**', 'renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'app/core, app/contract and renderer never import electron (docs/architecture.md).',
            },
          ],
          patterns: [
            { group: ['electron/*'], message: 'app/core, app/contract and renderer never import electron.' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**', 'app/contract/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'the window and the contract never import electron.' }],
          patterns: [
            {
              group: ['node:*'],
              message: 'the window and the contract run in the browser: no Node modules.',
            },
            {
              group: ['**/app/core', '**/app/core/**', '**/core/*', '@contract/..*', '@/..*'],
              message: 'the window reaches the engine only through the contract.',
            },
            {
              group: ['../**/app/contract', '../**/app/contract/**'],
              message: 'the window imports the contract as @contract (build/aliases.ts).',
            },
          ],
        },
      ],
    },
  },
  // The window's tests import as the window does, and reach the engine no more than it.
  {
    files: ['test/renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../**/app/contract', '../**/app/contract/**', '../**/renderer/src/**'],
              message:
                'the window tests import the contract as @contract and the window as @/ (build/aliases.ts).',
            },
            {
              group: ['**/app/core', '**/app/core/**'],
              message: 'the window reaches the engine only through the contract.',
            },
          ],
        },
      ],
    },
  },
  // The two adapters sit side by side: what both need (the event pump, the CSP) is in
  // app/host, which imports neither electron nor either adapter.
  {
    files: ['app/main/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['../web', '../web/**'], message: SIDE_BY_SIDE }] },
      ],
    },
  },
  {
    files: ['app/web/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'browser mode runs without electron.' }],
          patterns: [{ group: ['../main', '../main/**', 'electron/*'], message: SIDE_BY_SIDE }],
        },
      ],
    },
  },
  {
    files: ['app/host/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'app/host serves both adapters: no electron.' }],
          patterns: [
            { group: ['../main', '../main/**', '../web', '../web/**', 'electron/*'], message: SIDE_BY_SIDE },
          ],
        },
      ],
    },
  },
);
