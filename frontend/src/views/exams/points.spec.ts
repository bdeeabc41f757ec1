import { describe, expect, it } from 'vitest'
import { checkMark, formatHundredths, normalisePoints, toHundredths } from './points'

describe('points as exact decimals', () => {
  it('reads up to two places into hundredths without floats', () => {
    expect(toHundredths('2.5')).toBe(250)
    expect(toHundredths('0.07')).toBe(7)
    expect(toHundredths('12')).toBe(1200)
    expect(toHundredths(' 87.25 ')).toBe(8725)
  })

  it('refuses three places, signs, commas and exponents', () => {
    for (const bad of ['2.555', '-1', '1,5', '1e2', '.5', '', 'abc', '2.']) expect(toHundredths(bad), bad).toBeNull()
  })

  it('writes hundredths as the API does', () => {
    expect(formatHundredths(250)).toBe('2.50')
    expect(formatHundredths(7)).toBe('0.07')
    expect(formatHundredths(0)).toBe('0.00')
    expect(normalisePoints('3')).toBe('3.00')
  })
})

describe('a judge’s mark', () => {
  it('is required, a decimal with at most two places, and between 0 and the item’s points', () => {
    expect(checkMark('', '10.00')).toBe('required')
    expect(checkMark('7.125', '10.00')).toBe('format')
    expect(checkMark('-1', '10.00')).toBe('format')
    expect(checkMark('10.01', '10.00')).toBe('range')
    expect(checkMark('10', '10.00')).toBeNull()
    expect(checkMark('0', '10.00')).toBeNull()
    expect(checkMark('7.25', '10.00')).toBeNull()
  })
})
