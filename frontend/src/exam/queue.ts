// The offline answer queue of the exam page. Every change is written to durable
// storage first and then sent; an entry leaves the queue only when the server
// has it (200) or holds a newer answer (409 stale_write). While the network or
// the server is down (no answer, 5xx, 503, 429) the queue keeps everything and
// replays it in the order the changes were made, with backoff, when `kick` says
// the network is back or the next retry comes. Each item's sequence number is
// strictly increasing and starts above both the server's and the last one used
// in this browser, so a reload never reuses one.
import { ApiError } from '@/api/client'
import type { AnswerSaved, AttemptAnswer } from '@/api/types'
import type { NewQueueEntry, QueueEntry, QueueStorage } from './storage'

/** How one item's answer stands. */
export type SaveState = 'saving' | 'queued' | 'saved' | 'refused'

/** One item's save state as the page shows it. */
export interface ItemSaveState {
  state: SaveState
  /** The sequence number of the newest answer this state is about. */
  seq: number
  /** When the server stored it (saved). */
  savedAt?: string
  /** Why the server refused it (refused). */
  message?: string
}

/** What a failed save means for the queue. */
export type Failure =
  /** The server holds an equal or newer answer: this one is done. */
  | 'stale'
  /** After the deadline and grace: the answer is refused for good. */
  | 'deadline'
  /** Another browser holds the attempt: stop until an invigilator unlocks it. */
  | 'locked'
  /** The session is gone: stop until the contestant signs in again. */
  | 'unauthorized'
  /** Any other refusal (bad request, not found): retrying cannot help. */
  | 'rejected'
  /** No answer, 5xx, 503 or 429: keep it and try again later. */
  | 'retry'

/** Sorts a failed save into what the queue does with it. */
export function classify(error: unknown): Failure {
  if (!(error instanceof ApiError)) return 'retry'
  if (error.status === 0 || error.status >= 500 || error.status === 429 || error.status === 408) return 'retry'
  if (error.code === 'stale_write') return 'stale'
  if (error.code === 'deadline_passed') return 'deadline'
  if (error.status === 409 && error.code === 'conflict') return 'locked'
  if (error.status === 401) return 'unauthorized'
  return 'rejected'
}

/** The wait before retry number `failures` (1, 2, …): doubling from base to max, spread ±20 % so that a room of browsers coming back online does not retry in step. */
export function backoffDelay(failures: number, baseMs: number, maxMs: number, random: () => number): number {
  const plain = Math.min(maxMs, baseMs * 2 ** Math.max(0, failures - 1))
  return Math.round(plain * (0.8 + 0.4 * random()))
}

/** What the queue needs from its surroundings; tests pass fakes. */
export interface AnswerQueueOptions {
  attemptId: number
  storage: QueueStorage
  /** Sends one answer; throws ApiError (or anything, read as a network failure) when it is not stored. */
  send: (entry: QueueEntry) => Promise<AnswerSaved>
  /** Called whenever an item's save state changes. */
  onState?: (itemId: number, state: ItemSaveState) => void
  /** Called once when the server says another browser holds the attempt. */
  onLocked?: (error: ApiError) => void
  /** Called when the server refuses an answer for good (deadline passed or rejected). */
  onRefused?: (itemId: number, error: ApiError) => void
  /** Called when the session is gone. */
  onUnauthorized?: (error: ApiError) => void
  /** First retry delay and its ceiling, in ms. */
  baseDelayMs?: number
  maxDelayMs?: number
  random?: () => number
  now?: () => number
  setTimer?: (fn: () => void, ms: number) => unknown
  clearTimer?: (handle: unknown) => void
}

/** The offline-first answer queue of one attempt. */
export class AnswerQueue {
  private readonly o: Required<Omit<AnswerQueueOptions, 'onState' | 'onLocked' | 'onRefused' | 'onUnauthorized'>> &
    AnswerQueueOptions
  private readonly lastSeq = new Map<number, number>()
  /** The waiting entries, oldest first: a mirror of the storage. */
  private entries: QueueEntry[] = []
  private readonly states = new Map<number, ItemSaveState>()
  /** Writes to storage still in progress, so that a flush never overtakes them. */
  private writes: Promise<unknown> = Promise.resolve()
  private running: Promise<void> | null = null
  private again = false
  private failures = 0
  private timer: unknown = null
  private blocked: 'locked' | 'unauthorized' | null = null
  private stopped = false
  private localIds = -1

