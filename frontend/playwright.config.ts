import os from 'node:os'
import path from 'node:path'
import { defineConfig } from '@playwright/test'

// One fresh demo database per run. The config is loaded again in each worker, so the
// path is kept in the environment, which the workers inherit from the runner.
process.env.SKILLARENA_E2E_DB ??= path.join(os.tmpdir(), `skillarena-e2e-${Date.now()}.db`)

// E2E_ADDR lets two checkouts run their browser tests side by side.
const addr = process.env.E2E_ADDR ?? '127.0.0.1:18080'
const baseURL = `http://${addr}`

export default defineConfig({
  testDir: 'e2e',
  globalTeardown: './e2e/teardown.ts',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    // Debian's Chromium: Playwright must never download a browser of its own.
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: {
    // Built by `make build` at the repo root, with this app embedded.
    command: '../bin/skillarena serve',
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    // The server logs every request; E2E_SERVER_LOG=1 shows them (and start-up failures).
    stdout: process.env.E2E_SERVER_LOG ? 'pipe' : 'ignore',
    stderr: process.env.E2E_SERVER_LOG ? 'pipe' : 'ignore',
    env: {
      SKILLARENA_ADDR: addr,
      SKILLARENA_DEMO: '1',
      SKILLARENA_DATABASE_URL: `sqlite://${process.env.SKILLARENA_E2E_DB}`,
    },
  },
})
