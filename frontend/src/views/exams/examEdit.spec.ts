import { describe, expect, it } from 'vitest'
import type { AdminExamDetail } from '@/api/types'
import { blueprintChoices, examChanges, formValuesOf } from './examEdit'

const exam: AdminExamDetail = {
  id: 7,
  org_unit_id: 3,
  title: '一县笔试',
  instructions: '闭卷',
  kind: 'competition',
  opens_at: '2026-11-24T08:00:00.123456Z',
  closes_at: '2026-11-24T11:00:00Z',
  duration_seconds: 5400,
  grace_seconds: 30,
  max_attempts: 1,
  results_visibility: 'after_close',
  item_count: 3,
  total_points: '6.00',
  enrolled: false,
  manageable: true,
  blueprint_id: 4,
  blueprint_name: '县选拔',
  sections: [],
  bank_ids: [2, 1],
  paper_mode: 'drawn',
  shuffle_questions: true,
  shuffle_options: true,
  partial_credit: false,
  marking_threshold: '2.00',
  enrolled_count: 2,
  papers_ready: 0,
}

describe('an exam edit', () => {
  it('sends nothing when the organiser changed nothing, whatever the stored precision of the times', () => {
    expect(examChanges(exam, formValuesOf(exam))).toEqual({})
  })

  it('sends only the settings that changed', () => {
    const v = formValuesOf(exam)
    v.title = ' 一县笔试（改） '
    v.duration_minutes = 60
    v.bank_ids = [1, 2]
    v.marking_threshold = '3'
    v.window = [v.window[0], new Date('2026-11-24T12:00:00Z')]
    expect(examChanges(exam, v)).toEqual({
      title: '一县笔试（改）',
      duration_minutes: 60,
      closes_at: '2026-11-24T12:00:00.000Z',
      marking_threshold: '3.00',
    })
  })
})

describe('the blueprints an exam form offers', () => {
  const usable = [
    { id: 9, name: '省统一卷', sections: [] },
    { id: 4, name: '县选拔', sections: [] },
  ]
  const sections = [{ title: '单选', topic_id: 1, type: 'single_choice' as const, difficulty: 0, count: 3, points_each: '2.00' }]

  it('are those the server accepts for the unit, for a new exam and an exam whose blueprint is among them', () => {
    expect(blueprintChoices(usable, null)).toEqual(usable)
    expect(blueprintChoices(usable, exam)).toEqual(usable)
  })

  it("keep an edited exam's own blueprint, by the exam's name for it, when its editor could not pick it", () => {
    const other = { ...exam, blueprint_id: 12, blueprint_name: '二县卷', sections }
    expect(blueprintChoices(usable, other)).toEqual([{ id: 12, name: '二县卷', sections }, ...usable])
  })
})
