import { fileURLToPath, URL } from 'node:url'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'
import { defineConfig } from 'vitest/config'

// The Go server listens here during development (make run).
const backend = 'http://127.0.0.1:8080'

export default defineConfig({
  plugins: [
    vue(),
    // Element Plus components and directives used in templates are imported on demand,
    // with their CSS, so that each page carries only what it uses.
    Components({
      resolvers: [ElementPlusResolver({ importStyle: 'css' })],
      dts: 'components.d.ts',
      dirs: [],
    }),
  ],
  resolve: {
    alias: {
      '@': fileURLToPath(new URL('./src', import.meta.url)),
    },
  },
  define: {
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  server: {
    // Keep the Host header as the browser sent it: the server refuses requests whose
    // Origin does not match, and the dev server is the origin the browser sees.
    proxy: {
      '/api': { target: backend },
      '/healthz': { target: backend },
    },
  },
  build: {
    // dist/index.html is the committed placeholder that lets Go build without
    // Node; the real app goes to dist/app, which embed.go prefers when present.
    outDir: 'dist/app',
    emptyOutDir: true,
    chunkSizeWarningLimit: 800,
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.spec.ts'],
    setupFiles: ['vitest.setup.ts'],
    restoreMocks: true,
    // Element Plus's style modules import CSS files, which only Vite (not Node) can load.
    server: { deps: { inline: ['element-plus'] } },
  },
})
