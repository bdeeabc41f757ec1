// A stage's settings in the set-up form: DOMAIN.md's defaults, the checks the server
// makes (weights that add up to exactly 1.00, a threshold in hundredths), and the
// teams: units strictly below the stage's unit, none inside another.
import type { OrgUnit, StageSettings, TieBreakFigure } from '@/api/types'
import { formatHundredths, toHundredths } from '@/views/exams/points'

/** DOMAIN.md's default rules: 8 in the written round, 2 in the practical, 40/60, trimmed mean, threshold 10. */
export function defaultSettings(): StageSettings {
  return {
    written_roster_size: 8,
    practical_size: 2,
    absent_counts_as_zero: true,
    weights: { written: '0.40', practical: '0.60' },
    draw_pool: 'written_except_nominee',
    aggregation: 'trimmed_mean',
    discrepancy_threshold: '10.00',
    tie_break: ['practical', 'written'],
    precision: 2,
  }
}

/** Why a setting is refused, by field (`weights`, `discrepancy_threshold`, `tie_break`). */
export type SettingsProblem = 'weightFormat' | 'weightSum' | 'thresholdFormat' | 'tieBreakTwice'

/** The weights' sum in hundredths, or null when one is not a decimal with at most two places. */
export function weightsSum(weights: StageSettings['weights']): number | null {
  const w = toHundredths(weights.written)
  const p = toHundredths(weights.practical)
  return w === null || p === null ? null : w + p
}

/** Checks the settings as the server does; an empty map means they can be sent. */
export function settingsProblems(s: StageSettings): Map<string, SettingsProblem> {
  const out = new Map<string, SettingsProblem>()
  const sum = weightsSum(s.weights)
  if (sum === null) out.set('weights', 'weightFormat')
  else if (sum !== 100) out.set('weights', 'weightSum')
  if (toHundredths(s.discrepancy_threshold) === null) out.set('discrepancy_threshold', 'thresholdFormat')
  const tie = s.tie_break ?? []
  if (new Set(tie).size !== tie.length) out.set('tie_break', 'tieBreakTwice')
  return out
}

/** The practical weight that completes a written weight to 1.00 (null when it cannot). */
export function complementWeight(written: string): string | null {
  const w = toHundredths(written)
  return w === null || w > 100 ? null : formatHundredths(100 - w)
}

/** The settings as sent: weights and threshold normalised to two places, an empty tie-break as null. */
export function normaliseSettings(s: StageSettings): StageSettings {
  const two = (v: string) => {
    const n = toHundredths(v)
    return n === null ? v.trim() : formatHundredths(n)
  }
  const tie = (s.tie_break ?? []).filter((f): f is TieBreakFigure => f === 'practical' || f === 'written')
  return {
    ...s,
    weights: { written: two(s.weights.written), practical: two(s.weights.practical) },
    discrepancy_threshold: two(s.discrepancy_threshold),
    tie_break: tie.length > 0 ? tie : null,
  }
}

/** The units strictly below `unitId`, in list order. */
export function unitsBelow(units: readonly OrgUnit[], unitId: number | null): OrgUnit[] {
  if (unitId === null) return []
  const byId = new Map(units.map((u) => [u.id, u]))
  return units.filter((u) => {
    const seen = new Set<number>()
    for (let p = u.parent_id; p !== null && !seen.has(p); p = byId.get(p)?.parent_id ?? null) {
      if (p === unitId) return true
      seen.add(p)
    }
    return false
  })
}

/** The units directly below `unitId`. */
export function childUnits(units: readonly OrgUnit[], unitId: number | null): OrgUnit[] {
  return unitId === null ? [] : units.filter((u) => u.parent_id === unitId)
}

/** The units below `unitId` that have no unit below them (for example every county below a province). */
export function leafUnitsBelow(units: readonly OrgUnit[], unitId: number | null): OrgUnit[] {
  const parents = new Set(units.map((u) => u.parent_id))
  return unitsBelow(units, unitId).filter((u) => !parents.has(u.id))
}

/** The chosen teams that lie inside another chosen team (a contestant must belong to one team at most). */
export function nestedTeams(units: readonly OrgUnit[], chosen: readonly number[]): number[] {
  const set = new Set(chosen)
  const byId = new Map(units.map((u) => [u.id, u]))
  return chosen.filter((id) => {
    const seen = new Set<number>()
    for (let p = byId.get(id)?.parent_id ?? null; p !== null && !seen.has(p); p = byId.get(p)?.parent_id ?? null) {
      if (set.has(p)) return true
      seen.add(p)
    }
    return false
  })
}
