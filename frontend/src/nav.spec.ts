import { describe, expect, it } from 'vitest'
import type { Role } from '@/api/types'
import { allows, navFor } from './nav'

const g = (...roles: Role[]) => roles.map((role) => ({ role }))

describe('navFor', () => {
  it('gives an organiser the banks, topics and admin pages, between Home and Change password', () => {
    expect(navFor(g('organiser')).map((i) => i.name)).toEqual([
      'home',
      'banks',
      'exam-admin',
      'competition',
      'materials',
      'topics',
      'org-units',
      'users',
      'grants',
      'audit',
      'password',
    ])
  })

  it('gives an author the banks and the review queue but no admin pages', () => {
    expect(navFor(g('author')).map((i) => i.name)).toEqual(['home', 'banks', 'review', 'materials', 'password'])
  })

  it('gives a contestant Home, My exams, My results, study material and Change password', () => {
    expect(navFor(g('contestant')).map((i) => i.name)).toEqual(['home', 'my-exams', 'my-results', 'materials', 'password'])
  })

  it('gives invigilators their console list and judges their marking queue, but no content or admin pages', () => {
    expect(navFor(g('invigilator', 'judge')).map((i) => i.name)).toEqual(['home', 'invigilation', 'marking', 'judging', 'materials', 'password'])
    expect(navFor(g('judge')).map((i) => i.name)).toEqual(['home', 'marking', 'judging', 'materials', 'password'])
  })

  it('gives a user with no grant Home, study material and Change password', () => {
    expect(navFor([]).map((i) => i.name)).toEqual(['home', 'materials', 'password'])
  })

  it('counts organiser held in any unit, next to other roles', () => {
    expect(navFor(g('judge', 'organiser', 'organiser')).map((i) => i.name)).toContain('audit')
  })

  it('shows a page once to a user holding several roles that may see it', () => {
    const names = navFor(g('author', 'organiser')).map((i) => i.name)
    expect(names.filter((n) => n === 'banks')).toHaveLength(1)
    expect(names).toContain('review')
    expect(names).toContain('topics')
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
