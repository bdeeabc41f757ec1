import { describe, expect, it } from 'vitest'
import type { OrgUnit } from '@/api/types'
import { filterUnits } from './units'

const u = (id: number, parent: number | null, depth: number): OrgUnit => ({ id, parent_id: parent, name: `u${id}`, code: `U${id}`, depth, user_count: 0 })
// Province 1; regions 2, 3; counties 4-6 under 2, 7-9 under 3; a team below county 4 (10) and a grid below 10 (11).
const units = [u(1, null, 0), u(2, 1, 1), u(3, 1, 1), u(4, 2, 2), u(5, 2, 2), u(6, 2, 2), u(7, 3, 2), u(8, 3, 2), u(9, 3, 2), u(10, 4, 3), u(11, 10, 4)]

describe('filterUnits', () => {
  it('offers the regions and counties that hold the teams, not the stage unit or anything below the teams', () => {
    expect(filterUnits(units, 1, [4, 5, 7]).map((x) => x.id)).toEqual([2, 3, 4, 5, 7])
  })

  it('offers two levels below the stage unit for a stage of individuals', () => {
    expect(filterUnits(units, 1, []).map((x) => x.id)).toEqual([2, 3, 4, 5, 6, 7, 8, 9])
    expect(filterUnits(units, 2, []).map((x) => x.id)).toEqual([4, 5, 6, 10])
  })

  it('ignores teams outside the stage unit', () => {
    expect(filterUnits(units, 2, [4, 7]).map((x) => x.id)).toEqual([4])
  })
})
