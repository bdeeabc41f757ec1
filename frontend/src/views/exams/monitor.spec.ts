import { describe, expect, it } from 'vitest'
import type { MonitorRow } from '@/api/types'
import {
  examPhase,
  filterRows,
  formatClock,
  keepSelection,
  needsAttention,
  remainingSeconds,
  serverOffset,
  silentSeconds,
  summarise,
} from './monitor'

const T0 = Date.parse('2026-05-04T08:00:00Z')

function row(over: Partial<MonitorRow>): MonitorRow {
  return {
    user_id: 1,
    username: 'eng041',
    name: '工程师41',
    org_unit_name: '县局五',
    state: 'not_started',
    attempt_id: null,
    answered: 0,
    item_count: 10,
    last_seen_at: null,
    focus_losses: 0,
    locked: false,
    deadline: null,
    remaining_seconds: null,
    extra_seconds: 0,
    submitted_at: null,
    submitted_by: '',
    ...over,
  }
}

describe('remaining time in the console', () => {
  it('counts down against the server clock, not the laptop’s', () => {
    // The laptop is 90 s behind: the server said 08:00:00 when the laptop read 07:58:30.
    const offset = serverOffset('2026-05-04T08:00:00Z', T0 - 90_000)
    expect(offset).toBe(90_000)
    const r = row({ state: 'in_progress', deadline: '2026-05-04T08:30:00Z', remaining_seconds: 1800 })
    const laptopNow = T0 - 90_000 + 10_000
    expect(remainingSeconds(r, laptopNow + offset)).toBe(1790)
  })

  it('grows when the deadline moves with extra time, and never goes below zero', () => {
    const before = row({ state: 'in_progress', deadline: '2026-05-04T08:30:00Z' })
    const after = { ...before, deadline: '2026-05-04T08:35:00Z' }
    expect(remainingSeconds(after, T0)! - remainingSeconds(before, T0)!).toBe(300)
    expect(remainingSeconds(before, T0 + 3_600_000)).toBe(0)
  })

  it('has none for contestants not sitting the exam', () => {
    expect(remainingSeconds(row({ state: 'submitted', deadline: '2026-05-04T08:30:00Z' }), T0)).toBeNull()
    expect(remainingSeconds(row({}), T0)).toBeNull()
  })

  it('prints as M:SS under an hour and H:MM:SS above', () => {
    expect(formatClock(59)).toBe('0:59')
    expect(formatClock(605)).toBe('10:05')
    expect(formatClock(3725)).toBe('1:02:05')
    expect(formatClock(null)).toBe('—')
  })
})

describe('summary and filters', () => {
  const rows = [
    row({ user_id: 1, username: 'eng041' }),
    row({ user_id: 2, username: 'eng042', state: 'in_progress', focus_losses: 3, last_seen_at: '2026-05-04T07:59:50Z' }),
    row({ user_id: 3, username: 'eng043', state: 'in_progress', last_seen_at: '2026-05-04T07:58:00Z' }),
    row({ user_id: 4, username: 'eng044', state: 'submitted', locked: true }),
  ]

  it('counts contestants by state, locked and focus lost', () => {
    expect(summarise(rows)).toEqual({ total: 4, not_started: 1, in_progress: 2, submitted: 1, locked: 1, focus: 1 })
  })

  it('flags focus loss and a contestant silent for a minute or more, not the usual lock to one browser', () => {
    expect(rows.map((r) => needsAttention(r, T0))).toEqual([false, true, true, false])
    expect(silentSeconds('2026-05-04T07:58:00Z', T0)).toBe(120)
  })

  it('filters by state or attention and searches names, usernames and units', () => {
    expect(filterRows(rows, 'in_progress', '', T0).map((r) => r.user_id)).toEqual([2, 3])
    expect(filterRows(rows, 'attention', '', T0).map((r) => r.user_id)).toEqual([2, 3])
    expect(filterRows(rows, 'all', 'ENG043', T0).map((r) => r.user_id)).toEqual([3])
    expect(filterRows(rows, 'all', '县局五', T0)).toHaveLength(4)
  })

  it('keeps the selection of contestants still listed', () => {
    expect([...keepSelection(new Set([2, 9]), rows)]).toEqual([2])
  })
})

describe('examPhase', () => {
  it('is upcoming before the window, open inside, closed from the close', () => {
    const exam = { opens_at: '2026-05-04T08:00:00Z', closes_at: '2026-05-04T10:00:00Z' }
    expect(examPhase(exam, T0 - 1)).toBe('upcoming')
    expect(examPhase(exam, T0)).toBe('open')
    expect(examPhase(exam, Date.parse(exam.closes_at))).toBe('closed')
  })
})