  constructor(options: AnswerQueueOptions) {
    this.o = {
      baseDelayMs: 1000,
      maxDelayMs: 15_000,
      random: Math.random,
      now: Date.now,
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
      ...options,
    }
  }

  /**
   * Reads what this browser kept for the attempt: the sequence numbers used and
   * the answers the server has not acknowledged. Entries the server already holds
   * (its seq is as new) are dropped; the others are answered, oldest first, so
   * the page can show them over the server's answers before they are replayed.
   */
  async load(serverAnswers: readonly AttemptAnswer[]): Promise<QueueEntry[]> {
    const serverSeq = new Map(serverAnswers.map((a) => [a.item_id, a.seq ?? 0]))
    let local = new Map<number, number>()
    let pending: QueueEntry[] = []
    try {
      local = await this.o.storage.lastSeqs(this.o.attemptId)
      pending = await this.o.storage.pending(this.o.attemptId)
    } catch {
      // Unreadable storage: carry on from the server's numbers.
    }
    for (const [item, seq] of serverSeq) this.lastSeq.set(item, seq)
    for (const [item, seq] of local) this.lastSeq.set(item, Math.max(seq, this.lastSeq.get(item) ?? 0))
    this.entries = []
    for (const entry of pending) {
      this.lastSeq.set(entry.itemId, Math.max(entry.seq, this.lastSeq.get(entry.itemId) ?? 0))
      if (entry.seq <= (serverSeq.get(entry.itemId) ?? 0)) {
        await this.forget(entry)
        continue
      }
      this.entries = this.entries.filter((e) => e.itemId !== entry.itemId)
      this.entries.push(entry)
    }
    for (const entry of this.entries) this.refresh(entry.itemId)
    return this.entries.map((e) => ({ ...e }))
  }

  /** The next sequence number for an item (the last used plus one). */
  nextSeq(itemId: number): number {
    return (this.lastSeq.get(itemId) ?? 0) + 1
  }

  /** How many answers wait for the server. */
  get pendingCount(): number {
    return this.entries.length
  }

  /** Whether an item has an answer waiting for the server. */
  isPending(itemId: number): boolean {
    return this.entries.some((e) => e.itemId === itemId)
  }

  /** Whether the last try failed for want of a network or a working server. */
  get offline(): boolean {
    return this.failures > 0
  }

  /** Whether the queue is stopped because another browser holds the attempt or the session is gone. */
  get blockedBy(): 'locked' | 'unauthorized' | null {
    return this.blocked
  }

  /** An item's save state, if it was ever changed here. */
  state(itemId: number): ItemSaveState | undefined {
    return this.states.get(itemId)
  }

  /**
   * Records a change: numbers it, writes it to storage, then sends it (after
   * the ones before it). Resolves once it is stored locally, not when sent.
   */
  enqueue(itemId: number, response: unknown): Promise<void> {
    const seq = this.nextSeq(itemId)
    this.lastSeq.set(itemId, seq)
    const draft: NewQueueEntry = { attemptId: this.o.attemptId, itemId, seq, response, queuedAt: this.o.now() }
    this.setState(itemId, { state: this.failures > 0 ? 'queued' : 'saving', seq })
    const write = this.writes.then(async () => {
      let id: number
      try {
        id = await this.o.storage.add(draft)
      } catch {
        id = this.localIds--
      }
      this.entries = this.entries.filter((e) => e.itemId !== itemId)
      this.entries.push({ ...draft, id })
    })
    this.writes = write
    return write.then(() => {
      // While the network is down, new changes wait for the next retry instead of each trying at once.
      if (this.failures === 0) void this.flush()
    })
  }

  /** Sends what waits, in order, now; concurrent calls share one run. */
  flush(): Promise<void> {
    if (this.running) {
      this.again = true
      return this.running
    }
    this.running = (async () => {
      try {
        do {
          this.again = false
          await this.writes
          await this.drainOnce()
        } while (this.again && !this.blocked && !this.stopped && this.failures === 0)
      } finally {
        this.running = null
      }
    })()
    return this.running
  }

