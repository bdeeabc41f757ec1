// The invigilation console's live picture of an exam: one GET for the first paint,
// then server-sent "snapshot" events. The browser's EventSource retries a dropped
// connection by itself; when it gives up (an HTTP error closes it) the page opens a
// new one with growing pauses, and says "reconnecting" until a snapshot arrives.
import { onBeforeUnmount, ref, shallowRef, type Ref } from 'vue'
import { ApiError } from '@/api'
import type { MonitorSnapshot } from '@/api/types'
import { invigilationApi } from './api'
import { serverOffset } from './monitor'

/** Where the live feed stands. */
export type LinkState = 'connecting' | 'live' | 'reconnecting' | 'stopped'

/** The part of EventSource the console uses (tests pass a fake). */
export interface EventSourceLike {
  readonly readyState: number
  onopen: ((event: Event) => void) | null
  onerror: ((event: Event) => void) | null
  addEventListener(type: string, listener: (event: MessageEvent) => void): void
  close(): void
}

export interface MonitorStreamOptions {
  /** Opens the event stream (default: the browser's EventSource, same-origin cookies). */
  connect?: (url: string) => EventSourceLike
  /** The first and the longest pause before opening a new stream, in ms. */
  minDelay?: number
  maxDelay?: number
}

const CLOSED = 2

export function useMonitorStream(examId: Ref<number>, options: MonitorStreamOptions = {}) {
  const connect = options.connect ?? ((url: string) => new EventSource(url) as unknown as EventSourceLike)
  const minDelay = options.minDelay ?? 1000
  const maxDelay = options.maxDelay ?? 15_000

  const snapshot = shallowRef<MonitorSnapshot | null>(null)
  /** Add to Date.now() to read the server's clock. */
  const offset = ref(0)
  const state = ref<LinkState>('connecting')
  /** Set when the exam cannot be watched (not found, out of scope, signed out). */
  const failure = shallowRef<ApiError | null>(null)
  /** How many times the feed was opened again after it broke. */
  const reconnects = ref(0)

  let source: EventSourceLike | null = null
  let timer: ReturnType<typeof setTimeout> | null = null
  let delay = minDelay
  let stopped = false

  function apply(next: MonitorSnapshot) {
    snapshot.value = next
    offset.value = serverOffset(next.server_time, Date.now())
  }

  /** Reads the picture once (first paint, and right after an action). */
  async function refresh(): Promise<void> {
    try {
      apply(await invigilationApi.monitor(examId.value))
      failure.value = null
    } catch (error) {
      if (error instanceof ApiError && [401, 403, 404].includes(error.status)) {
        failure.value = error
        stop()
      }
      throw error
    }
  }

  function closeSource() {
    if (source) {
      source.onopen = null
      source.onerror = null
      source.close()
      source = null
    }
  }

  function open() {
    if (stopped) return
    closeSource()
    const es = connect(invigilationApi.streamUrl(examId.value))
    source = es
    es.addEventListener('snapshot', (event: MessageEvent) => {
      try {
        apply(JSON.parse(String(event.data)) as MonitorSnapshot)
      } catch {
        return
      }
      state.value = 'live'
      delay = minDelay
    })
    es.onerror = () => {
      if (source !== es || stopped) return
      state.value = 'reconnecting'
      // CONNECTING: the browser retries by itself. CLOSED: it gave up; open a new one later.
      if (es.readyState === CLOSED) {
        closeSource()
        schedule()
      }
    }
  }

  function schedule() {
    if (stopped || timer) return
    const wait = delay
    delay = Math.min(delay * 2, maxDelay)
    timer = setTimeout(async () => {
      timer = null
      reconnects.value += 1
      try {
        // A plain request tells a lost session or a vanished exam from a network fault.
        await refresh()
      } catch {
        if (stopped) return
      }
      open()
    }, wait)
  }

  /** Opens the feed now if it is not live (the network came back, the tab became visible). */
  function nudge() {
    if (stopped || state.value === 'live') return
    if (timer) {
      clearTimeout(timer)
      timer = null
    }
    delay = minDelay
    schedule()
  }

  /** Loads the first picture, then listens; `failure` says when the exam cannot be watched. */
  async function start(): Promise<void> {
    stopped = false
    state.value = 'connecting'
    failure.value = null
    try {
      await refresh()
    } catch {
      // A network fault: the stream may still get through. Anything else stopped the console.
      if (stopped) return
    }
    open()
  }

  function stop() {
    stopped = true
    state.value = 'stopped'
    if (timer) {
      clearTimeout(timer)
      timer = null
    }
    closeSource()
  }

  // A dropped network may leave the stream open but silent (the server's keep-alive
  // comments never reach JavaScript), so the browser's own word that it went offline
  // is taken at once, and the stream is opened again when it is back.
  const onOffline = () => {
    if (stopped) return
    closeSource()
    if (timer) {
      clearTimeout(timer)
      timer = null
    }
    state.value = 'reconnecting'
  }
  const onOnline = () => nudge()
  const onVisible = () => {
    if (document.visibilityState === 'visible') nudge()
  }
  if (typeof window !== 'undefined') {
    window.addEventListener('online', onOnline)
    window.addEventListener('offline', onOffline)
    document.addEventListener('visibilitychange', onVisible)
  }
  onBeforeUnmount(() => {
    stop()
    if (typeof window !== 'undefined') {
      window.removeEventListener('online', onOnline)
      window.removeEventListener('offline', onOffline)
      document.removeEventListener('visibilitychange', onVisible)
    }
  })

  return { snapshot, offset, state, failure, reconnects, start, stop, refresh, nudge }
}
