// What the banks can give each blueprint section, worked out in the browser from the
// counts of approved questions, so that an organiser sees a shortfall before saving.
// The server's trial draw stays the judge: this mirrors its rule (sections draw in
// order, a question taken by an earlier section is gone for later ones).
import type { BlueprintSection, QuestionCount, Topic } from '@/api/types'
import { topicWithDescendants } from '@/utils/topicTree'
import { formatHundredths, toHundredths } from './points'

/** How a section stands against the banks. */
export type SectionStatus = 'ok' | 'maybe' | 'short' | 'incomplete'

/** What the banks can give one section. */
export interface SectionAvailability {
  /** Approved questions matching the section (topic with subtopics, type, difficulty). */
  pool: number
  /** Questions left for it when earlier sections take as many as they can from the questions it shares with them. */
  worst: number
  /** Questions left for it when earlier sections take as few shared questions as they must. */
  best: number
  status: SectionStatus
  /** Earlier sections (0-based) drawing from some of the same questions. */
  sharedWith: number[]
}

type Bucket = string

function bucketKey(topicId: number, type: string, difficulty: number): Bucket {
  return `${topicId}|${type}|${difficulty}`
}

/** Adds up counts of several banks (each question is in one bank, so sums are exact). */
export function mergeCounts(lists: readonly (readonly QuestionCount[])[]): Map<Bucket, number> {
  const out = new Map<Bucket, number>()
  for (const list of lists) {
    for (const c of list) {
      const key = bucketKey(c.topic_id, c.type, c.difficulty)
      out.set(key, (out.get(key) ?? 0) + c.count)
    }
  }
  return out
}

function sectionComplete(s: BlueprintSection): boolean {
  return s.topic_id > 0 && !!s.type && Number.isInteger(s.count) && s.count >= 1
}

/** The buckets a section draws from, with their sizes. */
function sectionBuckets(section: BlueprintSection, counts: Map<Bucket, number>, topics: readonly Topic[]): Map<Bucket, number> {
  const out = new Map<Bucket, number>()
  if (!sectionComplete(section)) return out
  const subtree = topicWithDescendants(topics, section.topic_id)
  for (const [key, n] of counts) {
    const [topic, type, difficulty] = key.split('|')
    if (!subtree.has(Number(topic)) || type !== section.type) continue
    if (section.difficulty !== 0 && Number(difficulty) !== section.difficulty) continue
    out.set(key, n)
  }
  return out
}

function sum(map: Map<Bucket, number>): number {
  let n = 0
  for (const v of map.values()) n += v
  return n
}

function overlap(a: Map<Bucket, number>, b: Map<Bucket, number>): number {
  let n = 0
  for (const [key, v] of a) if (b.has(key)) n += v
  return n
}

/**
 * Each section's pool and what is left of it after the earlier sections. A section
 * is `short` when even the kindest draw leaves it too few questions, `maybe` when
 * some draws would (the server refuses an exam whose trial draw falls short, and
 * drawn papers could fall short for some contestants), `ok` otherwise.
 */
export function sectionAvailability(
  sections: readonly BlueprintSection[],
  counts: Map<Bucket, number>,
  topics: readonly Topic[],
): SectionAvailability[] {
  const buckets = sections.map((s) => sectionBuckets(s, counts, topics))
  return sections.map((section, s) => {
    const mine = buckets[s]!
    const pool = sum(mine)
    if (!sectionComplete(section)) return { pool, worst: pool, best: pool, status: 'incomplete', sharedWith: [] }
    let mostTaken = 0
    let leastTaken = 0
    const sharedWith: number[] = []
    for (let j = 0; j < s; j++) {
      const theirs = buckets[j]!
      const shared = overlap(theirs, mine)
      if (shared === 0) continue
      sharedWith.push(j)
      const takes = Math.min(sections[j]!.count, sum(theirs))
      mostTaken += Math.min(takes, shared)
      // What section j cannot find outside the shared questions, it must take from them.
      leastTaken += Math.max(0, takes - (sum(theirs) - shared))
    }
    const worst = Math.max(0, pool - mostTaken)
    const best = Math.max(0, pool - leastTaken)
    const status: SectionStatus = section.count > best ? 'short' : section.count > worst ? 'maybe' : 'ok'
    return { pool, worst, best, status, sharedWith }
  })
}

/** The number of items and the total points of a blueprint; points null while one is not a decimal. */
export function blueprintTotals(sections: readonly BlueprintSection[]): { items: number; points: string | null } {
  let items = 0
  let hundredths = 0
  let valid = true
  for (const s of sections) {
    const count = Number.isInteger(s.count) && s.count > 0 ? s.count : 0
    items += count
    const each = toHundredths(s.points_each)
    if (each === null) valid = false
    else hundredths += each * count
  }
  return { items, points: valid ? formatHundredths(hundredths) : null }
}

/** The per-section messages of a refused exam (fields `sections.N`, N from 0), by section index. */
export function sectionErrors(fields: Record<string, string>): Map<number, string> {
  const out = new Map<number, string>()
  for (const [key, message] of Object.entries(fields)) {
    const m = /^sections\.(\d+)$/.exec(key)
    if (m) out.set(Number(m[1]), message)
  }
  return out
}

/** What one short section has against what it wants. */
export interface Shortage {
  have: number
  want: number
}

/**
 * The short sections named in a refusal's message ("…: 1:论述题:2/40; 3:简答:0/5。"),
 * by index from 0, for servers that word the shortage without per-section fields.
 * Only entries whose section number exists are kept, so a title that happens to look
 * like one cannot point at a section that is not there.
 */
export function shortagesFromMessage(message: string, sectionCount: number): Map<number, Shortage> {
  const out = new Map<number, Shortage>()
  for (const m of message.matchAll(/(?:^|[\s:：;；(（])(\d{1,3}):[^;；]*?:(\d+)\/(\d+)(?=$|[;；。.）)\s])/g)) {
    const index = Number(m[1]) - 1
    const have = Number(m[2])
    const want = Number(m[3])
    if (index >= 0 && index < sectionCount && have < want) out.set(index, { have, want })
  }
  return out
}
