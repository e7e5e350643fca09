import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Built files are served by the gateway at / (apps/gateway), next to /graphql; `npm run dev` proxies /graphql to a running `npm start`.
export default defineConfig({
  plugins: [react()],
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1200 },
  server: { proxy: { '/graphql': process.env.FLIGHTDECK_URL ?? 'http://127.0.0.1:4000' } },
});
