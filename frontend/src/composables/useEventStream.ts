// A live feed of server-sent events, as the invigilation console and the practical
// round's board use it. The browser's EventSource retries a dropped connection by
// itself; when it gives up (an HTTP error closes it) the feed opens a new one with
// growing pauses, and says "reconnecting" until an event arrives. A dropped network
// may leave the stream open but silent (the server's keep-alive comments never reach
// JavaScript), so the browser's own word that it went offline is taken at once, and
// the stream is opened again when it is back or the tab becomes visible.
import { onBeforeUnmount, ref } from 'vue'

/** Where a live feed stands. */
export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'stopped'

/** The part of EventSource a feed uses (tests pass a fake). */
export interface EventSourceLike {
  readonly readyState: number
  onerror: ((event: Event) => void) | null
  addEventListener(type: string, listener: (event: MessageEvent) => void): void
  close(): void
}

/** How a feed connects and reconnects; tests pass their own. */
export interface EventStreamOptions {
  /** Opens the event stream (default: the browser's EventSource, same-origin cookies). */
  connect?: (url: string) => EventSourceLike
  /** The first and the longest pause before opening a new stream, in ms. */
  minDelay?: number
  maxDelay?: number
  /** A stream with no event for this long is opened again, in ms (default: never). */
  staleAfter?: number
  /** The clock. */
  now?: () => number
}

/** What a feed listens to and what it does with each event. */
export interface EventFeed<T> extends EventStreamOptions {
  url: () => string
  /** The name of the events that carry a T as JSON; others are ignored. */
  event: string
  receive: (data: T) => void
  /**
   * Runs before each stream is opened, at start and after a break (a plain request
   * tells a lost session from a network fault). A throw is a network fault unless it
   * stopped the feed.
   */
  prepare?: () => Promise<void>
}

const CLOSED = 2

export function useEventStream<T>(feed: EventFeed<T>) {
  const connect = feed.connect ?? ((url: string) => new EventSource(url) as unknown as EventSourceLike)
  const minDelay = feed.minDelay ?? 1000
  const maxDelay = feed.maxDelay ?? 15_000
  const now = feed.now ?? (() => Date.now())

  const state = ref<StreamState>('connecting')
  /** When the last event arrived (ms, the clock above). */
  const updatedAt = ref<number | null>(null)
  /** How many times the feed was opened again after it broke. */
  const reconnects = ref(0)

  let source: EventSourceLike | null = null
  let timer: ReturnType<typeof setTimeout> | null = null
  let watchdog: ReturnType<typeof setInterval> | null = null
  let delay = minDelay
  let stopped = true
  let lastEvent = 0

  function closeSource() {
    if (source) {
      source.onerror = null
      source.close()
      source = null
    }
  }

  function clearTimer() {
    if (timer) {
      clearTimeout(timer)
      timer = null
    }
  }

  function open() {
    if (stopped) return
    closeSource()
    const es = connect(feed.url())
    source = es
    lastEvent = now()
    es.addEventListener(feed.event, (event: MessageEvent) => {
      if (source !== es) return
      let next: T
      try {
        next = JSON.parse(String(event.data)) as T
      } catch {
        return
      }
      feed.receive(next)
      lastEvent = now()
      updatedAt.value = lastEvent
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

  async function prepareAndOpen() {
    if (feed.prepare) {
      try {
        await feed.prepare()
      } catch {
        // A network fault: the stream may still get through. A stop keeps it shut (open checks).
      }
    }
    open()
  }

  function schedule() {
    if (stopped || timer) return
    const wait = delay
    delay = Math.min(delay * 2, maxDelay)
    timer = setTimeout(() => {
      timer = null
      reconnects.value += 1
      void prepareAndOpen()
    }, wait)
  }

  function check() {
    if (stopped || !source || feed.staleAfter === undefined) return
    if (now() - lastEvent > feed.staleAfter) {
      state.value = 'reconnecting'
      closeSource()
      schedule()
    }
  }

  /** Starts listening (after `prepare`, if any) unless the feed is on already. */
  async function start(): Promise<void> {
    if (!stopped) return
    stopped = false
    state.value = 'connecting'
    delay = minDelay
    if (feed.staleAfter !== undefined) watchdog = setInterval(check, Math.max(1000, Math.floor(feed.staleAfter / 4)))
    await prepareAndOpen()
  }

  function stop() {
    stopped = true
    state.value = 'stopped'
    clearTimer()
    if (watchdog) {
      clearInterval(watchdog)
      watchdog = null
    }
    closeSource()
  }

  /** Opens the feed now if it is not live (the network came back, the tab became visible). */
  function nudge() {
    if (stopped || state.value === 'live') return
    clearTimer()
    delay = minDelay
    schedule()
  }

  const onOffline = () => {
    if (stopped) return
    closeSource()
    clearTimer()
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

  return { state, updatedAt, reconnects, start, stop, nudge }
}
