// What the exam page keeps in this browser only: the contestant's flags ("come back
// to this"), the invigilators' messages already shown, and refused answers.

const key = (attemptId: number) => `skillarena.exam.flags.${attemptId}`

/** The flagged items of an attempt. */
export function loadFlags(attemptId: number, storage: Pick<Storage, 'getItem'> = localStorage): Set<number> {
  try {
    const raw = JSON.parse(storage.getItem(key(attemptId)) ?? '[]')
    return new Set(Array.isArray(raw) ? raw.filter((n): n is number => Number.isInteger(n)) : [])
  } catch {
    return new Set()
  }
}

/** Keeps the flagged items of an attempt. */
export function saveFlags(attemptId: number, flags: ReadonlySet<number>, storage: Pick<Storage, 'setItem'> = localStorage): void {
  try {
    storage.setItem(key(attemptId), JSON.stringify([...flags].sort((a, b) => a - b)))
  } catch {
    // Storage refused (private mode): flags last for this page only.
  }
}

const seenKey = (attemptId: number) => `skillarena.exam.seen.${attemptId}`

/** The invigilators' messages already shown for an attempt, so that a reload does not pop them up again. */
export function loadSeenMessages(attemptId: number, storage: Pick<Storage, 'getItem'> = localStorage): Set<number> {
  try {
    const raw = JSON.parse(storage.getItem(seenKey(attemptId)) ?? '[]')
    return new Set(Array.isArray(raw) ? raw.filter((n): n is number => Number.isInteger(n)) : [])
  } catch {
    return new Set()
  }
}

/** Remembers the messages shown for an attempt. */
export function saveSeenMessages(attemptId: number, ids: ReadonlySet<number>, storage: Pick<Storage, 'setItem'> = localStorage): void {
  try {
    storage.setItem(seenKey(attemptId), JSON.stringify([...ids]))
  } catch {
    // Storage refused: a reload may show them again.
  }
}

const refusedKey = (attemptId: number) => `skillarena.exam.refused.${attemptId}`

/** Items whose last answer the server refused (after the deadline), for the summary page. */
export function loadRefused(attemptId: number, storage: Pick<Storage, 'getItem'> = sessionStorage): number[] {
  try {
    const raw = JSON.parse(storage.getItem(refusedKey(attemptId)) ?? '[]')
    return Array.isArray(raw) ? raw.filter((n): n is number => Number.isInteger(n)) : []
  } catch {
    return []
  }
}

/** Remembers the refused items of an attempt for the summary page. */
export function saveRefused(attemptId: number, items: readonly number[], storage: Pick<Storage, 'setItem'> = sessionStorage): void {
  try {
    storage.setItem(refusedKey(attemptId), JSON.stringify(items))
  } catch {
    // The summary then does not list them.
  }
}
