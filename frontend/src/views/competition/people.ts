// The people of a team's unit that can go on its roster, contestants first.
import { grantsApi, usersApi } from '@/api'

/** Someone of a unit, with whether they hold the contestant role there. */
export interface UnitPerson {
  id: number
  username: string
  name: string
  contestant: boolean
}

const cache = new Map<number, Promise<UnitPerson[]>>()

async function fetchUnitPeople(unitId: number): Promise<UnitPerson[]> {
  const [users, contestants] = await Promise.all([
    usersApi.list({ org_unit_id: unitId, active: true, page: 1, page_size: 500 }),
    grantsApi
      .list({ org_unit_id: unitId, page: 1, page_size: 500 })
      .then((page) => new Set(page.items.filter((g) => g.role === 'contestant').map((g) => g.user_id)))
      .catch(() => null),
  ])
  return users.items
    .map((u) => ({ id: u.id, username: u.username, name: u.name, contestant: contestants === null || contestants.has(u.id) }))
    .sort((a, b) => Number(b.contestant) - Number(a.contestant) || a.username.localeCompare(b.username))
}

/** The active users of a unit (loaded once per page visit), contestants first. */
export function unitPeople(unitId: number, fresh = false): Promise<UnitPerson[]> {
  if (fresh || !cache.has(unitId)) {
    const p = fetchUnitPeople(unitId)
    cache.set(unitId, p)
    p.catch(() => cache.delete(unitId))
  }
  return cache.get(unitId)!
}
