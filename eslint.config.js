// @ts-check
/**
 * Lint config. The import boundaries of DESIGN.md §1 live here as rules, so a layer that
 * reaches across (renderer → node:fs, product code → testkit, …) fails `npm run lint` and CI.
 * VS Code enforces its layering the same way (eslint "code-layering" rule).
 */
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/** Patterns a layer may not import, with the reason shown in the lint error. */
const forbid = (group, message, allowTypeImports = false) => ({ group, message, allowTypeImports });

const noTestkit = forbid(
  ['@nodeless/testkit', '@nodeless/testkit/*', '**/testkit/**'],
  'Product code never imports testkit (DESIGN.md §1). Only testkit/, e2e/ and test files may.',
);
const noElectron = forbid(['electron', 'electron/*'], 'Only electron/ may import Electron.');
const noReact = forbid(
  ['react', 'react/*', 'react-dom', 'react-dom/*', 'zustand', 'zustand/*'],
  'UI libraries belong to renderer/ only.',
);
const noBackend = forbid(
  ['@nodeless/backend', '@nodeless/backend/*', '**/backend/**'],
  'This layer sits below backend and may not import it.',
);
const noRenderer = forbid(
  ['@nodeless/renderer', '@nodeless/renderer/*', '**/renderer/**'],
  'Nothing imports renderer/: it talks to the backend over the API only.',
);
const noElectronPkg = forbid(
  ['@nodeless/electron', '@nodeless/electron/*', '**/electron/src/**'],
  'Nothing imports the desktop shell.',
);

/** Every package and folder of ours: `common/` may import none of them (DESIGN.md §1). */
const noneOfOurs = forbid(
  [
    '@nodeless/*',
    '**/backend/**',
    '**/renderer/**',
    '**/host-bootstrap/**',
    '**/cluster-runtime/**',
    '**/electron/**',
    '**/testkit/**',
    '**/meter/**',
    '**/e2e/**',
  ],
  'common/ is imported by every layer, so it imports nothing of ours (DESIGN.md §1).',
);

/** Node-only globals: `common/` also runs in the renderer's sandboxed page. */
const nodeGlobals = [
  'Buffer',
  'process',
  'global',
  'require',
  'module',
  '__dirname',
  '__filename',
  'setImmediate',
  'clearImmediate',
].map((name) => ({
  name,
  message: 'common/ is isomorphic (the renderer imports it at run time): no Node globals.',
}));

const restrict = (...patterns) => [
  'error',
  { paths: [], patterns: patterns.map((p) => ({ ...p })) },
];

const testFiles = ['**/*.test.ts', '**/*.test.tsx', '**/test/**', '**/bench/**'];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/out/**',
      'test-results/**',
      'playwright-report/**',
      'e2e/artifacts/**',
      'testkit/.cache/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({
            name,
            message: 'renderer/ runs in a sandboxed browser page: no Node built-ins.',
          })),
          patterns: [
            forbid(['electron', 'electron/*'], 'renderer/ never imports Electron.'),
            // The one door into backend: the API contract, and only its types.
            forbid(
              ['@nodeless/backend/api'],
              'renderer/ may import only the types of the API contract (use `import type`).',
              true,
            ),
            {
              group: [
                '@nodeless/*',
                '!@nodeless/backend/api',
                // Isomorphic and free of Node: the renderer may import it at run time.
                '!@nodeless/common',
                '**/backend/**',
                '**/host-bootstrap/**',
                '**/cluster-runtime/**',
              ],
              message:
                'renderer/ may import only its own code, @nodeless/common and the API contract types of backend.',
            },
            noTestkit,
          ],
        },
      ],
    },
  },
  {
    // common/: isomorphic (Node and the browser page), imports nothing of ours.
    files: ['common/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({
            name,
            message:
              'common/ is isomorphic (the renderer imports it at run time): no Node built-ins.',
          })),
          patterns: [noneOfOurs],
        },
      ],
      'no-restricted-globals': ['error', ...nodeGlobals],
    },
  },
  {
    files: ['host-bootstrap/**/*.ts', 'cluster-runtime/**/*.ts'],
    ignores: testFiles,
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict(
        noElectron,
        noReact,
        noBackend,
        noRenderer,
        noElectronPkg,
        noTestkit,
      ),
    },
  },
  {
    // meter/: the in-cluster program — Node, common, cluster-runtime and its own deps only.
    files: ['meter/**/*.ts'],
    ignores: testFiles,
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict(
        noElectron,
        noReact,
        noBackend,
        noRenderer,
        noElectronPkg,
        noTestkit,
        forbid(
          ['@nodeless/host-bootstrap', '@nodeless/host-bootstrap/*', '**/host-bootstrap/**'],
          'meter/ runs in the cluster: it imports common and cluster-runtime, never host-bootstrap.',
        ),
      ),
    },
  },
  {
    files: ['backend/**/*.ts'],
    ignores: testFiles,
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict(
        noElectron,
        noReact,
        noRenderer,
        noElectronPkg,
        noTestkit,
      ),
    },
  },
  {
    files: ['electron/**/*.ts'],
    ignores: testFiles,
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict(
        noReact,
        noRenderer,
        noTestkit,
        forbid(
          [
            '@nodeless/host-bootstrap',
            '@nodeless/host-bootstrap/*',
            '@nodeless/cluster-runtime',
            '@nodeless/cluster-runtime/*',
          ],
          'electron/ only starts the backend; it imports nothing else of ours.',
        ),
      ),
    },
  },
  {
    files: ['testkit/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict(
        noElectron,
        noReact,
        noRenderer,
        noElectronPkg,
      ),
    },
  },
  prettier,
);
