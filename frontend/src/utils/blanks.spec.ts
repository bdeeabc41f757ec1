import { describe, expect, it } from 'vitest'
import { countBlanks, splitAtBlanks, syncBlanks } from './blanks'

describe('countBlanks', () => {
  it('counts runs of three or more underscores as one gap each', () => {
    expect(countBlanks('ADSL 的下行速率最高为 ___ Mbps，上行为 ______ Mbps。')).toBe(2)
    expect(countBlanks('<p>光纤接入的英文缩写是 ___</p>')).toBe(1)
  })

  it('does not count one or two underscores', () => {
    expect(countBlanks('变量 a_b 与 c__d')).toBe(0)
    expect(countBlanks('')).toBe(0)
  })

  it('counts adjacent markers separated by text', () => {
    expect(countBlanks('___和___')).toBe(2)
  })
})

describe('splitAtBlanks', () => {
  it('answers one part more than there are gaps', () => {
    expect(splitAtBlanks('甲___乙____丙')).toEqual(['甲', '乙', '丙'])
    expect(splitAtBlanks('___')).toEqual(['', ''])
    expect(splitAtBlanks('无空')).toEqual(['无空'])
  })
})

describe('syncBlanks', () => {
  it('keeps existing answers, adds empty blanks and drops extra ones', () => {
    const blanks = [{ accepted: ['4', '四'] }, { accepted: ['24'] }]
    expect(syncBlanks(blanks, 3)).toEqual([{ accepted: ['4', '四'] }, { accepted: ['24'] }, { accepted: [] }])
    expect(syncBlanks(blanks, 1)).toEqual([{ accepted: ['4', '四'] }])
    expect(syncBlanks(blanks, 0)).toEqual([])
  })

  it('copies, so editing the result leaves the input alone', () => {
    const blanks = [{ accepted: ['a'] }]
    const out = syncBlanks(blanks, 1)
    out[0]!.accepted.push('b')
    expect(blanks[0]!.accepted).toEqual(['a'])
  })
})
