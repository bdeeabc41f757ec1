import { describe, expect, it } from 'vitest'
import type { Topic } from '@/api/types'
import { buildTopicTree, topicPath, topicWithDescendants } from './topicTree'

function topic(id: number, parent_id: number | null, name: string, name_en = ''): Topic {
  return { id, parent_id, code: `t${id}`, name, name_en, depth: 0 }
}

const topics = [
  topic(1, null, '全业务网络知识', 'Full-service networking'),
  topic(2, null, '维护流程', 'Maintenance processes'),
  topic(8, 1, 'IP与宽带', 'IP and broadband'),
  topic(9, 8, '光接入'),
]

describe('buildTopicTree', () => {
  it('nests topics under their parents', () => {
    const tree = buildTopicTree(topics)
    expect(tree.map((t) => t.name)).toEqual(['全业务网络知识', '维护流程'])
    expect(tree[0]!.children[0]!.name).toBe('IP与宽带')
    expect(tree[0]!.children[0]!.children[0]!.name).toBe('光接入')
  })

  it('makes orphans and cycles roots instead of losing them', () => {
    const tree = buildTopicTree([topic(5, 99, 'orphan'), topic(6, 7, 'a'), topic(7, 6, 'b')])
    const names: string[] = []
    const walk = (nodes: typeof tree) => nodes.forEach((n) => (names.push(n.name), walk(n.children)))
    walk(tree)
    expect(names.sort()).toEqual(['a', 'b', 'orphan'])
  })
})

describe('topicWithDescendants', () => {
  it('includes every level below', () => {
    expect([...topicWithDescendants(topics, 1)].sort()).toEqual([1, 8, 9])
    expect([...topicWithDescendants(topics, 2)]).toEqual([2])
  })
})

describe('topicPath', () => {
  it('joins the names from the top, in the UI language', () => {
    expect(topicPath(topics, 9)).toBe('全业务网络知识 / IP与宽带 / 光接入')
    expect(topicPath(topics, 8, 'en')).toBe('Full-service networking / IP and broadband')
    // No English name: the Chinese one stands in.
    expect(topicPath(topics, 9, 'en')).toBe('Full-service networking / IP and broadband / 光接入')
    expect(topicPath(topics, 404)).toBe('')
  })
})
