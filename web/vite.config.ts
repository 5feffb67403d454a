import { defineConfig } from "vite";

// No @vitejs/plugin-react: esbuild compiles TSX with the automatic JSX runtime.
export default defineConfig({
  esbuild: { jsx: "automatic" },
  build: {
    target: "es2020",
    sourcemap: false,
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 400,
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
