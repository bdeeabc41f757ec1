// SkillArena's service worker: lets the exam page reload while the network
// is down. It keeps
//   - the app itself (index.html and the hashed files under /assets/), so a
//     reload shows the app rather than the browser's error page;
//   - the signed-in user (GET /api/v1/me) and each attempt the browser has
//     open (GET /api/v1/attempts/{id}), as the server last sent them, with
//     every answer the server acknowledged since written in, so the page can
//     show the paper and the answers it had. The answers not yet acknowledged
//     are the page's own offline queue (IndexedDB), replayed when the network
//     returns.
// Online, every page and API request goes to the server as before (the kept
// copies are refreshed by the way); the copies are used only when the server
// cannot be reached. An attempt's copy is dropped when it is submitted, and
// every copy when anyone signs in or out, so a shared exam-room computer
// keeps nobody's paper.
// Plain JavaScript, copied as is to the build (Vite's public directory).

const SHELL = 'skillarena-shell-v1'
const DATA = 'skillarena-data-v1'
const ME = '/api/v1/me'
const ATTEMPT = /^\/api\/v1\/attempts\/(\d+)$/
const SAVE = /^\/api\/v1\/attempts\/(\d+)\/answers\/(\d+)$/
const SUBMIT = /^\/api\/v1\/attempts\/(\d+)\/submit$/
const SIGN_IN_OUT = /^\/api\/v1\/auth\/(login|logout)$/
// When a kept copy was received (ms since the epoch), to age its time left.
const RECEIVED = 'x-skillarena-received'

self.addEventListener('install', () => {
  self.skipWaiting()
})

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key !== SHELL && key !== DATA) await caches.delete(key)
      }
      await self.clients.claim()
    })(),
  )
})

// The page names the files it loaded before this worker controlled it.
self.addEventListener('message', (event) => {
  const msg = event.data
  if (msg && msg.type === 'keep' && Array.isArray(msg.urls)) event.waitUntil(keepShell(msg.urls))
})

self.addEventListener('fetch', (event) => {
  const req = event.request
  const url = new URL(req.url)
  if (url.origin !== self.location.origin) return
  const path = url.pathname
  if (req.method === 'GET') {
    if (req.mode === 'navigate') event.respondWith(page(req))
    else if (path.startsWith('/assets/')) event.respondWith(asset(req, path))
    else if (path === ME || (ATTEMPT.test(path) && url.search === '')) event.respondWith(kept(req, path))
    return
  }
  if (req.method === 'PUT' && SAVE.test(path)) event.respondWith(save(req, path))
  else if (req.method === 'POST' && (SUBMIT.test(path) || SIGN_IN_OUT.test(path))) event.respondWith(forgetAfter(req, path))
})

// The index.html the kept files belong to: when a new build is served, the
// files of the old one not loaded by the page now are dropped.
const BUILD = '/.kept-build'

async function keepShell(urls) {
  const cache = await caches.open(SHELL)
  try {
    const index = await fetch('/', { cache: 'no-cache' })
    if (isHTML(index)) {
      const text = await index.clone().text()
      const kept = await cache.match(BUILD)
      if (kept && (await kept.text()) !== text) {
        const loaded = new Set(urls.map((u) => new URL(u, self.location.origin).pathname))
        for (const req of await cache.keys()) {
          const path = new URL(req.url).pathname
          if (path.startsWith('/assets/') && !loaded.has(path)) await cache.delete(req)
        }
      }
      await cache.put(BUILD, new Response(text))
      await cache.put('/', index)
    }
  } catch {
    // Offline already: what is kept stays.
  }
  for (const u of urls) {
    const url = new URL(u, self.location.origin)
    if (url.origin !== self.location.origin || !url.pathname.startsWith('/assets/')) continue
    if (await cache.match(url.pathname)) continue
    try {
      const res = await fetch(url.pathname)
      if (res.ok) await cache.put(url.pathname, res)
    } catch {
      return
    }
  }
}

function isHTML(res) {
  return res.ok && (res.headers.get('content-type') || '').startsWith('text/html')
}