  /** The network seems back (online event, a heartbeat answered): retry at once. */
  kick(): void {
    if (this.stopped || this.blocked) return
    this.cancelTimer()
    if (this.entries.length === 0) {
      this.failures = 0
      return
    }
    void this.flush()
  }

  /** Resumes after the reason it was blocked is gone (an invigilator unlocked it, the user signed in). */
  unblock(): void {
    this.blocked = null
    this.kick()
  }

  /**
   * Tries to empty the queue within `timeoutMs` (before submitting): answers
   * whether nothing waits any more.
   */
  async drain(timeoutMs: number): Promise<boolean> {
    const until = this.o.now() + timeoutMs
    for (;;) {
      this.cancelTimer()
      await this.flush()
      if (this.entries.length === 0) return true
      const left = until - this.o.now()
      if (left <= 0 || this.blocked || this.stopped) return false
      await new Promise<void>((resolve) => this.o.setTimer(resolve, Math.min(1000, left)))
    }
  }

  /** Stops retrying (the page is leaving); what waits stays in storage for the next visit. */
  stop(): void {
    this.stopped = true
    this.cancelTimer()
  }

  private async drainOnce(): Promise<void> {
    while (!this.stopped && !this.blocked) {
      const entry = this.entries[0]
      if (!entry) return
      try {
        const saved = await this.o.send(entry)
        this.failures = 0
        await this.settle(entry, { state: 'saved', seq: entry.seq, savedAt: saved.saved_at })
      } catch (error) {
        const failure = classify(error)
        const apiError = error instanceof ApiError ? error : null
        switch (failure) {
          case 'stale':
            this.failures = 0
            await this.settle(entry, { state: 'saved', seq: entry.seq })
            break
          case 'deadline':
          case 'rejected':
            this.failures = 0
            await this.settle(entry, { state: 'refused', seq: entry.seq, message: apiError?.message })
            if (apiError) this.o.onRefused?.(entry.itemId, apiError)
            break
          case 'locked':
            this.blocked = 'locked'
            this.markWaiting()
            if (apiError) this.o.onLocked?.(apiError)
            return
          case 'unauthorized':
            this.blocked = 'unauthorized'
            this.markWaiting()
            if (apiError) this.o.onUnauthorized?.(apiError)
            return
          case 'retry':
            this.failures++
            this.markWaiting()
            this.scheduleRetry(apiError?.retryAfter ?? null)
            return
        }
      }
    }
  }

  /** Takes an answered entry out of the queue and sets its item's state. */
  private async settle(entry: QueueEntry, outcome: ItemSaveState): Promise<void> {
    const current = this.entries.indexOf(entry)
    if (current >= 0) this.entries.splice(current, 1)
    await this.forget(entry)
    // A newer change of the same item may be waiting: then the item is still saving.
    if (this.isPending(entry.itemId) && outcome.state === 'saved') {
      this.refresh(entry.itemId)
    } else {
      this.setState(entry.itemId, outcome)
    }
  }

  private async forget(entry: QueueEntry): Promise<void> {
    if (entry.id < 0) return
    try {
      await this.o.storage.remove(entry.id)
    } catch {
      // The server has it; a stale copy in storage is dropped on the next load.
    }
  }

  private markWaiting(): void {
    for (const entry of this.entries) this.refresh(entry.itemId)
  }

  private refresh(itemId: number): void {
    const waiting = this.entries.filter((e) => e.itemId === itemId).at(-1)
    if (waiting) this.setState(itemId, { state: this.failures > 0 || this.blocked ? 'queued' : 'saving', seq: waiting.seq })
  }

  private setState(itemId: number, state: ItemSaveState): void {
    this.states.set(itemId, state)
    this.o.onState?.(itemId, state)
  }

  private scheduleRetry(retryAfterSeconds: number | null): void {
    this.cancelTimer()
    if (this.stopped) return
    const delay =
      retryAfterSeconds !== null
        ? Math.max(1000, retryAfterSeconds * 1000)
        : backoffDelay(this.failures, this.o.baseDelayMs, this.o.maxDelayMs, this.o.random)
    this.timer = this.o.setTimer(() => {
      this.timer = null
      void this.flush()
    }, delay)
  }

  private cancelTimer(): void {
    if (this.timer !== null) {
      this.o.clearTimer(this.timer)
      this.timer = null
    }
  }
}
