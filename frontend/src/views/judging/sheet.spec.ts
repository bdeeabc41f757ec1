import { describe, expect, it } from 'vitest'
import type { PracticalCriterion, PracticalMark } from '@/api/types'
import { changedMarks, entriesFrom, entryProblem, extremes, runningTotal, shortPoints, spreadOf } from './sheet'

const wiring: PracticalCriterion = { id: 1, name: '接线正确', kind: 'measurement', max_points: '60.00', scale: [] }
const craft: PracticalCriterion = {
  id: 2,
  name: '工艺',
  kind: 'judgement',
  max_points: '40.00',
  scale: ['0.00', '10.00', '20.00', '30.00', '40.00'],
}
const rubric = [wiring, craft]
const mark = (criterion_id: number, points: string): PracticalMark => ({
  id: criterion_id,
  criterion_id,
  points,
  comment: '',
  updated_at: '2026-05-01T10:00:00Z',
})

describe('a judge’s entry', () => {
  it('of a measurement is any exact figure from 0 to the maximum, with at most two decimals', () => {
    expect(entryProblem(wiring, '52.5')).toBeNull()
    expect(entryProblem(wiring, '60')).toBeNull()
    expect(entryProblem(wiring, '60.01')).toBe('range')
    expect(entryProblem(wiring, '52.555')).toBe('format')
    expect(entryProblem(wiring, '')).toBe('required')
  })

  it('of a judgement is one value of its scale', () => {
    expect(entryProblem(craft, '30')).toBeNull()
    expect(entryProblem(craft, '30.00')).toBeNull()
    expect(entryProblem(craft, '25')).toBe('scale')
  })
})

describe('the running total', () => {
  it('adds the valid entries exactly, in hundredths (0.1 + 0.2 is 0.30)', () => {
    const r = runningTotal(
      [
        { ...wiring, id: 1 },
        { ...wiring, id: 3, max_points: '1.00' },
        { ...wiring, id: 4, max_points: '1.00' },
      ],
      { 1: '', 3: '0.1', 4: '0.2' },
    )
    expect(r).toEqual({ total: '0.30', marked: 2, max: '62.00' })
  })

  it('leaves out entries that are not valid marks', () => {
    expect(runningTotal(rubric, { 1: '52.50', 2: '25' })).toEqual({ total: '52.50', marked: 1, max: '100.00' })
    expect(runningTotal(rubric, { 1: '52.50', 2: '30' })).toEqual({ total: '82.50', marked: 2, max: '100.00' })
  })
})

describe('saving', () => {
  it('sends only the valid entries that changed, normalised to two places', () => {
    const saved = [mark(1, '52.50')]
    const entries = entriesFrom(rubric, saved)
    expect(entries).toEqual({ 1: '52.50', 2: '' })
    expect(changedMarks(rubric, entries, saved)).toEqual([])
    expect(changedMarks(rubric, { 1: '52.5', 2: '30' }, saved)).toEqual([{ criterion_id: 2, points: '30.00' }])
    expect(changedMarks(rubric, { 1: '53', 2: '25' }, saved)).toEqual([{ criterion_id: 1, points: '53.00' }])
  })
})

describe('judges side by side', () => {
  it('show the spread between the highest and lowest total, exactly', () => {
    expect(spreadOf(['82.50', '80.00', '85.00', '78.00', '30.00'])).toBe('55.00')
    expect(spreadOf([])).toBeNull()
    expect(extremes(['82.50', '30.00', '85.00'])).toEqual({ high: 8500, low: 3000 })
    expect(extremes(['80.00', '80.00'])).toBeNull()
  })

  it('read scale values on buttons without trailing zeros', () => {
    expect(shortPoints('30.00')).toBe('30')
    expect(shortPoints('2.50')).toBe('2.5')
    expect(shortPoints('2.25')).toBe('2.25')
  })
})
