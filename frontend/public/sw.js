// SkillArena's service worker: lets the exam page reload while the network
// is down. The exam page registers it (src/exam/offline.ts). It keeps
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

// The exam page names the files it loaded (some before this worker was in
// control) and the user and attempt it shows.
self.addEventListener('message', (event) => {
  const msg = event.data
  if (!msg || msg.type !== 'keep') return
  event.waitUntil(
    (async () => {
      if (Array.isArray(msg.urls)) await keepShell(msg.urls)
      for (const path of Array.isArray(msg.api) ? msg.api : []) {
        if (path !== ME && !ATTEMPT.test(path)) continue
        try {
          await kept(new Request(path, { credentials: 'same-origin' }), path)
        } catch {
          // Offline: the copy kept before stays.
        }
      }
    })(),
  )
})

self.addEventListener('fetch', (event) => {
  const req = event.request
  const url = new URL(req.url)
  if (url.origin !== self.location.origin) return
  const path = url.pathname
  if (req.method === 'GET') {
    if (req.mode === 'navigate' && !path.startsWith('/api/')) event.respondWith(page(req))
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
    if (path === ME) await cache.put(path, keptResponse(body, Date.now()))
    else await keepAttempt(path, body)
  } else if (res.status === 401 || res.status === 403 || res.status === 404) {
    await cache.delete(path)
  }
  return res
}

// A fresh copy of an attempt in progress replaces the kept one, but an
// answer the kept copy has newer (a save acknowledged while this read was
// on its way) stays.
function keepAttempt(path, body) {
  const received = Date.now()
  return enqueue(async (cache) => {
    let fresh
    try {
      fresh = JSON.parse(body)
    } catch {
      fresh = null
    }
    if (!fresh || fresh.status !== 'in_progress') {
      await cache.delete(path)
      return
    }
    if (!Array.isArray(fresh.answers)) fresh.answers = []
    const old = await cache.match(path)
    if (old) {
      const before = await old.json()
      for (const a of Array.isArray(before.answers) ? before.answers : []) {
        const i = fresh.answers.findIndex((x) => x.item_id === a.item_id)
        if (i < 0) fresh.answers.push(a)
        else if (a.seq > fresh.answers[i].seq) fresh.answers[i] = a
      }
    }
    await cache.put(path, keptResponse(JSON.stringify(fresh), received))
  })
}

function keptResponse(body, received) {
  const headers = new Headers({ 'content-type': 'application/json' })
  headers.set(RECEIVED, String(received))
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

// Writes to the kept attempts, one at a time.
let writing = Promise.resolve()
function enqueue(job) {
  writing = writing.then(async () => job(await caches.open(DATA))).catch(() => {})
  return writing
}

function update(path, change) {
  return enqueue(async (cache) => {
    const copy = await cache.match(path)
    if (!copy) return
    const received = Number(copy.headers.get(RECEIVED) || Date.now())
    const body = change(await copy.json())
    if (body === null) await cache.delete(path)
    else await cache.put(path, keptResponse(JSON.stringify(body), received))
  })
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
