// Lint rules that carry the architecture: nx module-boundary tags (STYLE.md §2.1) and a ban on
// Node/IO imports from the pure core. A wrong import is a lint error, not a review comment.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import nx from '@nx/eslint-plugin';
import reactHooks from 'eslint-plugin-react-hooks';

const nodeBuiltins = ['fs', 'path', 'os', 'child_process', 'net', 'tls', 'http', 'https', 'crypto', 'dns', 'worker_threads'];

// The test tree: spec files, the fakes they share (`@dirconn/core/testing`, any `testing/` folder),
// the CLI's end-to-end harness and test-support. Only these may import it (issue #7 item 5).
const testFiles = ['**/*.spec.ts', '**/testing/**', '**/e2e/**', 'test-support/**'];
const testTreeMessage = 'Only spec files (and the test tree itself) may import the test tree.';
const testTreeBan = {
  paths: ['@dirconn/core/testing', '@dirconn/test-support'].map((name) => ({ name, message: testTreeMessage })),
  patterns: [{ group: ['@dirconn/test-support/*', '**/testing', '**/testing/**', '**/test-support/**'], message: testTreeMessage }],
};

/**
 * `no-restricted-imports` for one folder. Flat config replaces (does not merge) a rule configured
 * twice for a file, so each folder lists its own bans plus the test-tree ban for its non-test files,
 * and its own bans alone for its tests.
 */
function restrictImports(files, bans = { paths: [], patterns: [] }) {
  const withTestTree = { paths: [...bans.paths, ...testTreeBan.paths], patterns: [...bans.patterns, ...testTreeBan.patterns] };
  const blocks = [{ files, ignores: testFiles, rules: { 'no-restricted-imports': ['error', withTestTree] } }];
  if (bans.paths.length + bans.patterns.length > 0) {
    blocks.push({ files: files.flatMap((folder) => testFiles.map((test) => [folder, test])), rules: { 'no-restricted-imports': ['error', bans] } });
  }
  return blocks;
}

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/*.js', '**/*.mjs', '**/*.cjs', '.nx/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      'no-empty': ['error', { allowEmptyCatch: false }],
      // Async functions that do not await are fine (interface conformance); floating promises are not.
      '@typescript-eslint/require-await': 'off',
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          // `dirconn ui` (apps/cli) serves the desktop API: the one app-to-app import, through the
          // desktop's published Node entry (no Electron in it; see the exposes:ui-server tag).
          allow: ['@dirconn/desktop/server'],
          banTransitiveDependencies: false,
          depConstraints: [
            {
              sourceTag: 'type:core',
              onlyDependOnLibsWithTags: ['type:core'],
            },
            {
              sourceTag: 'platform:neutral',
              onlyDependOnLibsWithTags: ['platform:neutral'],
              bannedExternalImports: [
                ...nodeBuiltins,
                ...nodeBuiltins.map((m) => `node:${m}`),
                'node:*',
                'electron',
                'lowdb',
                'lowdb/*',
                'proper-lockfile',
                'commander',
                'ldapts',
                '@napi-rs/keyring',
                '@azure/*',
                '@googleapis/*',
                'google-auth-library',
              ],
            },
            { sourceTag: 'type:adapter', onlyDependOnLibsWithTags: ['type:core', 'type:test'] },
            { sourceTag: 'type:test', onlyDependOnLibsWithTags: ['type:core', 'type:test'] },
            // The Node composition root wires adapters to core; adapters never depend on it.
            { sourceTag: 'type:composition', onlyDependOnLibsWithTags: ['type:core', 'type:adapter'] },
            // An app may use another app only through its published UI server (apps/desktop's
            // `@dirconn/desktop/server`, used by `dirconn ui`); a Node app never loads Electron.
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:core', 'type:adapter', 'type:composition', 'type:test', 'exposes:ui-server'] },
            { sourceTag: 'platform:node', bannedExternalImports: ['electron'] },
          ],
        },
      ],
    },
  },
  // Production code never imports the test tree.
  ...restrictImports(['libs/**/*.ts', 'apps/**/*.ts']),
  // libs/core is pure: no Node built-ins (nx's bannedExternalImports does not cover them).
  ...restrictImports(['libs/core/src/**/*.ts'], {
    paths: nodeBuiltins.map((name) => ({ name, message: 'libs/core is pure: inject I/O through a port.' })),
    patterns: [{ group: ['node:*'], message: 'libs/core is pure: inject I/O through a port.' }],
  }),
  // apps/desktop: the folder says which runtime a file needs (STYLE.md §7). `shared/` is loaded by
  // the renderer and the sandboxed preload too (no Node, no Electron); `node/` is shared with
  // `dirconn ui` (no Electron); only `main/` and `preload/` may import Electron.
  ...restrictImports(['apps/desktop/src/shared/**/*.ts'], {
    paths: [...nodeBuiltins, 'electron'].map((name) => ({ name, message: 'shared/ runs in the renderer and the sandboxed preload.' })),
    patterns: [{ group: ['node:*', '../node/*', '../main/*', '../preload/*'], message: 'shared/ runs in the renderer and the sandboxed preload.' }],
  }),
  ...restrictImports(['apps/desktop/src/node/**/*.ts'], {
    paths: [{ name: 'electron', message: 'node/ is shared with `dirconn ui`: Electron belongs in main/.' }],
    patterns: [{ group: ['../main/*', '../preload/*', '../renderer/*'], message: 'node/ is shared with `dirconn ui`.' }],
  }),
  {
    // The renderer is a web page (STYLE.md §7): no Node, no Electron, no Node-side code; it reaches
    // the Node side only through the bridge typed from src/shared/. Core is allowed for types only
    // (its values would pull Node-free but needless code into the bundle; the Node side runs them).
    files: ['apps/desktop/src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            ...[...nodeBuiltins, 'electron', '@dirconn/storage', '@dirconn/providers', '@dirconn/desktop/server', 'zod'].map((name) => ({ name, message: 'The renderer is a sandboxed web page: reach the Node side through the bridge.' })),
            { name: '@dirconn/core', allowTypeImports: true, message: 'The renderer may import types from @dirconn/core only.' },
            { name: '../../shared/api-contract.js', allowTypeImports: true, message: 'Values of api-contract.ts pull zod into the bundle: import its types only.' },
            { name: '../shared/api-contract.js', allowTypeImports: true, message: 'Values of api-contract.ts pull zod into the bundle: import its types only.' },
          ],
          patterns: [{ group: ['node:*', '**/node/*', '**/main/*', '**/preload/*'], message: 'The renderer is a sandboxed web page: reach the Node side through the bridge.' }],
        },
      ],
    },
  },
  {
    // Spec files may use loose typing for fixtures and assertions.
    files: ['**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
