// Focus losses the heartbeat reports: each time the contestant leaves the exam
// (another window or tab, the page hidden) counts once, however many blur and
// visibilitychange events that one absence fires.

/** Counts absences from the exam page between heartbeats. */
export class FocusTracker {
  private away = false
  private unreported = 0

  /** The page lost focus or was hidden. */
  leave(): void {
    if (this.away) return
    this.away = true
    this.unreported++
  }

  /** The page has focus and is visible again. */
  back(): void {
    this.away = false
  }

  /** Losses to report in the next heartbeat. */
  get pending(): number {
    return this.unreported
  }

  /** The server acknowledged `n` losses (more may have happened while the beat was on its way). */
  acknowledge(n: number): void {
    this.unreported = Math.max(0, this.unreported - n)
  }
}
