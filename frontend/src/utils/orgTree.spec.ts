import { describe, expect, it } from 'vitest'
import type { OrgUnit } from '@/api/types'
import { buildOrgTree, defaultExpandedIds, flattenTree } from './orgTree'

function unit(id: number, parent_id: number | null, code: string, depth = 0): OrgUnit {
  return { id, parent_id, name: `Unit ${code}`, code, depth, user_count: 0 }
}

describe('buildOrgTree', () => {
  it('nests units under their parents and keeps sibling order', () => {
    const tree = buildOrgTree([
      unit(1, null, 'PROV'),
      unit(2, 1, 'R1', 1),
      unit(3, 1, 'R2', 1),
      unit(4, 2, 'C1', 2),
      unit(5, 2, 'C2', 2),
      unit(7, 3, 'C4', 2),
    ])
    expect(tree.map((n) => n.code)).toEqual(['PROV'])
    expect(tree[0]!.children.map((n) => n.code)).toEqual(['R1', 'R2'])
    expect(tree[0]!.children[0]!.children.map((n) => n.code)).toEqual(['C1', 'C2'])
    expect(tree[0]!.children[1]!.children.map((n) => n.code)).toEqual(['C4'])
    expect(tree[0]!.children[0]!.children[0]!.children).toEqual([])
  })

  it('places children listed before their parent correctly', () => {
    const tree = buildOrgTree([unit(4, 2, 'C1', 2), unit(2, 1, 'R1', 1), unit(1, null, 'PROV')])
    expect(tree).toHaveLength(1)
    expect(tree[0]!.code).toBe('PROV')
    expect(tree[0]!.children[0]!.children[0]!.code).toBe('C1')
  })

  it('makes a unit whose parent is not visible a root', () => {
    // A county organiser sees only their county and what is below it.
    const tree = buildOrgTree([unit(4, 2, 'C1', 2), unit(10, 4, 'C1-A', 3), unit(11, 4, 'C1-B', 3)])
    expect(tree.map((n) => n.code)).toEqual(['C1'])
    expect(tree[0]!.children.map((n) => n.code)).toEqual(['C1-A', 'C1-B'])
  })

  it('gives several roots when the caller sees unrelated subtrees', () => {
    const tree = buildOrgTree([unit(4, 2, 'C1', 2), unit(7, 3, 'C4', 2)])
    expect(tree.map((n) => n.code)).toEqual(['C1', 'C4'])
  })

  it('does not lose units that form a cycle', () => {
    const tree = buildOrgTree([unit(1, 2, 'A'), unit(2, 1, 'B')])
    expect(flattenTree(tree).map((n) => n.code).sort()).toEqual(['A', 'B'])
  })

  it('answers an empty tree for an empty list', () => {
    expect(buildOrgTree([])).toEqual([])
  })

  it('does not change the units it was given', () => {
    const input = [unit(1, null, 'PROV'), unit(2, 1, 'R1', 1)]
    buildOrgTree(input)
    expect(input[0]).not.toHaveProperty('children')
  })
})

describe('flattenTree and defaultExpandedIds', () => {
  const tree = buildOrgTree([
    unit(1, null, 'PROV'),
    unit(2, 1, 'R1', 1),
    unit(4, 2, 'C1', 2),
    unit(3, 1, 'R2', 1),
  ])

  it('lists units depth first', () => {
    expect(flattenTree(tree).map((n) => n.code)).toEqual(['PROV', 'R1', 'C1', 'R2'])
  })

  it('expands the top two levels', () => {
    expect(defaultExpandedIds(tree)).toEqual([1, 2, 3])
  })
})
