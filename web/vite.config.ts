import { resolve } from "node:path";
import { defineConfig } from "vite";

// No @vitejs/plugin-react: esbuild compiles TSX with the automatic JSX runtime.
export default defineConfig({
  esbuild: { jsx: "automatic" },
  build: {
    target: "es2020",
    sourcemap: false,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false }, // every browser we support has modulepreload
    chunkSizeWarningLimit: 400,
    // Two pages: the agent app (index.html) and the public help centre (portal.html, served
    // for /help/...). They share only small modules (the API fetch wrapper, lib/ helpers such as
    // safeHtml and segments) and libraries.
    rollupOptions: {
      input: {
        index: resolve(__dirname, "index.html"),
        portal: resolve(__dirname, "portal.html"),
      },
      output: {
        // What both pages load: React, i18next and the two tiny shared modules.
        manualChunks(id) {
          if (id.includes("/node_modules/") || id.endsWith("/src/api.ts") || id.endsWith("/src/lib/router.ts")) return "shared";
          return undefined;
        },
      },
    },
  },
  server: {
    proxy: {
      "/api": { target: "http://127.0.0.1:18123", ws: true },
    },
  },
  test: {
    include: ["src/**/*.test.ts", "src/**/*.test.tsx"],
    environment: "node",
  },
});
