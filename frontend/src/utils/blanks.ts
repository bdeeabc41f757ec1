// Fill-in questions mark each gap in the stem with three or more underscores (___),
// as the server and the import template do.
import type { Blank } from '@/api/types'

/** A gap in a fill-in stem: three or more underscores. */
export const BLANK_MARKER = /_{3,}/g

/** The marker the editor inserts for a new gap. */
export const NEW_BLANK = '____'

/** How many gaps a stem marks. */
export function countBlanks(stem: string): number {
  return stem.match(BLANK_MARKER)?.length ?? 0
}

/** The stem cut at its gaps: always one part more than there are gaps. */
export function splitAtBlanks(stem: string): string[] {
  return stem.split(BLANK_MARKER)
}

/**
 * The blanks of a key resized to `count` gaps: existing ones keep their answers,
 * new ones start empty, extra ones are dropped.
 */
export function syncBlanks(blanks: readonly Blank[], count: number): Blank[] {
  const out: Blank[] = []
  for (let i = 0; i < count; i++) out.push(blanks[i] ? { accepted: [...blanks[i]!.accepted] } : { accepted: [] })
  return out
}
