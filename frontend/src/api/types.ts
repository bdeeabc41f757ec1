// The shapes of the API's JSON, as in shared/API.md.

/** A role a grant gives, scoped to an org unit. */
export type Role = 'organiser' | 'author' | 'invigilator' | 'judge' | 'contestant'

/** Every role, in the order the UI lists them. */
export const ROLES: readonly Role[] = ['organiser', 'author', 'invigilator', 'judge', 'contestant']

/** A role held in a unit, as part of the signed-in user's profile. */
export interface MeGrant {
  id: number
  role: Role
  org_unit_id: number
  org_unit_name: string
}

/** The signed-in user. */
export interface Me {
  id: number
  username: string
  name: string
  org_unit_id: number
  org_unit_name: string
  grants: MeGrant[]
}

/** One page of a list. */
export interface Page<T> {
  items: T[]
  total: number
}

/** An org unit: province, region, county or below. */
export interface OrgUnit {
  id: number
  parent_id: number | null
  name: string
  code: string
  depth: number
  user_count: number
}

/** A user account. */
export interface User {
  id: number
  username: string
  name: string
  employee_no: string
  phone: string
  org_unit_id: number
  org_unit_name: string
  active: boolean
  created_at: string
  updated_at: string
}

/** The fields of a new user. */
export interface UserCreate {
  username: string
  name: string
  employee_no: string
  phone: string
  org_unit_id: number
  password: string
}

/** The fields of a user that can be changed; absent ones stay as they are. */
export interface UserPatch {
  name?: string
  employee_no?: string
  phone?: string
  org_unit_id?: number
  active?: boolean
}

/** One problem found in an import file. */
export interface ImportError {
  row: number
  /** The column as headed in the file (e.g. 用户名), when the server names it. */
  column?: string
  /** The column's field name (e.g. username). */
  field: string
  message: string
}

/** A row of an import file that would be (or was) imported. */
export interface ImportRow {
  row: number
  username: string
  name: string
  org_unit_code: string
}

/** An initial password the server generated during an import. */
export interface ImportPassword {
  username: string
  password: string
}

/** The outcome of a user import, dry run or real. */
export interface ImportResult {
  imported: number
  skipped: number
  errors: ImportError[]
  rows?: ImportRow[]
  passwords?: ImportPassword[]
}

/** A role given to a user in a unit. */
export interface Grant {
  id: number
  user_id: number
  username: string
  user_name: string
  role: Role
  org_unit_id: number
  org_unit_name: string
  created_at: string
}

/** One entry of the audit trail. */
export interface AuditEntry {
  id: number
  at: string
  actor_id: number | null
  actor_username: string
  ip: string
  action: string
  object_type: string
  object_id: number | string | null
  org_unit_id: number | null
  before: unknown
  after: unknown
  reason: string
  prev_hash: string
  hash: string
}

/** The result of checking the audit trail's hash chain. */
export interface AuditVerify {
  ok: boolean
  checked: number
  first_broken_id: number | null
  problem: string
}
