// What the navigation offers, depending on the roles the signed-in user holds.
import type { MeGrant, Role } from '@/api/types'

/** A page in the navigation. */
export interface NavItem {
  /** The route name. */
  name: string
  path: string
  /** i18n key of the title; `navDesc.<name>` words its card on the home page. */
  titleKey: string
  descKey: string
  /** Element Plus icon name. */
  icon: string
  /** The roles of which the user needs one to see the page; empty means everyone. */
  roles: readonly Role[]
}

/** Every page of the navigation, in menu order. */
export const NAV_ITEMS: readonly NavItem[] = [
  { name: 'home', path: '/', titleKey: 'nav.home', descKey: 'navDesc.home', icon: 'HomeFilled', roles: [] },
  { name: 'my-exams', path: '/my-exams', titleKey: 'nav.myExams', descKey: 'navDesc.myExams', icon: 'EditPen', roles: ['contestant'] },
  { name: 'my-results', path: '/my-results', titleKey: 'appeal.navTitle', descKey: 'appeal.navDesc', icon: 'Trophy', roles: ['contestant'] },
  { name: 'banks', path: '/banks', titleKey: 'nav.banks', descKey: 'navDesc.banks', icon: 'Collection', roles: ['author', 'organiser'] },
  { name: 'review', path: '/review', titleKey: 'nav.review', descKey: 'navDesc.review', icon: 'Stamp', roles: ['author'] },
  { name: 'exam-admin', path: '/exam-admin', titleKey: 'examAdmin.title', descKey: 'examAdmin.navDesc', icon: 'Tickets', roles: ['organiser'] },
  { name: 'invigilation', path: '/invigilation', titleKey: 'invigilation.title', descKey: 'invigilation.navDesc', icon: 'Monitor', roles: ['invigilator'] },
  { name: 'marking', path: '/marking', titleKey: 'marking.queueTitle', descKey: 'marking.navDesc', icon: 'Checked', roles: ['judge'] },
  { name: 'competition', path: '/competition', titleKey: 'competition.title', descKey: 'competition.navDesc', icon: 'Trophy', roles: ['organiser'] },
  { name: 'judging', path: '/judging', titleKey: 'judging.title', descKey: 'judging.navDesc', icon: 'Medal', roles: ['judge'] },
  { name: 'materials', path: '/materials', titleKey: 'nav.materials', descKey: 'navDesc.materials', icon: 'Reading', roles: [] },
  { name: 'topics', path: '/topics', titleKey: 'nav.topics', descKey: 'navDesc.topics', icon: 'Share', roles: ['organiser'] },
  { name: 'org-units', path: '/org-units', titleKey: 'nav.orgUnits', descKey: 'navDesc.orgUnits', icon: 'OfficeBuilding', roles: ['organiser'] },
  { name: 'users', path: '/users', titleKey: 'nav.users', descKey: 'navDesc.users', icon: 'User', roles: ['organiser'] },
  { name: 'grants', path: '/grants', titleKey: 'nav.grants', descKey: 'navDesc.grants', icon: 'Key', roles: ['organiser'] },
  { name: 'audit', path: '/audit', titleKey: 'nav.audit', descKey: 'navDesc.audit', icon: 'Document', roles: ['organiser'] },
  { name: 'password', path: '/password', titleKey: 'nav.password', descKey: 'navDesc.password', icon: 'Lock', roles: [] },
]

/** The distinct roles in a set of grants, whatever their unit. */
export function rolesOf(grants: readonly Pick<MeGrant, 'role'>[]): Set<Role> {
  return new Set(grants.map((g) => g.role))
}

/** Whether grants allow a page that needs one of `needed` (none needed: always). */
export function allows(grants: readonly Pick<MeGrant, 'role'>[], needed: readonly Role[] | undefined): boolean {
  if (!needed || needed.length === 0) return true
  const held = rolesOf(grants)
  return needed.some((role) => held.has(role))
}

/** The navigation entries a user with these grants may use, in menu order. */
export function navFor(grants: readonly Pick<MeGrant, 'role'>[]): NavItem[] {
  return NAV_ITEMS.filter((item) => allows(grants, item.roles))
}
