// vite.config.js: builds guild's browser interface into plain files that the
// guild binary embeds (scripts/web_gen.sh). Hashed names under /assets/ are
// served with long-cache headers; no inline scripts (the server's CSP forbids them).
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

export default defineConfig({
  plugins: [preact({ prefreshEnabled: false, devToolsEnabled: false })],
  build: {
    outDir: '../build/web-dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,          // every asset a file of its own: CSP img-src 'self'
    modulePreload: { polyfill: false },
    target: 'es2020',
    reportCompressedSize: false,
  },
  server: {
    // `npm run dev` with a `guild serve --port 8080` beside it
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
