import { describe, expect, it } from 'vitest'
import type { RankingMember, RankingStage } from '@/api/types'
import {
  checkIndividual,
  checkTeam,
  distribution,
  exactText,
  judgesScore,
  parseDecimal,
  percent,
  roundHalfUp,
  shortHash,
  weightedParts,
} from './figures'

const stage: RankingStage = {
  id: 7,
  name: '省决赛',
  kind: 'teams',
  precision: 2,
  weights: { written: '0.40', practical: '0.60' },
  written_roster_size: 8,
  practical_size: 2,
  absent_counts_as_zero: true,
  aggregation: 'trimmed_mean',
  tie_break: ['practical', 'written'],
}

let next = 1
function member(written: string | null, opts: Partial<RankingMember> = {}): RankingMember {
  return {
    contestant: { id: next++, name: `m${next}` },
    written,
    practical: null,
    absent: written === null,
    in_written: true,
    practical_role: null,
    pending: false,
    ...opts,
  }
}

// DOMAIN.md "A worked example": team A.
const teamA = [
  member('86.50', { practical: '87.67', practical_role: 'nominee' }),
  member('91.00'),
  member('78.25'),
  member('88.75', { practical: '91.33', practical_role: 'drawn' }),
  member('69.50'),
  member('95.00'),
  member('82.10'),
  member(null),
]

describe('roundHalfUp', () => {
  it('rounds halves away from zero at the precision, once', () => {
    expect(roundHalfUp(parseDecimal('83.255')!, 2)).toBe('83.26')
    expect(roundHalfUp(parseDecimal('0.005')!, 2)).toBe('0.01')
    expect(roundHalfUp(parseDecimal('87.25')!, 1)).toBe('87.3')
    expect(roundHalfUp(parseDecimal('87.24')!, 1)).toBe('87.2')
    expect(roundHalfUp(parseDecimal('87.5')!, 0)).toBe('88')
    expect(roundHalfUp(parseDecimal('-2.345')!, 2)).toBe('-2.35')
    expect(roundHalfUp(parseDecimal('0.004')!, 2)).toBe('0.00')
  })

  it('keeps thirds exact until the one rounding', () => {
    expect(roundHalfUp({ num: 263n, den: 3n }, 2)).toBe('87.67')
    expect(exactText({ num: 263n, den: 3n })).toBe('263/3')
    expect(exactText(parseDecimal('73.8875')!)).toBe('73.8875')
  })
})

describe('parseDecimal', () => {
  it('reads decimal strings and refuses anything else', () => {
    expect(parseDecimal('87.25')).toEqual({ num: 349n, den: 4n })
    expect(parseDecimal('0.40')).toEqual({ num: 2n, den: 5n })
    expect(parseDecimal(null)).toBeNull()
    expect(parseDecimal('8e1')).toBeNull()
    expect(parseDecimal('')).toBeNull()
  })
})

describe('checkTeam', () => {
  it('recomputes the worked example: an absentee counted as 0 over 8, total 83.255 shown 83.26', () => {
    const c = checkTeam({ written: '73.89', practical: '89.50', total: '83.26', members: teamA }, stage)
    expect(exactText(c.written)).toBe('73.8875')
    expect(c.writtenText).toBe('73.89')
    expect(c.practicalText).toBe('89.50')
    expect(exactText(c.total)).toBe('83.255')
    expect(c.totalText).toBe('83.26')
    expect(c.agrees).toBe(true)
    expect(c.writtenFigures).toHaveLength(7)
    expect(c.practicalFigures).toEqual(['87.67', '91.33'])
  })

  it('flags a row whose published total does not follow from its members', () => {
    expect(checkTeam({ written: '73.89', practical: '89.50', total: '83.25', members: teamA }, stage).agrees).toBe(false)
  })

  it('counts a practical contestant without signed-off marks as 0 over the practical size', () => {
    const members = [member('80.00', { practical: '90.00', practical_role: 'nominee' }), member('70.00', { practical_role: 'drawn', pending: true })]
    const c = checkTeam({ written: '18.75', practical: '45.00', total: '34.50', members }, stage)
    expect(c.practicalText).toBe('45.00')
    expect(c.writtenText).toBe('18.75')
    expect(c.agrees).toBe(true)
  })

  it('averages over those present when absentees do not count as zero', () => {
    const s = { ...stage, absent_counts_as_zero: false, precision: 1 }
    const members = [member('80.00', { practical: '90.0', practical_role: 'nominee' }), member('71.00'), member(null)]
    const c = checkTeam({ written: '75.5', practical: '90.0', total: '84.2', members }, s)
    expect(c.writtenText).toBe('75.5')
    expect(c.totalText).toBe('84.2')
    expect(c.agrees).toBe(true)
  })
})

describe('judgesScore and checkIndividual', () => {
  it('drops the highest and lowest of five judges for a trimmed mean', () => {
    expect(roundHalfUp(judgesScore(['79.00', '85.00', '88.00', '90.00', '92.00'], 'trimmed_mean')!, 2)).toBe('87.67')
    expect(roundHalfUp(judgesScore(['79.00', '85.00', '88.00', '90.00', '92.00'], 'mean')!, 2)).toBe('86.80')
    expect(roundHalfUp(judgesScore(['80.00', '90.00', '85.00'], 'trimmed_mean')!, 2)).toBe('85.00')
    expect(judgesScore([], 'mean')).toBeNull()
  })

  it('checks a row of the demo: practical from the judges, total = 40% written + 60% practical', () => {
    const row = { written: '87.00', practical: '92.40', total: '90.24', practical_judges: ['90.60', '90.60', '91.30', '95.30', '95.80'] }
    expect(checkIndividual(row, stage)).toEqual({ practicalText: '92.40', totalText: '90.24', agrees: true })
    expect(checkIndividual({ ...row, total: '90.25' }, stage).agrees).toBe(false)
  })

  it('counts a missing written figure (an absentee) as 0', () => {
    const row = { written: null, practical: null, total: '0.00', practical_judges: [] }
    expect(checkIndividual(row, stage)).toEqual({ practicalText: null, totalText: '0.00', agrees: true })
  })
})

describe('chart helpers', () => {
  it('splits a team total into its weighted parts', () => {
    expect(weightedParts({ written: '73.89', practical: '89.50' }, stage)).toEqual({ written: '29.56', practical: '53.70' })
  })

  it('bins totals by ten up to 100, the top bar closed', () => {
    const bins = distribution(['0.00', '9.99', '10.00', '55.5', '100.00', '99.99'])
    expect(bins).toHaveLength(10)
    expect(bins.map((b) => b.count)).toEqual([2, 1, 0, 0, 0, 1, 0, 0, 0, 2])
    expect(distribution(['104.5']).at(-1)).toEqual({ from: 100, to: 110, count: 1 })
  })

  it('formats weights and hashes for display', () => {
    expect(percent('0.40')).toBe('40')
    expect(percent('0.625')).toBe('62.5')
    expect(shortHash('0123456789abcdef')).toBe('0123 4567 89ab')
  })
})
