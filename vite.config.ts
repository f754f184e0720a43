import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';
import { injectCsp } from './server/console/csp.js';

export default defineConfig({
  // Renderer build: index.html at the root is the entry; the output is what both hosts serve.
  root: '.',
  // Relative asset URLs, so the same bundle loads from Electron's file:// and the headless listener.
  base: './',
  plugins: [react(), { name: 'console-csp', transformIndexHtml: (html: string) => injectCsp(html) }],
  build: {
    outDir: 'dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    rollupOptions: { input: 'index.html' },
  },
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 20_000,
  },
});
