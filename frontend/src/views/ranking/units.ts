// The units a ranking can be filtered by: below the stage's unit, down to its teams (the
// regions and counties of a provincial final), or, for a stage of individuals, the two
// levels below it.
import type { OrgUnit } from '@/api/types'

/** The units strictly below `stageUnit` that hold a team (teams given) or lie at most `levels` below it. */
export function filterUnits(units: readonly OrgUnit[], stageUnit: number, teamIds: readonly number[], levels = 2): OrgUnit[] {
  const byId = new Map(units.map((u) => [u.id, u]))
  /** The chain from a unit up to (not including) the stage's unit; null when it is not below it. */
  const chain = (id: number): number[] | null => {
    const out: number[] = []
    let u = byId.get(id)
    const seen = new Set<number>()
    while (u && !seen.has(u.id)) {
      if (u.id === stageUnit) return out
      seen.add(u.id)
      out.push(u.id)
      u = u.parent_id === null ? undefined : byId.get(u.parent_id)
    }
    return null
  }
  const keep = new Set<number>()
  if (teamIds.length > 0) {
    for (const id of teamIds) for (const c of chain(id) ?? []) keep.add(c)
  } else {
    for (const u of units) {
      const c = chain(u.id)
      if (c && c.length >= 1 && c.length <= levels) keep.add(u.id)
    }
  }
  return units.filter((u) => keep.has(u.id))
}
