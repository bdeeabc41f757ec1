// The topic tree, built in the browser from the flat list the API answers.
import type { Topic } from '@/api/types'

/** A topic with the topics directly below it. */
export interface TopicNode extends Topic {
  children: TopicNode[]
}

/**
 * Builds the tree from a flat list, keeping the list's order among siblings. A topic
 * whose parent is missing becomes a root; a cycle cannot lose topics.
 */
export function buildTopicTree(topics: readonly Topic[]): TopicNode[] {
  const nodes = new Map<number, TopicNode>()
  for (const topic of topics) nodes.set(topic.id, { ...topic, children: [] })
  const roots: TopicNode[] = []
  for (const topic of topics) {
    const node = nodes.get(topic.id)!
    const parent = topic.parent_id === null ? undefined : nodes.get(topic.parent_id)
    if (parent && parent !== node && !contains(node, parent)) parent.children.push(node)
    else roots.push(node)
  }
  return roots
}

function contains(root: TopicNode, target: TopicNode): boolean {
  const stack = [...root.children]
  while (stack.length > 0) {
    const next = stack.pop()!
    if (next === target) return true
    stack.push(...next.children)
  }
  return false
}

/** The topic and every topic below it. */
export function topicWithDescendants(topics: readonly Topic[], id: number): Set<number> {
  const out = new Set<number>([id])
  let grew = true
  while (grew) {
    grew = false
    for (const t of topics) {
      if (t.parent_id !== null && out.has(t.parent_id) && !out.has(t.id)) {
        out.add(t.id)
        grew = true
      }
    }
  }
  return out
}

/** A topic's display name in a language: the English name when asked for and present. */
export function topicName(topic: Pick<Topic, 'name' | 'name_en'>, locale: string): string {
  return locale === 'en' && topic.name_en ? topic.name_en : topic.name
}

/** The names from the top down to a topic, joined by " / ". */
export function topicPath(topics: readonly Topic[], id: number, locale = 'zh-CN'): string {
  const byId = new Map(topics.map((t) => [t.id, t]))
  const names: string[] = []
  const seen = new Set<number>()
  for (let t = byId.get(id); t && !seen.has(t.id); t = t.parent_id === null ? undefined : byId.get(t.parent_id)) {
    seen.add(t.id)
    names.unshift(topicName(t, locale))
  }
  return names.join(' / ')
}
