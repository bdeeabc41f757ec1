import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, ref } from 'vue'
import { mount } from '@vue/test-utils'
import type { LiveBoard } from '@/api/types'
import type { EventSourceLike } from '@/composables/useEventStream'
import { liveRows, useLiveBoard } from './useLiveBoard'

/** A stand-in for the browser's EventSource that the test drives by hand. */
class FakeSource implements EventSourceLike {
  static opened: FakeSource[] = []
  readyState = 0
  onerror: ((event: Event) => void) | null = null
  closed = false
  private listeners = new Map<string, ((event: MessageEvent) => void)[]>()

  constructor(readonly url: string) {
    FakeSource.opened.push(this)
  }

  addEventListener(type: string, listener: (event: MessageEvent) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener])
  }

  close() {
    this.closed = true
    this.readyState = 2
  }

  emit(type: string, data: unknown) {
    this.readyState = 1
    for (const l of this.listeners.get(type) ?? []) l(new MessageEvent(type, { data: typeof data === 'string' ? data : JSON.stringify(data) }))
  }

  fail(readyState: number) {
    this.readyState = readyState
    this.onerror?.(new Event('error'))
  }
}

function board(scored: number, contestants: LiveBoard['contestants'] = []): LiveBoard {
  return {
    stage: { id: 1, name: '省决赛' },
    precision: 2,
    aggregation: 'trimmed_mean',
    scored,
    complete: scored,
    contestants,
    server_time: new Date().toISOString(),
  }
}

const mounted: { unmount: () => void }[] = []
let clock = 0

function mountBoard() {
  let api!: ReturnType<typeof useLiveBoard>
  const Host = defineComponent({
    setup() {
      api = useLiveBoard(ref(1), {
        connect: (url) => new FakeSource(url),
        minDelay: 1000,
        maxDelay: 4000,
        staleAfter: 40_000,
        now: () => clock,
      })
      return () => h('div')
    },
  })
  mounted.push(mount(Host))
  return api
}

beforeEach(() => {
  vi.useFakeTimers()
  FakeSource.opened = []
  clock = 0
})

afterEach(() => {
  while (mounted.length) mounted.pop()!.unmount()
  vi.useRealTimers()
})

describe('useLiveBoard', () => {
  it('opens the public stream of the stage and shows each board as it comes', () => {
    const live = mountBoard()
    live.start()
    expect(FakeSource.opened).toHaveLength(1)
    expect(FakeSource.opened[0]!.url).toBe('/api/v1/public/stages/1/live')
    expect(live.state.value).toBe('connecting')
    FakeSource.opened[0]!.emit('board', board(3))
    expect(live.state.value).toBe('live')
    expect(live.board.value?.scored).toBe(3)
    FakeSource.opened[0]!.emit('board', 'not json')
    expect(live.board.value?.scored).toBe(3)
  })

  it('leaves a dropped stream to the browser while it retries, and opens a new one with growing pauses once it gives up', () => {
    const live = mountBoard()
    live.start()
    const first = FakeSource.opened[0]!
    first.emit('board', board(1))
    first.fail(0)
    expect(live.state.value).toBe('reconnecting')
    vi.advanceTimersByTime(5000)
    expect(FakeSource.opened).toHaveLength(1)

    first.fail(2)
    expect(first.closed).toBe(true)
    vi.advanceTimersByTime(999)
    expect(FakeSource.opened).toHaveLength(1)
    vi.advanceTimersByTime(1)
    expect(FakeSource.opened).toHaveLength(2)
    FakeSource.opened[1]!.fail(2)
    vi.advanceTimersByTime(1999)
    expect(FakeSource.opened).toHaveLength(2)
    vi.advanceTimersByTime(1)
    expect(FakeSource.opened).toHaveLength(3)
    FakeSource.opened[2]!.emit('board', board(5))
    expect(live.state.value).toBe('live')
    expect(live.reconnects.value).toBe(2)
  })

  it('opens the stream again when it stays silent longer than the server ever is', () => {
    const live = mountBoard()
    live.start()
    FakeSource.opened[0]!.emit('board', board(1))
    clock = 30_000
    vi.advanceTimersByTime(10_000)
    expect(FakeSource.opened).toHaveLength(1)
    clock = 41_000
    vi.advanceTimersByTime(10_000)
    expect(FakeSource.opened[0]!.closed).toBe(true)
    expect(live.state.value).toBe('reconnecting')
    vi.advanceTimersByTime(1000)
    expect(FakeSource.opened).toHaveLength(2)
  })

  it('stops listening when stopped or unmounted', () => {
    const live = mountBoard()
    live.start()
    live.stop()
    expect(FakeSource.opened[0]!.closed).toBe(true)
    expect(live.state.value).toBe('stopped')
    vi.advanceTimersByTime(60_000)
    expect(FakeSource.opened).toHaveLength(1)
  })
})

describe('liveRows', () => {
  const c = (name: string, practical: string | null) => ({
    contestant: { id: name.length, name },
    team: null,
    practical,
    judges: [],
    complete: practical !== null,
  })

  it('orders by practical score with shared places, those without a signed-off mark last', () => {
    const rows = liveRows(board(3, [c('b', '80.00'), c('a', null), c('c', '92.40'), c('d', '80.00')]))
    expect(rows.map((r) => [r.contestant.name, r.place])).toEqual([
      ['c', 1],
      ['b', 2],
      ['d', 2],
      ['a', null],
    ])
  })
})
