import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { regionBasemap } from './build/region-basemap.js';

/**
 * The web client: `index.html` at the project root builds to `dist/web`, which the server serves.
 * In development `npx vite` proxies the API (HTTP and the live WebSocket) to a running server;
 * CONCORD_API_URL points it elsewhere than the default port.
 */
const apiTarget = process.env.CONCORD_API_URL ?? 'http://localhost:8080';

export default defineConfig({
  plugins: [react(), regionBasemap()],
  publicDir: false,
  build: {
    outDir: 'dist/web',
    emptyOutDir: true,
    target: 'es2022',
    // milsymbol's symbol set is one ~860 kB chunk, loaded after the first picture.
    chunkSizeWarningLimit: 1000,
    // The basemap GeoJSON (build/region-basemap.ts) is fetched as a hashed asset, never inlined.
    assetsInlineLimit: 4096,
    rolldownOptions: {
      output: {
        // Libraries change far less often than the app: separate chunks stay cached across releases.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            { name: 'ol', test: /node_modules[\\/](ol|rbush|quickselect|earcut|color-[a-z]+)[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: apiTarget, ws: true },
    },
  },
});
