import { describe, expect, it } from 'vitest'
import type { OrgUnit } from '@/api/types'
import { deadlinePassed, rosterProblems, rosterState, substituteCandidates } from './roster'
import {
  childUnits,
  complementWeight,
  defaultSettings,
  leafUnitsBelow,
  nestedTeams,
  normaliseSettings,
  settingsProblems,
  unitsBelow,
} from './settings'

const unit = (id: number, parent_id: number | null, code: string): OrgUnit => ({
  id,
  parent_id,
  code,
  name: code,
  depth: 0,
  user_count: 0,
})
/** The demo tree: a province, two regions, three counties each. */
const tree = [
  unit(1, null, 'PROV'),
  unit(2, 1, 'R1'),
  unit(3, 1, 'R2'),
  unit(4, 2, 'C1'),
  unit(5, 2, 'C2'),
  unit(6, 2, 'C3'),
  unit(7, 3, 'C4'),
  unit(8, 3, 'C5'),
  unit(9, 3, 'C6'),
]

describe('stage settings', () => {
  it("start from DOMAIN.md's defaults: 8 written, 2 practical, 0.40/0.60, absent as zero, trimmed mean, threshold 10", () => {
    const s = defaultSettings()
    expect(s).toMatchObject({
      written_roster_size: 8,
      practical_size: 2,
      absent_counts_as_zero: true,
      weights: { written: '0.40', practical: '0.60' },
      draw_pool: 'written_except_nominee',
      aggregation: 'trimmed_mean',
      discrepancy_threshold: '10.00',
      tie_break: ['practical', 'written'],
      precision: 2,
    })
    expect(settingsProblems(s).size).toBe(0)
  })

  it('need weights that add up to exactly 1.00, counted in hundredths', () => {
    const s = defaultSettings()
    expect(settingsProblems({ ...s, weights: { written: '0.4', practical: '0.6' } }).size).toBe(0)
    expect(settingsProblems({ ...s, weights: { written: '0.35', practical: '0.6' } }).get('weights')).toBe('weightSum')
    expect(settingsProblems({ ...s, weights: { written: '0.333', practical: '0.667' } }).get('weights')).toBe('weightFormat')
    expect(complementWeight('0.35')).toBe('0.65')
    expect(complementWeight('1.5')).toBeNull()
  })

  it('refuse a malformed threshold and a tie-break figure named twice', () => {
    const s = defaultSettings()
    expect(settingsProblems({ ...s, discrepancy_threshold: 'ten' }).get('discrepancy_threshold')).toBe('thresholdFormat')
    expect(settingsProblems({ ...s, tie_break: ['written', 'written'] }).get('tie_break')).toBe('tieBreakTwice')
  })

  it('are sent with two decimal places and no tie-break as null', () => {
    const s = normaliseSettings({ ...defaultSettings(), weights: { written: '0.4', practical: '.6' }, tie_break: [] })
    expect(s.weights).toEqual({ written: '0.40', practical: '.6' })
    expect(normaliseSettings({ ...defaultSettings(), discrepancy_threshold: '5' }).discrepancy_threshold).toBe('5.00')
    expect(s.tie_break).toBeNull()
  })
})

describe('teams', () => {
  it('are units strictly below the stage unit: the six counties below the province', () => {
    expect(unitsBelow(tree, 1).map((u) => u.code)).toEqual(['R1', 'R2', 'C1', 'C2', 'C3', 'C4', 'C5', 'C6'])
    expect(leafUnitsBelow(tree, 1).map((u) => u.code)).toEqual(['C1', 'C2', 'C3', 'C4', 'C5', 'C6'])
    expect(childUnits(tree, 1).map((u) => u.code)).toEqual(['R1', 'R2'])
    expect(unitsBelow(tree, 4)).toEqual([])
  })

  it('may not lie inside one another, so that a contestant belongs to one team at most', () => {
    expect(nestedTeams(tree, [4, 5, 6, 7, 8, 9])).toEqual([])
    expect(nestedTeams(tree, [2, 4, 7])).toEqual([4])
  })
})

describe('rosters', () => {
  it('take at most the roster size, each contestant once, and need a nominee', () => {
    expect(rosterProblems([1, 2, 3], 9, 8)).toEqual([])
    expect(rosterProblems([1, 2, 3, 4, 5, 6, 7, 8, 9], 9, 8)).toEqual(['tooMany'])
    expect(rosterProblems([1, 1], null, 8)).toEqual(['duplicate', 'nomineeRequired'])
    // A stage of individuals: no nominee, no roster size.
    expect(rosterProblems([1, 2, 3, 4, 5, 6, 7, 8, 9], null, 8, false)).toEqual([])
  })

  it('are complete with the full written roster and a nominee', () => {
    expect(rosterState(0, false, 8)).toBe('empty')
    expect(rosterState(5, true, 8)).toBe('partial')
    expect(rosterState(8, false, 8)).toBe('partial')
    expect(rosterState(8, true, 8)).toBe('complete')
    expect(rosterState(3, false, 8, false)).toBe('complete')
    expect(rosterState(0, false, 8, false)).toBe('empty')
  })

  it('close to team organisers at the deadline; none means open', () => {
    const now = Date.parse('2026-05-01T10:00:00Z')
    expect(deadlinePassed(null, now)).toBe(false)
    expect(deadlinePassed('2026-05-01T09:59:59Z', now)).toBe(true)
    expect(deadlinePassed('2026-05-01T10:00:01Z', now)).toBe(false)
  })

  it('offer as substitutes only people not already in the slot', () => {
    expect(substituteCandidates([{ id: 1 }, { id: 2 }, { id: 3 }], [2]).map((p) => p.id)).toEqual([1, 3])
  })
})
