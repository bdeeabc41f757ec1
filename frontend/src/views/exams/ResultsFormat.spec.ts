import { describe, expect, it } from 'vitest'
import type { ExamStatisticsItem } from '@/api/types'
import {
  binLabels,
  discriminationCue,
  distributionOption,
  facilityCue,
  formatStat,
  formFromKey,
  keyFromForm,
  keyText,
  optionCells,
  parseAccepted,
  possibleMiskey,
  responseText,
  sameKey,
  scoreState,
  sortByNumber,
  topicName,
} from './ResultsFormat'

const w = { true: '对', false: '错', none: '未作答' }

function item(options: { key: string; count: number; correct: boolean }[], seen = 10, omitted = 0) {
  return { options, seen, omitted } as Pick<ExamStatisticsItem, 'options' | 'seen' | 'omitted'>
}

describe('answers and keys as text', () => {
  it('shows each type’s answer in one line, and an empty answer as not answered', () => {
    expect(responseText('single_choice', 'B', w)).toBe('B')
    expect(responseText('multiple_choice', ['C', 'A'], w)).toBe('A, C')
    expect(responseText('multiple_choice', [], w)).toBe('未作答')
    expect(responseText('true_false', false, w)).toBe('错')
    expect(responseText('fill_blank', ['OSPF', ''], w)).toBe('(1) OSPF  (2) —')
    expect(responseText('fill_blank', ['', ' '], w)).toBe('未作答')
    expect(responseText('short_answer', '先致歉', w)).toBe('先致歉')
    for (const empty of [null, undefined, '']) expect(responseText('single_choice', empty, w)).toBe('未作答')
  })

  it('never hides an answer of an unexpected shape', () => {
    expect(responseText('true_false', 'yes', w)).toBe('"yes"')
  })

  it('shows keys by type, every accepted answer of a blank', () => {
    expect(keyText('multiple_choice', { choices: ['D', 'B'] }, w)).toBe('B, D')
    expect(keyText('true_false', { true: true }, w)).toBe('对')
    expect(keyText('true_false', { true: false }, w)).toBe('错')
    expect(keyText('fill_blank', { blanks: [{ accepted: ['光纤', '光缆'] }, { accepted: ['1310'] }] }, w)).toBe(
      '(1) 光纤 / 光缆  (2) 1310',
    )
    expect(keyText('essay', undefined, w)).toBe('—')
  })
})

describe('a score against its points', () => {
  it('is full, partial, zero or awaiting a judge, compared exactly', () => {
    expect(scoreState('5.00', '5.00')).toBe('full')
    expect(scoreState('4.99', '5.00')).toBe('partial')
    expect(scoreState('0.00', '5.00')).toBe('zero')
    expect(scoreState(null, '5.00')).toBe('pending')
  })
})

describe('statistics and their cues', () => {
  it('formats statistics and says when there is none', () => {
    expect(formatStat(0.12345)).toBe('0.12')
    expect(formatStat(0.5, 3)).toBe('0.500')
    expect(formatStat(null)).toBe('—')
  })

  it('flags an item whose discrimination is negative or under 0.2 as weak', () => {
    expect(discriminationCue(-0.05)).toBe('negative')
    expect(discriminationCue(0)).toBe('weak')
    expect(discriminationCue(0.1999)).toBe('weak')
    expect(discriminationCue(0.2)).toBe('fair')
    expect(discriminationCue(0.3)).toBe('good')
    expect(discriminationCue(null)).toBe('none')
  })

  it('flags an item almost nobody or almost everybody scores on', () => {
    expect(facilityCue(0.1)).toBe('hard')
    expect(facilityCue(0.95)).toBe('easy')
    expect(facilityCue(0.9)).toBe('ok')
    expect(facilityCue(null)).toBe('none')
  })

  it('marks the key, a distractor nobody chooses and one chosen more than the key', () => {
    const cells = optionCells(
      item([
        { key: 'A', count: 3, correct: true },
        { key: 'B', count: 6, correct: false },
        { key: 'C', count: 0, correct: false },
        { key: 'D', count: 1, correct: false },
      ]),
    )
    expect(cells.map((c) => c.cue)).toEqual(['key', 'strong', 'unused', 'normal'])
    expect(cells[1]!.share).toBeCloseTo(0.6)
    expect(possibleMiskey(item([{ key: 'A', count: 3, correct: true }, { key: 'B', count: 6, correct: false }]))).toBe(true)
    expect(possibleMiskey(item([{ key: 'A', count: 6, correct: true }, { key: 'B', count: 3, correct: false }]))).toBe(false)
  })

  it('takes the shares of those who answered, and has none when nobody did', () => {
    const cells = optionCells(item([{ key: 'true', count: 2, correct: true }, { key: 'false', count: 2, correct: false }], 8, 4))
    expect(cells[0]!.share).toBe(0.5)
    expect(optionCells(item([{ key: 'A', count: 0, correct: true }], 3, 3))[0]!.share).toBeNull()
  })
})

