import { describe, expect, it } from 'vitest'
import { Countdown, formatClock, urgency, warningDue } from './countdown'
import { loadFlags, saveFlags } from './flags'
import { isTextField, keyAction } from './keys'
import { fromResponse, isAnswered, toResponse } from './responses'

describe('Countdown', () => {
  it('counts down from the server’s remaining seconds on a monotonic clock and takes every re-sync', () => {
    let t = 1000
    const c = new Countdown(120, () => t)
    expect(c.remaining()).toBe(120)
    t += 30_500
    expect(c.remaining()).toBe(90)
    c.sync(95) // the server says so at the next heartbeat
    expect(c.remaining()).toBe(95)
    t += 100_000
    expect(c.remaining()).toBe(0)
    expect(c.overdueMs()).toBe(5000)
    c.sync(600) // extra time granted
    expect(c.remaining()).toBe(600)
  })

  it('formats minutes and seconds, and hours when there are any', () => {
    expect(formatClock(0)).toBe('00:00')
    expect(formatClock(59)).toBe('00:59')
    expect(formatClock(300)).toBe('05:00')
    expect(formatClock(3599)).toBe('59:59')
    expect(formatClock(3600 * 2 + 61)).toBe('2:01:01')
  })

  it('warns once at 5 minutes and once at 1 minute, and at once when the page opens with less left', () => {
    const given = new Set<number>()
    expect(warningDue(301, given)).toBeNull()
    expect(warningDue(300, given)).toBe(300)
    given.add(300)
    expect(warningDue(200, given)).toBeNull()
    expect(warningDue(60, given)).toBe(60)
    given.add(60)
    expect(warningDue(10, given)).toBeNull()
    expect(warningDue(0, new Set())).toBeNull()
    expect(warningDue(45, new Set())).toBe(60)
    expect([400, 300, 61, 60, 0].map(urgency)).toEqual(['normal', 'warning', 'warning', 'danger', 'danger'])
  })
})

describe('responses', () => {
  it('reads and writes each type in the API’s shape', () => {
    expect(toResponse('single_choice', { choices: ['B'] })).toBe('B')
    expect(toResponse('single_choice', {})).toBeNull()
    expect(toResponse('multiple_choice', { choices: ['A', 'C'] })).toEqual(['A', 'C'])
    expect(toResponse('true_false', { true: false })).toBe(false)
    expect(toResponse('fill_blank', { blanks: ['一', '二'] })).toEqual(['一', '二'])
    expect(toResponse('essay', { text: '方案' })).toBe('方案')
    expect(fromResponse('single_choice', 'B')).toEqual({ choices: ['B'] })
    expect(fromResponse('multiple_choice', ['A', 'C'])).toEqual({ choices: ['A', 'C'] })
    expect(fromResponse('true_false', true)).toEqual({ true: true })
    expect(fromResponse('fill_blank', ['x', 3])).toEqual({ blanks: ['x', ''] })
    expect(fromResponse('short_answer', 'text')).toEqual({ text: 'text' })
    expect(fromResponse('single_choice', null)).toEqual({})
    expect(fromResponse('true_false', 'true')).toEqual({})
  })

  it('counts an answer as given when a choice is made, a gap filled or text written', () => {
    expect(isAnswered('single_choice', 'A')).toBe(true)
    expect(isAnswered('single_choice', null)).toBe(false)
    expect(isAnswered('multiple_choice', [])).toBe(false)
    expect(isAnswered('true_false', false)).toBe(true)
    expect(isAnswered('fill_blank', ['', '  '])).toBe(false)
    expect(isAnswered('fill_blank', ['', 'x'])).toBe(true)
    expect(isAnswered('essay', '   ')).toBe(false)
    expect(isAnswered('short_answer', '答')).toBe(true)
  })
})

describe('keyAction', () => {
  const press = (key: string, more: Partial<Parameters<typeof keyAction>[0]> = {}) => ({ key, inTextField: false, ...more })

  it('moves with the arrows and PageUp/PageDown, and flags with F', () => {
    expect(keyAction(press('ArrowLeft'), 'essay', [])).toEqual({ kind: 'prev' })
    expect(keyAction(press('PageDown'), 'single_choice', ['A'])).toEqual({ kind: 'next' })
    expect(keyAction(press('f'), 'single_choice', ['A', 'B', 'C', 'D', 'E', 'F'])).toEqual({ kind: 'flag' })
  })

  it('chooses options by number or letter, and true/false by 1/2 or A/B', () => {
    const keys = ['A', 'B', 'C', 'D']
    expect(keyAction(press('3'), 'single_choice', keys)).toEqual({ kind: 'choose', key: 'C' })
    expect(keyAction(press('d'), 'multiple_choice', keys)).toEqual({ kind: 'choose', key: 'D' })
    expect(keyAction(press('5'), 'single_choice', keys)).toBeNull()
    expect(keyAction(press('e'), 'single_choice', keys)).toBeNull()
    expect(keyAction(press('1'), 'true_false', [])).toEqual({ kind: 'trueFalse', value: true })
    expect(keyAction(press('b'), 'true_false', [])).toEqual({ kind: 'trueFalse', value: false })
  })

  it('leaves keys alone in text fields and with modifiers', () => {
    expect(keyAction(press('ArrowLeft', { inTextField: true }), 'essay', [])).toBeNull()
    expect(keyAction(press('f', { inTextField: true }), 'fill_blank', [])).toBeNull()
    expect(keyAction(press('ArrowRight', { altKey: true }), 'single_choice', ['A'])).toBeNull()
    expect(keyAction(press('c', { ctrlKey: true }), 'single_choice', ['A', 'B', 'C'])).toBeNull()
  })

  it('knows which targets take typing', () => {
    const input = (type: string) => Object.assign(document.createElement('input'), { type })
    expect(isTextField(input('text'))).toBe(true)
    expect(isTextField(input('radio'))).toBe(false)
    expect(isTextField(document.createElement('textarea'))).toBe(true)
    expect(isTextField(document.createElement('button'))).toBe(false)
    expect(isTextField(null)).toBe(false)
  })
})

describe('flags', () => {
  it('keeps each attempt’s flags apart in local storage', () => {
    const store = new Map<string, string>()
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) }
    saveFlags(1, new Set([5, 2]), storage)
    saveFlags(2, new Set([9]), storage)
    expect([...loadFlags(1, storage)]).toEqual([2, 5])
    expect([...loadFlags(2, storage)]).toEqual([9])
    expect([...loadFlags(3, storage)]).toEqual([])
    store.set('skillarena.exam.flags.4', 'not json')
    expect([...loadFlags(4, storage)]).toEqual([])
  })
})

describe('FocusTracker', () => {
  it('counts each absence once, and keeps the losses a failed heartbeat did not deliver', async () => {
    const { FocusTracker } = await import('./presence')
    const f = new FocusTracker()
    f.leave() // blur
    f.leave() // visibilitychange hidden, same absence
    f.back()
    f.leave()
    expect(f.pending).toBe(2)
    // A beat reporting 2 is on its way; the contestant leaves again meanwhile.
    f.back()
    f.leave()
    f.acknowledge(2)
    expect(f.pending).toBe(1)
    f.acknowledge(0) // a failed beat acknowledges nothing
    expect(f.pending).toBe(1)
  })
})
