import { describe, expect, it } from 'vitest'
import type { Role } from '@/api/types'
import { allows, navFor } from './nav'

const g = (...roles: Role[]) => roles.map((role) => ({ role }))

describe('navFor', () => {
  it('gives an organiser the admin pages between Home and Change password', () => {
    expect(navFor(g('organiser')).map((i) => i.name)).toEqual([
      'home',
      'org-units',
      'users',
      'grants',
      'audit',
      'password',
    ])
  })

  it('gives a contestant only Home and Change password', () => {
    expect(navFor(g('contestant')).map((i) => i.name)).toEqual(['home', 'password'])
  })

  it('gives authors, invigilators and judges no admin pages', () => {
    expect(navFor(g('author', 'invigilator', 'judge')).map((i) => i.name)).toEqual(['home', 'password'])
  })

  it('gives a user with no grant Home and Change password', () => {
    expect(navFor([]).map((i) => i.name)).toEqual(['home', 'password'])
  })

  it('counts organiser held in any unit, next to other roles', () => {
    expect(navFor(g('judge', 'organiser', 'organiser')).map((i) => i.name)).toContain('audit')
  })
})

describe('allows', () => {
  it('allows pages that need no role to everyone', () => {
    expect(allows([], [])).toBe(true)
    expect(allows([], undefined)).toBe(true)
  })

  it('needs one of the listed roles', () => {
    expect(allows(g('judge'), ['organiser'])).toBe(false)
    expect(allows(g('judge'), ['organiser', 'judge'])).toBe(true)
  })
})
