import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, ref } from 'vue'
import { mount } from '@vue/test-utils'
import { configureApi } from '@/api'
import type { MonitorSnapshot } from '@/api/types'
import type { EventSourceLike } from '@/composables/useEventStream'
import { useMonitorStream } from './useMonitorStream'

/** A stand-in for the browser's EventSource that the test drives by hand. */
class FakeSource implements EventSourceLike {
  static opened: FakeSource[] = []
  readyState = 0
  onopen: ((event: Event) => void) | null = null
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
    for (const l of this.listeners.get(type) ?? []) l(new MessageEvent(type, { data: JSON.stringify(data) }))
  }

  fail(readyState: number) {
    this.readyState = readyState
    this.onerror?.(new Event('error'))
  }
}

function snap(title: string): MonitorSnapshot {
  return { exam: { id: 7, title }, server_time: new Date().toISOString(), rows: [] }
}

function answer(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

/** Mounted hosts, unmounted after each test so that none keeps listening to window events. */
const mounted: { unmount: () => void }[] = []

function mountStream() {
  let api!: ReturnType<typeof useMonitorStream>
  const Host = defineComponent({
    setup() {
      api = useMonitorStream(ref(7), { connect: (url) => new FakeSource(url), minDelay: 1000, maxDelay: 4000 })
      return () => h('div')
    },
  })
  const wrapper = mount(Host)
  mounted.push(wrapper)
  return { api, wrapper }
}

describe('useMonitorStream', () => {
  const fetchMock = vi.fn<typeof fetch>()

  beforeEach(() => {
    vi.useFakeTimers()
    FakeSource.opened = []
    fetchMock.mockReset()
    vi.stubGlobal('fetch', fetchMock)
    configureApi({ locale: () => 'zh-CN', onUnauthorized: () => {} })
  })

  afterEach(() => {
    for (const w of mounted.splice(0)) w.unmount()
    vi.useRealTimers()
    vi.unstubAllGlobals()
  })

  it('paints from GET /monitor, then goes live on the first SSE snapshot', async () => {
    fetchMock.mockResolvedValue(answer(200, snap('first paint')))
    const { api } = mountStream()
    await api.start()
    expect(String(fetchMock.mock.calls[0]![0])).toBe('/api/v1/exams/7/monitor')
    expect(api.snapshot.value?.exam.title).toBe('first paint')
    expect(api.state.value).toBe('connecting')
    expect(FakeSource.opened[0]!.url).toBe('/api/v1/exams/7/monitor/stream')

    FakeSource.opened[0]!.emit('snapshot', snap('live'))
    expect(api.state.value).toBe('live')
    expect(api.snapshot.value?.exam.title).toBe('live')
  })

  it('says "reconnecting" while the browser retries, and is live again with the next snapshot', async () => {
    fetchMock.mockResolvedValue(answer(200, snap('a')))
    const { api } = mountStream()
    await api.start()
    const es = FakeSource.opened[0]!
    es.emit('snapshot', snap('b'))
    es.fail(0) // CONNECTING: the browser retries on its own
    expect(api.state.value).toBe('reconnecting')
    expect(FakeSource.opened).toHaveLength(1)
    es.emit('snapshot', snap('c'))
    expect(api.state.value).toBe('live')
  })

  it('opens a new stream with growing pauses when the browser gives up', async () => {
    fetchMock.mockResolvedValue(answer(200, snap('a')))
    const { api } = mountStream()
    await api.start()
    FakeSource.opened[0]!.fail(2) // CLOSED
    expect(api.state.value).toBe('reconnecting')
    await vi.advanceTimersByTimeAsync(999)
    expect(FakeSource.opened).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(FakeSource.opened).toHaveLength(2)
    expect(FakeSource.opened[0]!.closed).toBe(true)

    FakeSource.opened[1]!.fail(2)
    await vi.advanceTimersByTimeAsync(1999)
    expect(FakeSource.opened).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(1)
    expect(FakeSource.opened).toHaveLength(3)
    expect(api.reconnects.value).toBe(2)
  })

  it('says "reconnecting" as soon as the browser goes offline, and opens a new stream when it is back', async () => {
    fetchMock.mockResolvedValue(answer(200, snap('a')))
    const { api } = mountStream()
    await api.start()
    FakeSource.opened[0]!.emit('snapshot', snap('b'))
    window.dispatchEvent(new Event('offline'))
    expect(api.state.value).toBe('reconnecting')
    expect(FakeSource.opened[0]!.closed).toBe(true)
    window.dispatchEvent(new Event('online'))
    await vi.advanceTimersByTimeAsync(1000)
    expect(FakeSource.opened).toHaveLength(2)
    FakeSource.opened[1]!.emit('snapshot', snap('c'))
    expect(api.state.value).toBe('live')
  })

  it('stops for good when the exam is not found, and closes the stream when the page goes', async () => {
    fetchMock.mockResolvedValue(answer(404, { error: { code: 'not_found', message: '考试不存在' } }))
    const { api, wrapper } = mountStream()
    await api.start()
    expect(api.failure.value?.message).toBe('考试不存在')
    expect(api.state.value).toBe('stopped')
    expect(FakeSource.opened).toHaveLength(0)

    fetchMock.mockResolvedValue(answer(200, snap('a')))
    await api.start()
    expect(FakeSource.opened).toHaveLength(1)
    wrapper.unmount()
    expect(FakeSource.opened[0]!.closed).toBe(true)
  })
})
