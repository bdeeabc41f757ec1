// The org tree, built in the browser from the flat list the API answers.
import type { OrgUnit } from '@/api/types'

/** An org unit with the units directly below it. */
export interface OrgNode extends OrgUnit {
  children: OrgNode[]
}

/**
 * Builds the tree of units from a flat list, keeping the list's order among siblings.
 * A unit whose parent is not in the list (it is outside the caller's view) is a root,
 * so a county organiser sees their county at the top.
 */
export function buildOrgTree(units: readonly OrgUnit[]): OrgNode[] {
  const nodes = new Map<number, OrgNode>()
  for (const unit of units) nodes.set(unit.id, { ...unit, children: [] })

  const roots: OrgNode[] = []
  for (const unit of units) {
    const node = nodes.get(unit.id)!
    const parent = unit.parent_id === null ? undefined : nodes.get(unit.parent_id)
    if (parent && parent !== node && !isAncestor(node, parent)) parent.children.push(node)
    else roots.push(node)
  }
  return roots
}

// A bad list could make a unit its own ancestor; such a unit becomes a root instead of vanishing.
function isAncestor(candidate: OrgNode, of: OrgNode): boolean {
  const stack = [...candidate.children]
  while (stack.length > 0) {
    const next = stack.pop()!
    if (next === of) return true
    stack.push(...next.children)
  }
  return false
}

/** Every unit in the tree, depth first. */
export function flattenTree(nodes: readonly OrgNode[]): OrgNode[] {
  return nodes.flatMap((node) => [node, ...flattenTree(node.children)])
}

/** The ids of the units at the top two levels, which the tree shows expanded at first. */
export function defaultExpandedIds(nodes: readonly OrgNode[], levels = 2): number[] {
  if (levels <= 0) return []
  return nodes.flatMap((node) => [node.id, ...defaultExpandedIds(node.children, levels - 1)])
}
