// Where the exam page keeps what must survive a reload or a lost network: the
// answers not yet acknowledged by the server (the offline queue) and the last
// sequence number used per item. The queue logic talks to the small
// QueueStorage interface; the browser uses IndexedDB, the unit tests (and a
// browser that refuses IndexedDB, e.g. some private modes) an in-memory copy.

/** One answer waiting for the server's acknowledgement. */
export interface QueueEntry {
  /** Assigned by the storage, increasing: the order the changes were made in. */
  id: number
  attemptId: number
  itemId: number
  seq: number
  response: unknown
  /** When the change was made (ms since the epoch, the browser's clock; shown only). */
  queuedAt: number
}

/** A change to store: an entry before the storage numbers it. */
export type NewQueueEntry = Omit<QueueEntry, 'id'>

/** Durable storage of the offline queue and the sequence numbers. */
export interface QueueStorage {
  /**
   * Stores a change and its item's sequence number together, and drops the
   * item's older waiting entries (the newer answer replaces them; the server
   * would refuse them as stale anyway). Answers the new entry's id.
   */
  add(entry: NewQueueEntry): Promise<number>
  /** The attempt's waiting entries, oldest first. */
  pending(attemptId: number): Promise<QueueEntry[]>
  /** Forgets an entry (acknowledged or superseded); an unknown id is no error. */
  remove(id: number): Promise<void>
  /** The last sequence number used per item of the attempt. */
  lastSeqs(attemptId: number): Promise<Map<number, number>>
}

/** A QueueStorage in memory: for tests, and the fallback when IndexedDB is unavailable. */
export function memoryStorage(): QueueStorage & { entries: QueueEntry[]; seqs: Map<string, number> } {
  const entries: QueueEntry[] = []
  const seqs = new Map<string, number>()
  let next = 1
  return {
    entries,
    seqs,
    async add(entry) {
      const id = next++
      for (let i = entries.length - 1; i >= 0; i--) {
        const e = entries[i]!
        if (e.attemptId === entry.attemptId && e.itemId === entry.itemId) entries.splice(i, 1)
      }
      entries.push({ ...entry, id })
      const key = `${entry.attemptId}:${entry.itemId}`
      seqs.set(key, Math.max(seqs.get(key) ?? 0, entry.seq))
      return id
    },
    async pending(attemptId) {
      return entries.filter((e) => e.attemptId === attemptId).map((e) => ({ ...e }))
    },
    async remove(id) {
      const i = entries.findIndex((e) => e.id === id)
      if (i >= 0) entries.splice(i, 1)
    },
    async lastSeqs(attemptId) {
      const out = new Map<number, number>()
      for (const [key, seq] of seqs) {
        const [a, item] = key.split(':').map(Number)
        if (a === attemptId) out.set(item!, seq)
      }
      return out
    },
  }
}

const DB_NAME = 'skillarena-exam'
const DB_VERSION = 1
const QUEUE = 'queue'
const SEQS = 'seqs'

function promised<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error)
  })
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve()
    tx.onerror = () => reject(tx.error)
    tx.onabort = () => reject(tx.error ?? new DOMException('Transaction aborted', 'AbortError'))
  })
}

/** Opens (creating on first use) the exam database. */
function openDatabase(factory: IDBFactory): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = factory.open(DB_NAME, DB_VERSION)
    request.onupgradeneeded = () => {
      const db = request.result
      if (!db.objectStoreNames.contains(QUEUE)) {
        const queue = db.createObjectStore(QUEUE, { keyPath: 'id', autoIncrement: true })
        queue.createIndex('attempt', 'attemptId')
        queue.createIndex('item', ['attemptId', 'itemId'])
      }
      if (!db.objectStoreNames.contains(SEQS)) db.createObjectStore(SEQS, { keyPath: ['attemptId', 'itemId'] })
    }
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error)
    request.onblocked = () => reject(new DOMException('The exam database is blocked by another tab', 'InvalidStateError'))
  })
}

/** A QueueStorage on the browser's IndexedDB (native API, no library). */
export async function indexedDbStorage(factory: IDBFactory = indexedDB): Promise<QueueStorage> {
  const db = await openDatabase(factory)
  return {
    async add(entry) {
      const tx = db.transaction([QUEUE, SEQS], 'readwrite')
      const queue = tx.objectStore(QUEUE)
      const seqs = tx.objectStore(SEQS)
      const older = await promised(queue.index('item').getAllKeys(IDBKeyRange.only([entry.attemptId, entry.itemId])))
      for (const key of older) queue.delete(key)
      const id = (await promised(queue.add({ ...entry }))) as number
      const stored = (await promised(seqs.get([entry.attemptId, entry.itemId]))) as { seq: number } | undefined
      if (!stored || stored.seq < entry.seq) seqs.put({ attemptId: entry.attemptId, itemId: entry.itemId, seq: entry.seq })
      await done(tx)
      return id
    },
    async pending(attemptId) {
      const tx = db.transaction(QUEUE, 'readonly')
      const rows = (await promised(tx.objectStore(QUEUE).index('attempt').getAll(IDBKeyRange.only(attemptId)))) as QueueEntry[]
      return rows.sort((a, b) => a.id - b.id)
    },
    async remove(id) {
      const tx = db.transaction(QUEUE, 'readwrite')
      tx.objectStore(QUEUE).delete(id)
      await done(tx)
    },
    async lastSeqs(attemptId) {
      const tx = db.transaction(SEQS, 'readonly')
      const range = IDBKeyRange.bound([attemptId, -Infinity], [attemptId, Infinity])
      const rows = (await promised(tx.objectStore(SEQS).getAll(range))) as { itemId: number; seq: number }[]
      return new Map(rows.map((r) => [r.itemId, r.seq]))
    },
  }
}

/** IndexedDB when the browser offers it, else memory (answers then survive no reload, but are still sent). */
export async function openQueueStorage(): Promise<{ storage: QueueStorage; durable: boolean }> {
  try {
    if (typeof indexedDB !== 'undefined') return { storage: await indexedDbStorage(), durable: true }
  } catch {
    // Fall through: the page still works, only without surviving a reload.
  }
  return { storage: memoryStorage(), durable: false }
}