// Pages: the server's (every path answers the app's index.html), else the kept one.
async function page(req) {
  try {
    const res = await fetch(req)
    if (isHTML(res)) {
      const cache = await caches.open(SHELL)
      await cache.put('/', res.clone())
    }
    return res
  } catch (error) {
    const kept = await caches.match('/', { cacheName: SHELL })
    if (kept) return kept
    throw error
  }
}

// Hashed files never change: the kept copy, else the server's, kept.
async function asset(req, path) {
  const cache = await caches.open(SHELL)
  const hit = await cache.match(path)
  if (hit) return hit
  const res = await fetch(req)
  if (res.ok) await cache.put(path, res.clone())
  return res
}

// The user and the attempts: the server's answer, kept; else the kept one.
async function kept(req, path) {
  const cache = await caches.open(DATA)
  let res
  try {
    res = await fetch(req)
  } catch (error) {
    const copy = await cache.match(path)
    if (!copy) throw error
    return offlineCopy(copy, path)
  }
  if (res.ok) {
    const body = await res.clone().text()
    if (path === ME || isRunning(body)) await cache.put(path, keptResponse(res, body))
    else await cache.delete(path)
  } else if (res.status === 401 || res.status === 403 || res.status === 404) {
    await cache.delete(path)
  }
  return res
}

function isRunning(body) {
  try {
    return JSON.parse(body).status === 'in_progress'
  } catch {
    return false
  }
}

function keptResponse(res, body) {
  const headers = new Headers({ 'content-type': res.headers.get('content-type') || 'application/json' })
  headers.set(RECEIVED, String(Date.now()))
  return new Response(body, { status: 200, headers })
}

// A kept attempt's time left is aged by the time since it was received, as
// the page's countdown would have run.
async function offlineCopy(copy, path) {
  const headers = new Headers({ 'content-type': 'application/json', 'x-skillarena-offline': '1' })
  if (!ATTEMPT.test(path)) return new Response(await copy.text(), { status: 200, headers })
  const a = await copy.json()
  const elapsed = Math.max(0, Math.floor((Date.now() - Number(copy.headers.get(RECEIVED) || Date.now())) / 1000))
  a.remaining_seconds = Math.max(0, a.remaining_seconds - elapsed)
  if (a.server_time) a.server_time = new Date(Date.parse(a.server_time) + elapsed * 1000).toISOString()
  return new Response(JSON.stringify(a), { status: 200, headers })
}

// Writes to a kept attempt, one at a time.
let writing = Promise.resolve()
function update(path, change) {
  writing = writing.then(async () => {
    const cache = await caches.open(DATA)
    const copy = await cache.match(path)
    if (!copy) return
    const received = copy.headers.get(RECEIVED)
    const body = change(await copy.json())
    if (body === null) {
      await cache.delete(path)
      return
    }
    const headers = new Headers({ 'content-type': 'application/json' })
    if (received) headers.set(RECEIVED, received)
    await cache.put(path, new Response(JSON.stringify(body), { status: 200, headers }))
  }).catch(() => {})
  return writing
}

// An acknowledged save is written into the kept attempt.
async function save(req, path) {
  const [, attemptId, itemId] = SAVE.exec(path)
  const sent = await req.clone().json().catch(() => null)
  const res = await fetch(req)
  if (res.ok && sent) {
    const ack = await res.clone().json().catch(() => ({}))
    const item = Number(itemId)
    await update(`/api/v1/attempts/${attemptId}`, (a) => {
      const answers = Array.isArray(a.answers) ? a.answers : []
      const i = answers.findIndex((x) => x.item_id === item)
      if (i >= 0 && answers[i].seq >= sent.seq) return a
      const answer = { item_id: item, response: sent.response, seq: sent.seq, saved_at: ack.saved_at || new Date().toISOString() }
      if (i >= 0) answers[i] = answer
      else answers.push(answer)
      a.answers = answers
      return a
    })
  }
  return res
}

// A submitted attempt is no longer kept; signing in or out drops every copy.
async function forgetAfter(req, path) {
  const res = await fetch(req)
  if (res.ok) {
    const submitted = SUBMIT.exec(path)
    if (submitted) await update(`/api/v1/attempts/${submitted[1]}`, () => null)
    else await caches.delete(DATA)
  }
  return res
}
