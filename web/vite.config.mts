import { defineConfig } from "vite";

/**
 * Preact through esbuild's automatic JSX runtime (no Babel preset needed).
 * `npm run dev -w web` proxies the API and media to a running Arena
 * (ARENA_API, default http://127.0.0.1:3000); the realtime URL comes from
 * VITE_REALTIME_URL (default ws://<page host>:3001) since the dev server
 * does not template index.html the way the api node does.
 */
const api = process.env.ARENA_API ?? "http://127.0.0.1:3000";

export default defineConfig({
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  resolve: { alias: { react: "preact/compat", "react-dom": "preact/compat" } },
  build: {
    target: "es2022",
    sourcemap: false,
    // hls.js is one lazy chunk for the player pages; the home page never loads it.
    chunkSizeWarningLimit: 600,
    modulePreload: { polyfill: false },
  },
  server: {
    port: 5173,
    proxy: { "/api": api, "/media": api },
  },
});
