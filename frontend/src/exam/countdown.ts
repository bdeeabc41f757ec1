// The exam countdown. The time left always comes from the server (the attempt's
// remaining_seconds, then every heartbeat's): the browser only measures how long
// ago it was told, with a monotonic clock, so neither a reload nor a wrong
// computer clock changes it.

/** The warnings a contestant gets as time runs out, in seconds left. */
export const WARN_AT = [300, 60] as const

/** A countdown re-synced from the server's remaining seconds. */
export class Countdown {
  private endsAt: number

  /** `now` is a monotonic clock in ms (performance.now in the browser). */
  constructor(
    remainingSeconds: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.endsAt = now() + remainingSeconds * 1000
  }

  /** Takes the server's word for the time left (it grows with extra time granted). */
  sync(remainingSeconds: number): void {
    this.endsAt = this.now() + remainingSeconds * 1000
  }

  /** Whole seconds left, never below zero. */
  remaining(): number {
    return Math.max(0, Math.ceil((this.endsAt - this.now()) / 1000 - 1e-9))
  }

  /** Milliseconds past the end (negative before it). */
  overdueMs(): number {
    return this.now() - this.endsAt
  }
}

/** Seconds as `mm:ss`, or `h:mm:ss` from an hour. */
export function formatClock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const pad = (n: number) => String(n).padStart(2, '0')
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${pad(m)}:${pad(s % 60)}`
}

/**
 * The warning due when time left drops from `before` to `now` seconds: the
 * smallest threshold crossed that was not given yet, or null. A page opened with
 * less than 5 minutes left warns at once.
 */
export function warningDue(now: number, given: ReadonlySet<number>): number | null {
  let due: number | null = null
  for (const at of WARN_AT) {
    if (now <= at && now > 0 && !given.has(at)) due = at
  }
  return due
}

/** How urgent the clock looks: normal, under 5 minutes, under 1 minute. */
export function urgency(seconds: number): 'normal' | 'warning' | 'danger' {
  if (seconds <= 60) return 'danger'
  if (seconds <= 300) return 'warning'
  return 'normal'
}
