// The practical round's live board: server-sent `board` events (only signed-off
// marks), without sign-in. The browser's EventSource retries a dropped connection by
// itself; when it gives up (an HTTP error closes it) a new one is opened after a
// growing pause. The server sends a board at least every 15 s, so a stream silent for
// longer than `staleAfter` is taken as dead (a projector left on a flaky network) and
// opened again.
import { onBeforeUnmount, ref, shallowRef, type Ref } from 'vue'
import type { LiveBoard } from '@/api/types'
import { publicApi } from './api'

/** Where the live feed stands. */
export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'stopped'

/** The part of EventSource the board uses (tests pass a fake). */
export interface LiveSource {
  readonly readyState: number
  onerror: ((event: Event) => void) | null
  addEventListener(type: string, listener: (event: MessageEvent) => void): void
  close(): void
}

export interface LiveBoardOptions {
  connect?: (url: string) => LiveSource
  /** The first and the longest pause before opening a new stream, in ms. */
  minDelay?: number
  maxDelay?: number
  /** A stream with no board for this long is opened again, in ms. */
  staleAfter?: number
  /** The clock (tests pass their own). */
  now?: () => number
}

const CLOSED = 2

export function useLiveBoard(stageId: Ref<number>, options: LiveBoardOptions = {}) {
  const connect = options.connect ?? ((url: string) => new EventSource(url) as unknown as LiveSource)
  const minDelay = options.minDelay ?? 1000
  const maxDelay = options.maxDelay ?? 15_000
  const staleAfter = options.staleAfter ?? 40_000
  const now = options.now ?? (() => Date.now())

  const board = shallowRef<LiveBoard | null>(null)
  const state = ref<LiveState>('connecting')
  /** When the last board arrived (ms, the browser's clock). */
  const updatedAt = ref<number | null>(null)
  /** How many times the feed was opened again after it broke. */
  const reconnects = ref(0)

  let source: LiveSource | null = null
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

  function open() {
    if (stopped) return
    closeSource()
    const es = connect(publicApi.liveUrl(stageId.value))
    source = es
    lastEvent = now()
    es.addEventListener('board', (event: MessageEvent) => {
      if (source !== es) return
      let next: LiveBoard
      try {
        next = JSON.parse(String(event.data)) as LiveBoard
      } catch {
        return
      }
      board.value = next
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

  function schedule() {
    if (stopped || timer) return
    const wait = delay
    delay = Math.min(delay * 2, maxDelay)
    timer = setTimeout(() => {
      timer = null
      reconnects.value += 1
      open()
    }, wait)
  }

  function check() {
    if (stopped || !source) return
    if (now() - lastEvent > staleAfter) {
      state.value = 'reconnecting'
      closeSource()
      schedule()
    }
  }

  function start() {
    if (!stopped) return
    stopped = false
    state.value = 'connecting'
    delay = minDelay
    open()
    watchdog = setInterval(check, Math.max(1000, Math.floor(staleAfter / 4)))
  }

  function stop() {
    stopped = true
    state.value = 'stopped'
    if (timer) {
      clearTimeout(timer)
      timer = null
    }
    if (watchdog) {
      clearInterval(watchdog)
      watchdog = null
    }
    closeSource()
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

  const onOffline = () => {
    if (stopped) return
    closeSource()
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

  return { board, state, updatedAt, reconnects, start, stop, nudge }
}

/** The board's contestants by practical score, highest first (those without one last), with shared places. */
export function liveRows(board: LiveBoard | null): (LiveBoard['contestants'][number] & { place: number | null })[] {
  if (!board) return []
  const key = (p: string | null) => (p === null ? -Infinity : Number(p))
  const sorted = [...board.contestants].sort(
    (a, b) => key(b.practical) - key(a.practical) || a.contestant.name.localeCompare(b.contestant.name),
  )
  let place = 0
  return sorted.map((c, i) => {
    if (c.practical === null) return { ...c, place: null }
    if (i === 0 || sorted[i - 1]!.practical !== c.practical) place = i + 1
    return { ...c, place }
  })
}
