// Builds the renderer (src/renderer/) into dist/renderer/, the folder Electron's app:// protocol and
// `dirconn ui` serve. The output must pass the strict Content-Security-Policy of
// src/shared/content-security-policy.ts: one external module script and one stylesheet, no inline
// script or style, no eval. `npm run build:ui` checks that after building (check-csp.mjs).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: fileURLToPath(new URL('./src/renderer/', import.meta.url)),
  // Relative asset URLs: the same files load from app://dirconn/ and from http://127.0.0.1:<port>/.
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer/', import.meta.url)),
    emptyOutDir: true,
    // The module-preload polyfill is not needed by Electron's Chromium or current browsers.
    modulePreload: { polyfill: false },
    sourcemap: false,
    target: 'es2022',
    // Never turn small assets into data: URLs inside CSS or JS (keeps the CSP simple to reason about).
    assetsInlineLimit: 0,
  },
  server: { host: '127.0.0.1' },
});
