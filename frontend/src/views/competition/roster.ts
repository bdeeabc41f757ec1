// A team's roster as its organiser enters it: up to the stage's roster size of written
// contestants, each once, and one nominee for the practical (who may be one of them).
// The one roster of a stage of individuals has no nominee and no size: everyone
// entered sits the written exam and does the practical.

/** Why a roster cannot be sent yet. */
export type RosterProblem = 'tooMany' | 'duplicate' | 'nomineeRequired'

/** `teams` is false for the roster of a stage of individuals. */
export function rosterProblems(written: readonly number[], nominee: number | null, size: number, teams = true): RosterProblem[] {
  const out: RosterProblem[] = []
  if (teams && written.length > size) out.push('tooMany')
  if (new Set(written).size !== written.length) out.push('duplicate')
  if (teams && nominee === null) out.push('nomineeRequired')
  return out
}

/** How far a team's roster is: nothing entered, some, or the full written roster and a nominee. */
export type RosterState = 'empty' | 'partial' | 'complete'

export function rosterState(written: number, hasNominee: boolean, size: number, teams = true): RosterState {
  if (written === 0 && !hasNominee) return 'empty'
  if (!teams) return 'complete'
  return written >= size && hasNominee ? 'complete' : 'partial'
}

/** Whether the roster deadline has passed for a team organiser (none: never). */
export function deadlinePassed(deadline: string | null, now: number = Date.now()): boolean {
  if (!deadline) return false
  const at = Date.parse(deadline)
  return !Number.isNaN(at) && at <= now
}

/** Who can come in for `out` in a slot: the unit's people not on the roster in that slot already. */
export function substituteCandidates<T extends { id: number }>(people: readonly T[], onSlot: readonly number[]): T[] {
  const taken = new Set(onSlot)
  return people.filter((p) => !taken.has(p.id))
}
