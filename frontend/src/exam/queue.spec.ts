import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError } from '@/api/client'
import type { AnswerSaved } from '@/api/types'
import { AnswerQueue, backoffDelay, classify, type ItemSaveState } from './queue'
import { memoryStorage, type QueueEntry } from './storage'

const ATTEMPT = 7

const networkDown = () => new ApiError({ status: 0, code: 'network', message: 'Network error' })
const unavailable = (retryAfter: number | null = null) =>
  new ApiError({ status: 503, code: 'internal', message: 'Service unavailable', retryAfter })
const stale = () => new ApiError({ status: 409, code: 'stale_write', message: 'a newer answer is stored (seq 9)' })
const late = () => new ApiError({ status: 409, code: 'deadline_passed', message: '已超过截止时间，答案未被接受' })
const elsewhere = () => new ApiError({ status: 409, code: 'conflict', message: '该考试已在另一浏览器中打开' })

/** A fake server: records every PUT and answers with what the test scripts, else 200. */
function fakeServer() {
  const sent: QueueEntry[] = []
  const script: (Error | null)[] = []
  let down = false
  const send = vi.fn(async (entry: QueueEntry): Promise<AnswerSaved> => {
    sent.push({ ...entry })
    if (down) throw networkDown()
    const next = script.shift()
    if (next) throw next
    return { seq: entry.seq, saved_at: '2026-11-25T08:00:00Z' }
  })
  return {
    sent,
    send,
    script,
    setDown(value: boolean) {
      down = value
    },
  }
}

function setup(server = fakeServer(), storage = memoryStorage()) {
  const states = new Map<number, ItemSaveState>()
  const locked = vi.fn()
  const refused = vi.fn()
  const queue = new AnswerQueue({
    attemptId: ATTEMPT,
    storage,
    send: server.send,
    onState: (item, state) => states.set(item, state),
    onLocked: locked,
    onRefused: refused,
    random: () => 0.5,
  })
  return { queue, server, storage, states, locked, refused }
}

/** Lets every pending promise (storage writes, sends) run. */
async function settle() {
  for (let i = 0; i < 20; i++) await Promise.resolve()
}

