// Layering is enforced here, not by good intentions (docs/ARCHITECTURE.md, "Layers"):
//   app/      imports nothing of ours and no package but zod; no Node, DOM, Electron or React
//   native/   imports app/ only; Node, onnxruntime-node
//   main/     imports app/ and native/; Node; only main/electron/ may import electron
//   renderer/ imports app/ only (through @app/…); DOM, React; no Node, no native packages
// The rule itself (build/eslint-layers.mjs) sees import/export, import(), require() and
// import types; no-restricted-globals refuses the globals a layer does not have.
// tests/unit/structure/layers.test.ts lints a fixture of forbidden lines for each layer.
import tseslint from 'typescript-eslint';
import { layersPlugin } from './build/eslint-layers.mjs';

const SOURCES = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts', '**/*.js', '**/*.mjs', '**/*.cjs'];
const under = (dir) => SOURCES.map((g) => `${dir}/${g}`);

const ELECTRON = 'Only main/electron/ may import electron (the shell); everything else runs without it (studio mode, CLI, tests).';
const UI = 'React and the UI packages belong to renderer/.';
const uiPackages = Object.fromEntries(['react', 'react-dom', 'zustand', 'wavesurfer.js', '@dnd-kit/core', '@dnd-kit/sortable', '@dnd-kit/utilities', '@tanstack/react-virtual', '@testing-library/react'].map((p) => [p, UI]));
const mainOnly = (why) => Object.fromEntries(['better-sqlite3', 'ws', '@napi-rs/keyring', 'openai', '@ffmpeg/core'].map((p) => [p, why]));

// Globals that exist only in a browser page, and only in Node.
const browserGlobals = ['window', 'document', 'localStorage', 'sessionStorage', 'location', 'navigator', 'indexedDB', 'XMLHttpRequest', 'requestAnimationFrame', 'cancelAnimationFrame', 'alert', 'confirm', 'prompt'];
const nodeGlobals = ['process', 'Buffer', '__dirname', '__filename', 'require', 'module', 'exports', 'global', 'setImmediate', 'clearImmediate'];
const globals = (names, why) => ['error', ...names.map((name) => ({ name, message: why }))];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'artifacts/**', 'resources/**'] },
  {
    files: SOURCES,
    languageOptions: { parser: tseslint.parser, parserOptions: { ecmaVersion: 'latest', sourceType: 'module' } },
    plugins: { '@typescript-eslint': tseslint.plugin, shotline: layersPlugin },
    rules: { 'shotline/layers': ['error', { layer: 'this file', denyPackages: { electron: ELECTRON } }] },
  },
  {
    // Reads the installed electron package's binary path to start it (npm start); never runs in tests.
    files: ['build/start-electron.mjs'],
    rules: { 'shotline/layers': 'off' },
  },
  {
    files: under('app'),
    rules: {
      'shotline/layers': ['error', { layer: 'app', layers: ['app'], builtins: false, allowPackages: ['zod'], literalOnly: true }],
      'no-restricted-globals': globals([...browserGlobals, ...nodeGlobals, 'self', 'fetch', 'WebSocket'], 'app/ is pure: no DOM, no Node, no I/O (pass what it needs in as arguments).'),
    },
  },
  {
    files: under('native'),
    rules: {
      'shotline/layers': ['error', { layer: 'native', layers: ['app', 'native'], builtins: true, denyPackages: { electron: ELECTRON, ...uiPackages, ...mainOnly('native/ runs inference only; storage, sockets and services belong to main/.') } }],
      'no-restricted-globals': globals(browserGlobals, 'native/ runs in Node: there is no browser page here.'),
    },
  },
  {
    files: under('main'),
    ignores: under('main/electron'),
    rules: {
      'shotline/layers': ['error', { layer: 'main', layers: ['app', 'native', 'main'], builtins: true, denyPackages: { electron: ELECTRON, ...uiPackages, 'onnxruntime-node': 'onnxruntime-node is used through native/ only.' } }],
      'no-restricted-globals': globals(browserGlobals, 'main/ runs in Node: there is no browser page here.'),
    },
  },
  {
    files: under('main/electron'),
    rules: {
      'shotline/layers': ['error', { layer: 'main', layers: ['app', 'native', 'main'], builtins: true, denyPackages: { ...uiPackages, 'onnxruntime-node': 'onnxruntime-node is used through native/ only.' } }],
      'no-restricted-globals': globals(browserGlobals, 'main/ runs in Node: there is no browser page here.'),
    },
  },
  {
    // SQL lives in main/store/ (and the job queue's own table): everyone else calls their methods.
    files: under('main'),
    ignores: [...under('main/store'), ...under('main/jobs')],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name=/^(prepare|exec|transaction|pragma)$/]:matches([callee.object.name='db'], [callee.object.property.name='db'])",
          message: 'SQL belongs in main/store/: add a method to the store (LibraryStore, ProjectStore) instead of using its db here.',
        },
      ],
    },
  },
  {
    files: under('renderer'),
    rules: {
      'shotline/layers': [
        'error',
        {
          layer: 'renderer',
          layers: ['app', 'renderer'],
          builtins: false,
          appViaAlias: true,
          literalOnly: true,
          denyPackages: { electron: ELECTRON, 'onnxruntime-node': 'renderer/ is a sandboxed page: inference runs in native/ through main/.', ...mainOnly('renderer/ is a sandboxed page: it reaches main/ only through the API (app/api/).') },
        },
      ],
      'no-restricted-globals': globals(nodeGlobals, 'renderer/ is a sandboxed browser page: no Node globals (ask main/ through the API).'),
    },
  },
);
