import { defineConfig } from 'vite';

// Everything the UI needs ships in dist/: no CDN, no remote fonts (the box may have no internet).
export default defineConfig({
  root: '.',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', assetsInlineLimit: 0 },
  server: { proxy: { '/api': 'http://127.0.0.1:8080', '/health': 'http://127.0.0.1:8080' } },
});