describe('sorting the item table', () => {
  const rows = [
    { id: 1, d: 0.4 },
    { id: 2, d: null },
    { id: 3, d: 0.1 },
    { id: 4, d: 0.4 },
  ]
  it('puts items without a value last in both orders and keeps ties in place', () => {
    expect(sortByNumber(rows, (r) => r.d, 'ascending').map((r) => r.id)).toEqual([3, 1, 4, 2])
    expect(sortByNumber(rows, (r) => r.d, 'descending').map((r) => r.id)).toEqual([1, 4, 3, 2])
  })
  it('keeps the paper’s order without a sort, and never changes the list it is given', () => {
    expect(sortByNumber(rows, (r) => r.d, null).map((r) => r.id)).toEqual([1, 2, 3, 4])
    expect(rows.map((r) => r.id)).toEqual([1, 2, 3, 4])
  })
})

describe('the score histogram', () => {
  const bins = [
    { from: 0, to: 12.5, count: 1 },
    { from: 12.5, to: 25, count: 3 },
  ]
  it('labels each bar with its range', () => {
    expect(binLabels(bins)).toEqual(['0–12.5', '12.5–25'])
  })
  it('draws one bar per bin with its count and words the tooltip', () => {
    const option = distributionOption(bins, { score: '分数', count: '人数', tooltip: (r, n) => `${r}: ${n}` })
    expect(option.xAxis.data).toEqual(['0–12.5', '12.5–25'])
    expect(option.series[0]!.data).toEqual([1, 3])
    expect(option.tooltip.formatter([{ dataIndex: 1 }])).toBe('12.5–25: 3')
  })
})

describe('a key typed by hand', () => {
  it('reads accepted answers one per line, trimmed, without blanks or repeats', () => {
    expect(parseAccepted(' OSPF \n\nospf\nOSPF\r\nIS-IS')).toEqual(['OSPF', 'ospf', 'IS-IS'])
  })

  it('builds the key of each type, or says what is missing', () => {
    const form = formFromKey(null, 0)
    expect(keyFromForm('single_choice', form)).toEqual({ problem: 'choice' })
    expect(keyFromForm('single_choice', { ...form, choice: 'C' })).toEqual({ key: { choices: ['C'] } })
    expect(keyFromForm('multiple_choice', { ...form, choices: ['D', 'A'] })).toEqual({ key: { choices: ['A', 'D'] } })
    expect(keyFromForm('multiple_choice', form)).toEqual({ problem: 'choices' })
    expect(keyFromForm('true_false', { ...form, truth: false })).toEqual({ key: { true: false } })
    expect(keyFromForm('true_false', form)).toEqual({ problem: 'truth' })
    expect(keyFromForm('fill_blank', { ...form, blanks: ['a\nb', ''] })).toEqual({ problem: 'blanks' })
    expect(keyFromForm('fill_blank', { ...form, blanks: ['a\nb', 'c'] })).toEqual({
      key: { blanks: [{ accepted: ['a', 'b'] }, { accepted: ['c'] }] },
    })
  })

  it('starts from the current key with as many blanks as the question has', () => {
    expect(formFromKey({ blanks: [{ accepted: ['x', 'y'] }] }, 2).blanks).toEqual(['x\ny', ''])
    expect(formFromKey({ choices: ['B'] }, 0).choice).toBe('B')
    expect(formFromKey({ true: false }, 0).truth).toBe(false)
  })

  it('recognises a key that says the same as another', () => {
    expect(sameKey('multiple_choice', { choices: ['B', 'A'] }, { choices: ['A', 'B'] })).toBe(true)
    expect(sameKey('single_choice', { choices: ['A'] }, { choices: ['B'] })).toBe(false)
    expect(sameKey('true_false', { true: false }, { true: false })).toBe(true)
    expect(sameKey('true_false', { true: false }, null)).toBe(false)
  })
})

describe('topic names', () => {
  it('are English in the English UI when the topic has an English name', () => {
    expect(topicName({ topic: '网络', topic_en: 'Networks' }, 'en')).toBe('Networks')
    expect(topicName({ topic: '网络', topic_en: '' }, 'en')).toBe('网络')
    expect(topicName({ topic: '网络', topic_en: 'Networks' }, 'zh-CN')).toBe('网络')
  })
})
