// Registers the service worker (public/sw.js) that lets the exam page reload
// while the network is down, and tells it which of the app's files this page
// loaded before it was in control, so it keeps them too. Production builds
// only: Vite's dev server serves modules the worker does not know.

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

export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator) || !window.isSecureContext) return
  const seen: string[] = []
  let timer: ReturnType<typeof setTimeout> | null = null
  const send = () => {
    timer = null
    const urls = appFiles(seen.splice(0), location.origin)
    if (urls.length === 0) return
    void navigator.serviceWorker.ready.then((reg) => reg.active?.postMessage({ type: 'keep', urls }))
  }
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
