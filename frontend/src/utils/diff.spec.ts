import { describe, expect, it } from 'vitest'
import { diffLines, diffTokens, diffWords, hasChanges, lineTokens, sideOf, wordTokens } from './diff'

describe('wordTokens', () => {
  it('splits Latin words, spaces and punctuation, and Han characters one by one', () => {
    expect(wordTokens('Reset the ONU, then 重启光猫')).toEqual([
      'Reset', ' ', 'the', ' ', 'ONU', ',', ' ', 'then', ' ', '重', '启', '光', '猫',
    ])
  })

  it('keeps every character', () => {
    const text = '客户报障后，应在 2 小时内（含路途）到场。'
    expect(wordTokens(text).join('')).toBe(text)
  })
})

describe('lineTokens', () => {
  it('keeps the line breaks with their lines', () => {
    expect(lineTokens('a\nb\n\nc')).toEqual(['a\n', 'b\n', '\n', 'c'])
    expect(lineTokens('')).toEqual([])
  })
})

describe('diffTokens', () => {
  it('answers one equal part for identical input', () => {
    expect(diffTokens(['a', 'b'], ['a', 'b'])).toEqual([{ op: 'equal', text: 'ab' }])
  })

  it('finds insertions, deletions and replacements around common text', () => {
    expect(diffTokens(['a', 'b', 'c'], ['a', 'x', 'c'])).toEqual([
      { op: 'equal', text: 'a' },
      { op: 'delete', text: 'b' },
      { op: 'insert', text: 'x' },
      { op: 'equal', text: 'c' },
    ])
    expect(diffTokens(['a', 'c'], ['a', 'b', 'c'])).toEqual([
      { op: 'equal', text: 'a' },
      { op: 'insert', text: 'b' },
      { op: 'equal', text: 'c' },
    ])
    expect(diffTokens(['a', 'b', 'c'], ['a', 'c'])).toEqual([
      { op: 'equal', text: 'a' },
      { op: 'delete', text: 'b' },
      { op: 'equal', text: 'c' },
    ])
  })

  it('handles empty sides', () => {
    expect(diffTokens([], [])).toEqual([])
    expect(diffTokens([], ['x'])).toEqual([{ op: 'insert', text: 'x' }])
    expect(diffTokens(['x'], [])).toEqual([{ op: 'delete', text: 'x' }])
  })

  it('keeps the longest common subsequence', () => {
    const parts = diffTokens('ABCBDAB'.split(''), 'BDCABA'.split(''))
    const kept = parts.filter((p) => p.op === 'equal').map((p) => p.text).join('')
    expect(kept).toHaveLength(4)
  })
})

describe('diffWords', () => {
  it('marks a changed Chinese word character by character', () => {
    const parts = diffWords('光猫需要重启', '光猫需要更换')
    expect(parts).toEqual([
      { op: 'equal', text: '光猫需要' },
      { op: 'delete', text: '重启' },
      { op: 'insert', text: '更换' },
    ])
  })

  it('marks a changed English word as a whole', () => {
    expect(diffWords('reset the modem', 'reboot the modem')).toEqual([
      { op: 'delete', text: 'reset' },
      { op: 'insert', text: 'reboot' },
      { op: 'equal', text: ' the modem' },
    ])
  })

  it('rebuilds both sides exactly', () => {
    const a = '客户报障后，应在 2 小时内到场。Check the ONU first.'
    const b = '客户报障后，须在 4 小时内到场并回访。Check the OLT first!'
    const parts = diffWords(a, b)
    expect(sideOf(parts, 'old')).toBe(a)
    expect(sideOf(parts, 'new')).toBe(b)
    expect(hasChanges(parts)).toBe(true)
  })

  it('reports no change for equal texts', () => {
    expect(hasChanges(diffWords('同样的题干', '同样的题干'))).toBe(false)
  })

  it('stays fast on long texts by replacing the middle wholesale', () => {
    const a = 'x'.repeat(3000).split('').join(' ')
    const b = 'y'.repeat(3000).split('').join(' ')
    const started = Date.now()
    const parts = diffWords(`开始${a}结束`, `开始${b}结束`)
    expect(Date.now() - started).toBeLessThan(2000)
    expect(sideOf(parts, 'old')).toBe(`开始${a}结束`)
    expect(sideOf(parts, 'new')).toBe(`开始${b}结束`)
  })
})

describe('diffLines', () => {
  it('compares whole lines', () => {
    const parts = diffLines('A. 重启\nB. 更换\nC. 上报', 'A. 重启\nB. 维修\nC. 上报')
    expect(parts).toEqual([
      { op: 'equal', text: 'A. 重启\n' },
      { op: 'delete', text: 'B. 更换\n' },
      { op: 'insert', text: 'B. 维修\n' },
      { op: 'equal', text: 'C. 上报\n' },
    ])
  })

  it('treats a last line without a break like one with it', () => {
    const parts = diffLines('A\nB', 'A\nB\nC')
    expect(parts).toEqual([
      { op: 'equal', text: 'A\nB\n' },
      { op: 'insert', text: 'C\n' },
    ])
  })
})
