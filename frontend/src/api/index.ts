// One function per API endpoint the app uses.
import { apiUrl, http, request } from './client'
import type {
  AuditEntry,
  AuditVerify,
  Grant,
  ImportResult,
  Me,
  OrgUnit,
  Page,
  Role,
  User,
  UserCreate,
  UserPatch,
} from './types'

export { ApiError, configureApi } from './client'
export type * from './types'

/** Paging parameters of list endpoints. */
export interface PageQuery {
  page?: number
  page_size?: number
}

export const authApi = {
  login: (username: string, password: string) =>
    http.post<{ user: Me }>('/auth/login', { username, password }),
  logout: () => http.post<void>('/auth/logout'),
}

export const meApi = {
  /** The signed-in user; `probe` skips the sign-in redirect for the check made at start. */
  get: (probe = false) => http.get<Me>('/me', undefined, { skipAuthRedirect: probe }),
  changePassword: (old_password: string, new_password: string) =>
    http.post<void>('/me/password', { old_password, new_password }),
}

export const orgUnitsApi = {
  /** Every unit the caller may see, following the pages if the server pages the list. */
  list: async (): Promise<OrgUnit[]> => {
    const first = await http.get<Page<OrgUnit>>('/org-units')
    const items = [...first.items]
    const pageSize = first.items.length
    for (let page = 2; pageSize > 0 && items.length < first.total; page++) {
      const next = await http.get<Page<OrgUnit>>('/org-units', { page, page_size: pageSize })
      if (next.items.length === 0) break
      items.push(...next.items)
    }
    return items
  },
  create: (body: { parent_id: number | null; name: string; code: string }) =>
    http.post<OrgUnit>('/org-units', body),
  update: (id: number, body: { name?: string; code?: string }) =>
    http.patch<OrgUnit>(`/org-units/${id}`, body),
  remove: (id: number) => http.delete(`/org-units/${id}`),
}

/** Filters of the user list. */
export interface UserQuery extends PageQuery {
  org_unit_id?: number | null
  q?: string
  active?: boolean | null
}

export const usersApi = {
  list: (query: UserQuery) => http.get<Page<User>>('/users', { ...query }),
  get: (id: number) => http.get<User>(`/users/${id}`),
  create: (body: UserCreate) => http.post<User>('/users', body),
  update: (id: number, body: UserPatch) => http.patch<User>(`/users/${id}`, body),
  setPassword: (id: number, new_password: string) =>
    http.post<void>(`/users/${id}/password`, { new_password }),
  /** The address of the import template (an xlsx download). */
  templateUrl: () => apiUrl('/users/import/template'),
  import: (file: File, dryRun: boolean) => {
    const form = new FormData()
    form.append('file', file)
    return request<ImportResult>('POST', '/users/import', { query: { dry_run: dryRun }, form })
  },
}

/** Filters of the grant list. */
export interface GrantQuery extends PageQuery {
  org_unit_id?: number | null
  user_id?: number | null
  q?: string
}

export const grantsApi = {
  list: (query: GrantQuery) => http.get<Page<Grant>>('/grants', { ...query }),
  create: (body: { user_id: number; role: Role; org_unit_id: number }) =>
    http.post<Grant>('/grants', body),
  remove: (id: number) => http.delete(`/grants/${id}`),
}

/** Filters of the audit trail. */
export interface AuditQuery extends PageQuery {
  action?: string
  actor?: string
  object_type?: string
}

export const auditApi = {
  list: (query: AuditQuery) => http.get<Page<AuditEntry>>('/audit', { ...query }),
  verify: () => http.get<AuditVerify>('/audit/verify'),
}
