import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  plugins: [react()],
  resolve: {
    alias: { '@meridian/contracts': path.resolve(here, '../../libs/contracts/src/index.ts') },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // The contracts are zod schemas built at module load; the app mostly needs their types, so let
    // the bundler drop schemas nothing uses (they have no side effects beyond building themselves).
    rollupOptions: { treeshake: { moduleSideEffects: (id: string) => !id.includes('/libs/contracts/') } },
  },
});
