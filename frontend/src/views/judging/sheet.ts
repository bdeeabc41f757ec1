// A judge's sheet: one entry per rubric criterion, checked exactly as the server does
// (a measurement from 0 to its maximum in hundredths, a judgement one value of its
// scale), the running total in hundredths, and the marks that changed since saving.
import type { PracticalCriterion, PracticalMark } from '@/api/types'
import { checkMark, formatHundredths, toHundredths } from '@/views/exams/points'

/** Why an entry is not a valid mark of its criterion. */
export type EntryProblem = 'required' | 'format' | 'range' | 'scale'

export function entryProblem(criterion: PracticalCriterion, text: string): EntryProblem | null {
  const problem = checkMark(text, criterion.max_points)
  if (problem) return problem
  if (criterion.kind === 'judgement') {
    const n = toHundredths(text)
    if (!criterion.scale.some((v) => toHundredths(v) === n)) return 'scale'
  }
  return null
}

/** The entries as the saved marks give them, by criterion id ('' when not marked). */
export function entriesFrom(criteria: readonly PracticalCriterion[], marks: readonly PracticalMark[]): Record<number, string> {
  const byCriterion = new Map(marks.map((m) => [m.criterion_id, m.points]))
  return Object.fromEntries(criteria.map((c) => [c.id, byCriterion.get(c.id) ?? '']))
}

/** The running total of the valid entries, exactly, and how many criteria they cover. */
export function runningTotal(
  criteria: readonly PracticalCriterion[],
  entries: Readonly<Record<number, string>>,
): { total: string; marked: number; max: string } {
  let total = 0
  let max = 0
  let marked = 0
  for (const c of criteria) {
    max += toHundredths(c.max_points) ?? 0
    const text = entries[c.id] ?? ''
    if (entryProblem(c, text) === null) {
      total += toHundredths(text)!
      marked++
    }
  }
  return { total: formatHundredths(total), marked, max: formatHundredths(max) }
}

/** The valid entries that differ from the saved marks, as the API takes them. */
export function changedMarks(
  criteria: readonly PracticalCriterion[],
  entries: Readonly<Record<number, string>>,
  saved: readonly PracticalMark[],
): { criterion_id: number; points: string }[] {
  const before = new Map(saved.map((m) => [m.criterion_id, toHundredths(m.points)]))
  const out: { criterion_id: number; points: string }[] = []
  for (const c of criteria) {
    const text = entries[c.id] ?? ''
    if (entryProblem(c, text) !== null) continue
    const n = toHundredths(text)!
    if (before.get(c.id) !== n) out.push({ criterion_id: c.id, points: formatHundredths(n) })
  }
  return out
}

/** A scale value as a judge reads it on a button: "30" for "30.00", "2.5" for "2.50". */
export function shortPoints(text: string): string {
  const n = toHundredths(text)
  if (n === null) return text
  const s = formatHundredths(n)
  return s.replace(/\.00$/, '').replace(/(\.\d)0$/, '$1')
}

/** Highest minus lowest of judges' totals, exactly; null for none. */
export function spreadOf(totals: readonly string[]): string | null {
  const ns = totals.map((t) => toHundredths(t)).filter((n): n is number => n !== null)
  if (ns.length === 0) return null
  return formatHundredths(Math.max(...ns) - Math.min(...ns))
}

/** Which of the judges' totals are the highest and the lowest (for marking the outliers). */
export function extremes(totals: readonly string[]): { high: number; low: number } | null {
  const ns = totals.map((t) => toHundredths(t) ?? 0)
  if (ns.length < 2) return null
  const hi = Math.max(...ns)
  const lo = Math.min(...ns)
  if (hi === lo) return null
  return { high: hi, low: lo }
}