describe('AnswerQueue', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('numbers each item’s changes strictly upward, starting above both the server’s and the locally kept seq', async () => {
    const storage = memoryStorage()
    storage.seqs.set(`${ATTEMPT}:1`, 12) // used in this browser before a reload
    const { queue, server } = setup(fakeServer(), storage)
    await queue.load([
      { item_id: 1, response: 'A', seq: 5, saved_at: null },
      { item_id: 2, response: null, seq: 20, saved_at: null },
    ])
    await queue.enqueue(1, 'B')
    await queue.enqueue(2, true)
    await queue.enqueue(1, 'C')
    await queue.flush()
    expect(server.sent.map((e) => [e.itemId, e.seq])).toEqual([
      [1, 13],
      [2, 21],
      [1, 14],
    ])
    expect(storage.seqs.get(`${ATTEMPT}:1`)).toBe(14)
  })

  it('writes every change to storage before sending it, and removes it only when the server has it', async () => {
    const { queue, server, storage, states } = setup()
    await queue.load([])
    let storedWhenSent = -1
    server.send.mockImplementationOnce(async (entry) => {
      storedWhenSent = storage.entries.filter((e) => e.itemId === entry.itemId).length
      return { seq: entry.seq, saved_at: '2026-11-25T08:00:01Z' }
    })
    await queue.enqueue(3, ['A', 'C'])
    await queue.flush()
    expect(storedWhenSent).toBe(1)
    expect(storage.entries).toEqual([])
    expect(states.get(3)).toEqual({ state: 'saved', seq: 1, savedAt: '2026-11-25T08:00:01Z' })
  })

  it('keeps answers while the network is down and replays them in the order they were made when it returns', async () => {
    const { queue, server, storage, states } = setup()
    await queue.load([])
    server.setDown(true)
    await queue.enqueue(1, 'A')
    await queue.flush()
    await queue.enqueue(2, 'B')
    await queue.enqueue(3, ['first'])
    await settle()
    expect(queue.offline).toBe(true)
    expect(storage.entries.map((e) => e.itemId)).toEqual([1, 2, 3])
    expect([1, 2, 3].map((i) => states.get(i)?.state)).toEqual(['queued', 'queued', 'queued'])
    // New changes while offline wait for the next retry instead of each trying at once.
    expect(server.sent).toHaveLength(1)

    server.setDown(false)
    server.sent.length = 0
    queue.kick() // the browser's online event
    await queue.flush()
    expect(server.sent.map((e) => [e.itemId, e.response])).toEqual([
      [1, 'A'],
      [2, 'B'],
      [3, ['first']],
    ])
    expect(storage.entries).toEqual([])
    expect([1, 2, 3].map((i) => states.get(i)?.state)).toEqual(['saved', 'saved', 'saved'])
  })

  it('retries on its own with growing waits when nobody says the network is back', async () => {
    const { queue, server } = setup()
    await queue.load([])
    server.setDown(true)
    await queue.enqueue(1, 'A')
    await queue.flush()
    expect(server.sent).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(999)
    expect(server.sent).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(server.sent).toHaveLength(2) // after 1 s
    await vi.advanceTimersByTimeAsync(2000)
    expect(server.sent).toHaveLength(3) // then 2 s
    server.setDown(false)
    await vi.advanceTimersByTimeAsync(4000)
    expect(server.sent).toHaveLength(4) // then 4 s, and it went through
    expect(queue.pendingCount).toBe(0)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(server.sent).toHaveLength(4)
  })

  it('waits as long as a 503’s Retry-After asks, and treats 5xx like a lost network', async () => {
    const { queue, server } = setup()
    await queue.load([])
    server.script.push(unavailable(5))
    await queue.enqueue(1, 'A')
    await queue.flush()
    expect(queue.pendingCount).toBe(1)
    await vi.advanceTimersByTimeAsync(4999)
    expect(server.sent).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(server.sent).toHaveLength(2)
    expect(queue.pendingCount).toBe(0)
  })

  it('drops an answer the server already holds a newer version of (stale_write) and calls it saved', async () => {
    const { queue, server, storage, states } = setup()
    await queue.load([])
    server.script.push(stale())
    await queue.enqueue(4, 'x')
    await queue.flush()
    expect(storage.entries).toEqual([])
    expect(states.get(4)?.state).toBe('saved')
  })

  it('marks an answer refused when the deadline has passed, says so, and goes on with the rest', async () => {
    const { queue, server, states, refused } = setup()
    await queue.load([])
    server.setDown(true)
    await queue.enqueue(1, 'A')
    await queue.enqueue(2, 'B')
    await queue.flush()
    server.setDown(false)
    server.script.push(late())
    queue.kick()
    await queue.flush()
    expect(states.get(1)).toMatchObject({ state: 'refused', message: '已超过截止时间，答案未被接受' })
    expect(refused).toHaveBeenCalledWith(1, expect.any(ApiError))
    expect(states.get(2)?.state).toBe('saved')
    expect(queue.pendingCount).toBe(0)
  })

  it('stops and keeps everything when another browser holds the attempt, until it is unlocked', async () => {
    const { queue, server, states, locked } = setup()
    await queue.load([])
    server.script.push(elsewhere())
    await queue.enqueue(1, 'A')
    await queue.enqueue(2, 'B')
    await queue.flush()
    expect(locked).toHaveBeenCalledTimes(1)
    expect(queue.blockedBy).toBe('locked')
    expect(queue.pendingCount).toBe(2)
    expect(states.get(1)?.state).toBe('queued')
    await vi.advanceTimersByTimeAsync(60_000)
    expect(server.sent).toHaveLength(1)
    queue.unblock()
    await queue.flush()
    expect(server.sent.map((e) => e.itemId)).toEqual([1, 1, 2])
    expect(queue.pendingCount).toBe(0)
  })

  it('sends only the newest waiting answer of an item: the older one is replaced in storage too', async () => {
    const { queue, server, storage } = setup()
    await queue.load([])
    server.setDown(true)
    await queue.enqueue(5, 'draft one')
    await queue.flush()
    await queue.enqueue(6, 'other')
    await queue.enqueue(5, 'draft two')
    expect(storage.entries.map((e) => [e.itemId, e.seq, e.response])).toEqual([
      [6, 1, 'other'],
      [5, 2, 'draft two'],
    ])
    server.setDown(false)
    server.sent.length = 0
    queue.kick()
    await queue.flush()
    expect(server.sent.map((e) => [e.itemId, e.seq])).toEqual([
      [6, 1],
      [5, 2],
    ])
  })

  it('after a reload, answers the kept entries newer than the server’s and replays them; drops those the server has', async () => {
    const server = fakeServer()
    const storage = memoryStorage()
    const first = setup(server, storage)
    await first.queue.load([])
    server.setDown(true)
    await first.queue.enqueue(1, 'A')
    await first.queue.flush()
    await first.queue.enqueue(2, 'B')
    await first.queue.enqueue(3, 'C')
    await settle()
    first.queue.stop()

    // The page reloads: a new queue on the same storage. The server had got item 1
    // (its reply was lost), not 2 or 3.
    server.setDown(false)
    server.sent.length = 0
    const second = setup(server, storage)
    const kept = await second.queue.load([
      { item_id: 1, response: 'A', seq: 1, saved_at: '2026-11-25T08:00:00Z' },
      { item_id: 2, response: null, seq: 0, saved_at: null },
      { item_id: 3, response: null, seq: 0, saved_at: null },
    ])
    expect(kept.map((e) => [e.itemId, e.response])).toEqual([
      [2, 'B'],
      [3, 'C'],
    ])
    expect(second.states.get(2)?.state).toBe('saving')
    await second.queue.flush()
    expect(server.sent.map((e) => [e.itemId, e.seq])).toEqual([
      [2, 1],
      [3, 1],
    ])
    expect(storage.entries).toEqual([])
    await second.queue.enqueue(1, 'D')
    await second.queue.flush()
    expect(server.sent.at(-1)).toMatchObject({ itemId: 1, seq: 2 })
  })

  it('drain answers true once everything is sent, false when the network stays down past the time given', async () => {
    const { queue, server } = setup()
    await queue.load([])
    await queue.enqueue(1, 'A')
    await expect(queue.drain(5000)).resolves.toBe(true)

    server.setDown(true)
    await queue.enqueue(2, 'B')
    const drained = queue.drain(3000)
    await vi.advanceTimersByTimeAsync(3500)
    await expect(drained).resolves.toBe(false)
    expect(queue.pendingCount).toBe(1)
  })

  it('keeps working in memory when storage fails', async () => {
    const storage = memoryStorage()
    storage.add = () => Promise.reject(new DOMException('quota', 'QuotaExceededError'))
    const { queue, server } = setup(fakeServer(), storage)
    await queue.load([])
    await queue.enqueue(1, 'A')
    await queue.flush()
    expect(server.sent).toHaveLength(1)
    expect(queue.pendingCount).toBe(0)
  })
})

describe('classify', () => {
  it('retries on no answer, 5xx, 503 and 429 and stops on the 409s that say why', () => {
    expect(classify(networkDown())).toBe('retry')
    expect(classify(unavailable())).toBe('retry')
    expect(classify(new ApiError({ status: 429, code: 'too_many_requests', message: '' }))).toBe('retry')
    expect(classify(new TypeError('Failed to fetch'))).toBe('retry')
    expect(classify(stale())).toBe('stale')
    expect(classify(late())).toBe('deadline')
    expect(classify(elsewhere())).toBe('locked')
    expect(classify(new ApiError({ status: 401, code: 'unauthorized', message: '' }))).toBe('unauthorized')
    expect(classify(new ApiError({ status: 422, code: 'invalid', message: '' }))).toBe('rejected')
  })
})

describe('backoffDelay', () => {
  it('doubles from the base up to the ceiling, spread by ±20 %', () => {
    const mid = () => 0.5
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, 1000, 15_000, mid))).toEqual([
      1000, 2000, 4000, 8000, 15_000, 15_000,
    ])
    expect(backoffDelay(1, 1000, 15_000, () => 0)).toBe(800)
    expect(backoffDelay(1, 1000, 15_000, () => 1)).toBe(1200)
  })
})
