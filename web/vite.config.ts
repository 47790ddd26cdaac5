import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));
/** Where a dev server (`npm run dev`) sends the API and sign-in: a running service. */
const service = process.env.WEB_DEV_SERVICE ?? 'http://127.0.0.1:3300';

export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    rollupOptions: {
      input: { portal: resolve(here, 'portal.html'), console: resolve(here, 'console.html') },
    },
  },
  server: {
    proxy: { '/api': service, '/auth': service, '/temporal': service },
  },
});
