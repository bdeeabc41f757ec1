// Pure helpers of the exam pages and the invigilation console: the exam's phase,
// remaining time against the server's clock, the console's summary and selection.
import type { MonitorRow, MonitorState } from '@/api/types'

/** Where an exam's window stands at a moment. */
export type ExamPhase = 'upcoming' | 'open' | 'closed'

/** The phase of a window at `now` (milliseconds). */
export function examPhase(exam: { opens_at: string; closes_at: string }, now: number): ExamPhase {
  if (now < Date.parse(exam.opens_at)) return 'upcoming'
  if (now >= Date.parse(exam.closes_at)) return 'closed'
  return 'open'
}

/** Seconds as H:MM:SS (or M:SS under an hour); '—' for none. */
export function formatClock(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return '—'
  const s = Math.max(0, Math.floor(seconds))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const sec = String(s % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`
}

/**
 * The server's clock as the browser reads it: the offset (ms) to add to Date.now(),
 * measured when a snapshot arrived. Remaining times are counted against it, so a
 * wrong clock on the invigilator's laptop does not change what the console shows.
 */
export function serverOffset(serverTime: string, receivedAt: number): number {
  const at = Date.parse(serverTime)
  return Number.isNaN(at) ? 0 : at - receivedAt
}

/** Seconds a row has left at server time `serverNow` (ms); null when it has no running attempt. */
export function remainingSeconds(row: Pick<MonitorRow, 'state' | 'deadline' | 'remaining_seconds'>, serverNow: number): number | null {
  if (row.state !== 'in_progress') return null
  if (row.deadline) {
    const at = Date.parse(row.deadline)
    if (!Number.isNaN(at)) return Math.max(0, Math.floor((at - serverNow) / 1000))
  }
  return row.remaining_seconds
}

/** Seconds since a contestant's browser was last heard from; null when never. */
export function silentSeconds(lastSeen: string | null, serverNow: number): number | null {
  if (!lastSeen) return null
  const at = Date.parse(lastSeen)
  return Number.isNaN(at) ? null : Math.max(0, Math.floor((serverNow - at) / 1000))
}

/** How long without a heartbeat before the console marks a contestant as silent. */
export const SILENT_AFTER_SECONDS = 60

/** The counts over the console's table. */
export interface MonitorSummary {
  total: number
  not_started: number
  in_progress: number
  submitted: number
  locked: number
  focus: number
}

export function summarise(rows: readonly MonitorRow[]): MonitorSummary {
  const out: MonitorSummary = { total: rows.length, not_started: 0, in_progress: 0, submitted: 0, locked: 0, focus: 0 }
  for (const row of rows) {
    out[row.state] += 1
    if (row.locked) out.locked += 1
    if (row.focus_losses > 0) out.focus += 1
  }
  return out
}

/** The console's filter: a state, or every contestant with a warning sign. */
export type MonitorFilter = 'all' | MonitorState | 'attention'

/**
 * Whether a row needs a look: focus lost, or silent for a minute while in progress.
 * A lock is not a warning: every attempt is bound to the browser that opened it.
 */
export function needsAttention(row: MonitorRow, serverNow: number): boolean {
  if (row.focus_losses > 0) return true
  if (row.state !== 'in_progress') return false
  const silent = silentSeconds(row.last_seen_at, serverNow)
  return silent !== null && silent >= SILENT_AFTER_SECONDS
}

/** The rows a filter and a search text keep, in the server's order. */
export function filterRows(rows: readonly MonitorRow[], filter: MonitorFilter, text: string, serverNow: number): MonitorRow[] {
  const needle = text.trim().toLowerCase()
  return rows.filter((row) => {
    if (filter === 'attention' && !needsAttention(row, serverNow)) return false
    if (filter !== 'all' && filter !== 'attention' && row.state !== filter) return false
    if (!needle) return true
    return [row.username, row.name, row.org_unit_name].some((s) => (s ?? '').toLowerCase().includes(needle))
  })
}

/** The selected ids still present after a new snapshot (people do not vanish from a roster, but be safe). */
export function keepSelection(selected: ReadonlySet<number>, rows: readonly MonitorRow[]): Set<number> {
  const present = new Set(rows.map((r) => r.user_id))
  return new Set([...selected].filter((id) => present.has(id)))
}
