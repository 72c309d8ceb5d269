// Layering is enforced here, not by good intentions (docs/ARCHITECTURE.md):
//   app/      imports nothing of ours, and no Node, DOM, Electron or React
//   native/   imports app/ only
//   main/     imports app/ and native/; only main/electron/ may import electron
//   renderer/ imports app/ only
import tseslint from 'typescript-eslint';

const upward = (...layers) => layers.map((l) => ({ group: [`**/${l}/**`, `**/${l}`], message: `This layer must not import ${l}/ (see docs/ARCHITECTURE.md).` }));
const electron = { name: 'electron', message: 'Only main/electron/ may import electron.' };
// renderer/ reaches app/ through the `@app/…` alias (tsconfig paths, vite and vitest alias).
const appAlias = { regex: '^(\\.\\./)+app/', message: 'renderer/ imports app/ as @app/… (the alias), not by relative path.' };
const nodeBuiltins = { group: ['node:*', 'fs', 'path', 'child_process', 'os', 'crypto', 'worker_threads', 'http', 'net'], message: 'app/ is pure: no Node APIs.' };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'artifacts/**', 'resources/**'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parser: tseslint.parser, parserOptions: { ecmaVersion: 'latest', sourceType: 'module' } },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: { 'no-restricted-imports': ['error', { paths: [electron] }] },
  },
  {
    files: ['app/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [electron, 'react', 'zustand', 'better-sqlite3'].map((p) => (typeof p === 'string' ? { name: p, message: 'app/ is pure.' } : p)), patterns: [...upward('main', 'native', 'renderer'), nodeBuiltins] }],
    },
  },
  {
    files: ['native/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [electron], patterns: upward('main', 'renderer') }] },
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/electron/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [electron], patterns: upward('renderer') }] },
  },
  {
    files: ['main/electron/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: upward('renderer') }] },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: { 'no-restricted-imports': ['error', { paths: [electron], patterns: [...upward('main', 'native'), nodeBuiltins, appAlias] }] },
  },
);
