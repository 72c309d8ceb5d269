import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `@app/…` resolves as in the renderer build (build/vite.renderer.config.ts) and tsconfig paths.
const alias = [{ find: /^@app\//, replacement: fileURLToPath(new URL('./app/', import.meta.url)) }];

export default defineConfig({
  resolve: { alias },
  test: {
    // Media tests spawn ffmpeg; two cores are shared, so keep parallelism modest.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'node',
          include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // Renderer stores, actions and components in jsdom. Only these files pay for the DOM
        // environment; the Node suites above keep the plain `node` one.
        resolve: { alias },
        test: {
          name: 'renderer',
          include: ['tests/renderer/**/*.test.ts', 'tests/renderer/**/*.test.tsx'],
          environment: 'jsdom',
          setupFiles: ['tests/renderer/setup.ts'],
          testTimeout: 30_000,
        },
      },
    ],
  },
});
