import { describe, expect, it } from 'vitest'
import { passwordProblem, repeatProblem } from './password'

describe('passwordProblem', () => {
  it.each([
    ['Newpass123', null],
    ['abcdefg1', null],
    ['12345678a', null],
    ['密码密码密码12', null],
    ['abc1234', 'password.tooShort'],
    ['', 'password.tooShort'],
    ['abcdefgh', 'password.needLetterAndDigit'],
    ['12345678', 'password.needLetterAndDigit'],
    ['!!!!!!!!', 'password.needLetterAndDigit'],
  ])('judges %j as %s', (password, expected) => {
    expect(passwordProblem(password)).toBe(expected)
  })
})

describe('repeatProblem', () => {
  it('accepts an exact repeat', () => {
    expect(repeatProblem('Newpass123', 'Newpass123')).toBeNull()
  })

  it('refuses a repeat that differs, even in case only', () => {
    expect(repeatProblem('Newpass123', 'newpass123')).toBe('password.mismatch')
    expect(repeatProblem('Newpass123', '')).toBe('password.mismatch')
  })
})
