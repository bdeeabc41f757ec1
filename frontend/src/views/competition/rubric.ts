// A practical task's rubric as the organiser writes it: criteria with a maximum, each a
// measurement (any figure up to the maximum) or a judgement (a scale of allowed values
// from 0 up to the maximum, 2 to 21 of them, ascending).
import type { CriterionKind, PracticalTaskCreate } from '@/api/types'
import { formatHundredths, toHundredths } from '@/views/exams/points'

/** A criterion being edited: the scale as the text the organiser types ("0 10 20 30 40"). */
export interface CriterionDraft {
  name: string
  kind: CriterionKind
  max_points: string
  scale: string
  /** The scale was filled in from the maximum (not typed), so it follows the maximum. */
  autoScale?: boolean
}

export function newCriterion(kind: CriterionKind = 'measurement'): CriterionDraft {
  return kind === 'judgement'
    ? { name: '', kind, max_points: '40', scale: '0 10 20 30 40', autoScale: true }
    : { name: '', kind, max_points: '60', scale: '' }
}

/** Scale values as typed: "30" for "30.00", "2.5" for "2.50". */
function short(values: readonly string[]): string {
  return values.map((v) => v.replace(/\.00$/, '').replace(/(\.\d)0$/, '$1')).join(' ')
}

/** A scale for a maximum: the coarsest of steps 10, 5, 2, 1, 0.5 that divides it into 2 to 21 values; '' when none does. */
export function defaultScale(max: string): string {
  for (const step of ['10', '5', '2', '1', '0.5']) {
    const s = steppedScale(max, step)
    if (s && s.length >= 3) return short(s)
  }
  const two = steppedScale(max, max)
  return two ? short(two) : ''
}

/** The values of a scale typed with spaces, commas or Chinese commas between them. */
export function parseScale(text: string): string[] {
  return text
    .split(/[\s,，、;；/]+/)
    .map((v) => v.trim())
    .filter((v) => v !== '')
}

/** An evenly stepped scale from 0 to max, as typed. */
export function steppedScaleText(max: string, step: string): string | null {
  const s = steppedScale(max, step)
  return s ? short(s) : null
}

/** An evenly stepped scale from 0 to max (null when the step does not divide max or gives more than 21 values). */
export function steppedScale(max: string, step: string): string[] | null {
  const m = toHundredths(max)
  const s = toHundredths(step)
  if (m === null || s === null || s <= 0 || m % s !== 0 || m / s + 1 > 21) return null
  return Array.from({ length: m / s + 1 }, (_, i) => formatHundredths(i * s))
}

export type CriterionProblem = 'name' | 'max' | 'scaleFormat' | 'scaleSize' | 'scaleOrder' | 'scaleEnds'

/** What is wrong with a criterion, checked as the server does. */
export function criterionProblems(c: CriterionDraft): CriterionProblem[] {
  const out: CriterionProblem[] = []
  if (c.name.trim() === '') out.push('name')
  const max = toHundredths(c.max_points)
  if (max === null || max <= 0) out.push('max')
  if (c.kind !== 'judgement') return out
  const values = parseScale(c.scale).map(toHundredths)
  if (values.some((v) => v === null)) {
    out.push('scaleFormat')
    return out
  }
  const ns = values as number[]
  if (ns.length < 2 || ns.length > 21) out.push('scaleSize')
  if (ns.some((v, i) => i > 0 && v <= ns[i - 1]!)) out.push('scaleOrder')
  if (ns.length > 0 && (ns[0] !== 0 || (max !== null && ns[ns.length - 1] !== max))) out.push('scaleEnds')
  return out
}

/** The rubric's maximum total, exactly. */
export function rubricMax(criteria: readonly CriterionDraft[]): string {
  return formatHundredths(criteria.reduce((sum, c) => sum + (toHundredths(c.max_points) ?? 0), 0))
}

/** The task as the API takes it. */
export function taskRequest(name: string, description: string, criteria: readonly CriterionDraft[]): PracticalTaskCreate {
  return {
    name: name.trim(),
    description: description.trim(),
    criteria: criteria.map((c) => ({
      name: c.name.trim(),
      kind: c.kind,
      max_points: c.max_points.trim(),
      ...(c.kind === 'judgement' ? { scale: parseScale(c.scale) } : {}),
    })),
  }
}
