import { describe, expect, it } from 'vitest'
import type { BlueprintSection, QuestionCount, Topic } from '@/api/types'
import { blueprintTotals, mergeCounts, sectionAvailability, sectionErrors, shortagesFromMessage } from './blueprint'

const topics: Topic[] = [
  { id: 1, parent_id: null, code: 'NET', name: '全业务网络知识', name_en: 'Networking', depth: 0 },
  { id: 2, parent_id: 1, code: 'NET.IP', name: 'IP', name_en: 'IP', depth: 1 },
  { id: 3, parent_id: null, code: 'SVC', name: '服务标准', name_en: 'Service', depth: 0 },
]

function section(over: Partial<BlueprintSection>): BlueprintSection {
  return { title: '', topic_id: 1, type: 'single_choice', difficulty: 0, count: 1, points_each: '1.00', ...over }
}

const counts: QuestionCount[] = [
  { topic_id: 1, type: 'single_choice', difficulty: 2, count: 4 },
  { topic_id: 2, type: 'single_choice', difficulty: 3, count: 6 },
  { topic_id: 3, type: 'single_choice', difficulty: 3, count: 5 },
  { topic_id: 2, type: 'essay', difficulty: 3, count: 1 },
]

describe('sectionAvailability', () => {
  it('counts a topic with its subtopics, and any difficulty when the section says 0', () => {
    const [a] = sectionAvailability([section({ topic_id: 1, count: 10 })], mergeCounts([counts]), topics)
    expect(a).toMatchObject({ pool: 10, worst: 10, best: 10, status: 'ok' })
  })

  it('counts one difficulty when the section names it, and flags a section the banks cannot fill', () => {
    const [a] = sectionAvailability([section({ topic_id: 1, difficulty: 3, count: 7 })], mergeCounts([counts]), topics)
    expect(a).toMatchObject({ pool: 6, status: 'short' })
  })

  it('adds up the counts of several banks', () => {
    const [a] = sectionAvailability([section({ type: 'essay', count: 2 })], mergeCounts([counts, counts]), topics)
    expect(a).toMatchObject({ pool: 2, status: 'ok' })
  })

  it('leaves a later section what an earlier one drawing the same questions cannot take', () => {
    // Both draw from topic 1's ten single choices: the first takes 6, so 4 are left for the second.
    const [, b] = sectionAvailability(
      [section({ count: 6 }), section({ count: 5 })],
      mergeCounts([counts]),
      topics,
    )
    expect(b).toMatchObject({ pool: 10, worst: 4, best: 4, status: 'short', sharedWith: [0] })
  })

  it('says "maybe" when only some draws of an overlapping earlier section leave too few', () => {
    // Section 1 takes 4 of topic 1 (any of 10); section 2 wants 5 of the 6 IP questions at difficulty 3.
    const [, b] = sectionAvailability(
      [section({ count: 4 }), section({ topic_id: 2, difficulty: 3, count: 5 })],
      mergeCounts([counts]),
      topics,
    )
    expect(b).toMatchObject({ pool: 6, worst: 2, best: 6, status: 'maybe' })
  })

  it('marks a section without topic or count as incomplete rather than short', () => {
    const [a] = sectionAvailability([section({ topic_id: 0 })], mergeCounts([counts]), topics)
    expect(a!.status).toBe('incomplete')
  })
})

describe('blueprintTotals', () => {
  it('adds items and points exactly', () => {
    expect(blueprintTotals([section({ count: 3, points_each: '0.10' }), section({ count: 1, points_each: '2.5' })])).toEqual({
      items: 4,
      points: '2.80',
    })
    expect(blueprintTotals([section({ points_each: 'x' })]).points).toBeNull()
  })
})

describe('sectionErrors', () => {
  it('reads the per-section messages of a refused exam', () => {
    const m = sectionErrors({ 'sections.1': '缺 3 题', title: 'x' })
    expect([...m]).toEqual([[1, '缺 3 题']])
  })
})

describe('shortagesFromMessage', () => {
  it('reads every short section of the server’s message, in either language', () => {
    const zh = '题库中已通过审核的题目不足以组卷（部分:名称:现有/需要）：1:论述题:2/40; 3:简答题:0/5。'
    expect([...shortagesFromMessage(zh, 3)]).toEqual([
      [0, { have: 2, want: 40 }],
      [2, { have: 0, want: 5 }],
    ])
    const en = 'The banks do not hold enough approved questions for the blueprint (section:title:have/want): 2:Essay:1/3.'
    expect([...shortagesFromMessage(en, 2)]).toEqual([[1, { have: 1, want: 3 }]])
  })

  it('ignores section numbers the blueprint does not have', () => {
    expect(shortagesFromMessage('…：9:x:1/3。', 2).size).toBe(0)
  })
})
