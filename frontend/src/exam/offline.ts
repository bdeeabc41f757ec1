// Lets the exam page reload while the network is down: registers the service
// worker (public/sw.js) when a contestant opens an attempt, and asks it to
// keep the app's files this page loaded (those loaded before it was in
// control too), the signed-in user and the attempt. Only a browser that has
// opened an exam page registers the worker: an organiser's or judge's
// browser that never did has none, and its pages never go through it.
// Production builds only: Vite's dev server serves modules the worker does
// not know.

/** The app's own hashed files among resource URLs. */
export function appFiles(urls: string[], origin: string): string[] {
  const out = new Set<string>()
  for (const u of urls) {
    let url: URL
    try {
      url = new URL(u, origin)
    } catch {
      continue
    }
    if (url.origin === origin && url.pathname.startsWith('/assets/')) out.add(url.pathname)
  }
  return [...out]
}

let started = false
const seen: string[] = []
let api: string[] = []
let timer: ReturnType<typeof setTimeout> | null = null

function send(): void {
  timer = null
  const urls = appFiles(seen.splice(0), location.origin)
  const paths = api.splice(0)
  if (urls.length === 0 && paths.length === 0) return
  void navigator.serviceWorker.ready.then((reg) => reg.active?.postMessage({ type: 'keep', urls, api: paths }))
}

/** Keeps what attempt `attemptId`'s page needs to come back without the network. */
export function keepForOffline(attemptId: number): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator) || !window.isSecureContext) return
  api = ['/api/v1/me', `/api/v1/attempts/${attemptId}`]
  timer ??= setTimeout(send, 500)
  if (started) return
  started = true
  // Every file loaded, from the first (buffered) on; sent in batches.
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) seen.push(e.name)
    timer ??= setTimeout(send, 500)
  }).observe({ type: 'resource', buffered: true })
  navigator.serviceWorker.register('/sw.js').catch((error: unknown) => {
    // The exam page still works without it; only a reload while offline cannot.
    console.warn('service worker not registered', error)
  })
}
