// One function per API endpoint the app uses.
import { apiUrl, http, request, upload } from './client'
import type {
  Asset,
  AuditEntry,
  Bank,
  ExportFormat,
  AuditVerify,
  Grant,
  ImportFormat,
  ImportResult,
  Material,
  MaterialCreate,
  MaterialDetail,
  MaterialUpdate,
  Me,
  OrgUnit,
  Page,
  QuestionCount,
  QuestionCreate,
  QuestionDetail,
  QuestionEvent,
  QuestionImportResult,
  QuestionRow,
  QuestionStatus,
  QuestionType,
  QuestionUpdate,
  QuestionVersion,
  ReviewAction,
  Role,
  Topic,
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

/** The items of a list answer (`{"items":[...]}`; a bare array is read too). */
function itemsOf<T>(body: Page<T> | T[]): T[] {
  return Array.isArray(body) ? body : (body?.items ?? [])
}

/** Every item of a list endpoint, following the pages if the server pages it. */
async function listAll<T>(path: string, query: Record<string, string | number | null | undefined> = {}): Promise<T[]> {
  const first = await http.get<Page<T>>(path, query)
  const items = [...itemsOf(first)]
  const total = typeof first.total === 'number' ? first.total : items.length
  const pageSize = items.length
  for (let page = 2; pageSize > 0 && items.length < total; page++) {
    const next = itemsOf(await http.get<Page<T>>(path, { ...query, page, page_size: pageSize }))
    if (next.length === 0) break
    items.push(...next)
  }
  return items
}

export const topicsApi = {
  list: () => listAll<Topic>('/topics'),
  create: (body: { parent_id: number; name: string; name_en: string }) => http.post<Topic>('/topics', body),
  update: (id: number, body: { name: string; name_en: string }) => http.patch<Topic>(`/topics/${id}`, body),
}

export const banksApi = {
  list: () => listAll<Bank>('/banks'),
  create: (body: { org_unit_id: number; name: string; description: string }) => http.post<Bank>('/banks', body),
  update: (id: number, body: { name?: string; description?: string }) => http.patch<Bank>(`/banks/${id}`, body),
}

/** Filters of the question list (and of the export). */
export interface QuestionQuery extends PageQuery {
  bank_id?: number | null
  topic_id?: number | null
  type?: QuestionType | '' | null
  difficulty?: number | null
  status?: QuestionStatus | '' | null
  tag?: string
  q?: string
}

/** What to import and how. */
export interface QuestionImportOptions {
  format: ImportFormat
  bankId: number
  dryRun: boolean
  createTopics: boolean
  /** The fraction of the file sent so far (null: unknown). */
  onProgress?: (fraction: number | null) => void
  signal?: AbortSignal
}

export const questionsApi = {
  list: (query: QuestionQuery) => http.get<Page<QuestionRow>>('/questions', { ...query }),
  get: (id: number) => http.get<QuestionDetail>(`/questions/${id}`),
  create: (body: QuestionCreate) => http.post<QuestionDetail>('/questions', body),
  update: (id: number, body: QuestionUpdate) => http.put<QuestionDetail>(`/questions/${id}`, body),
  versions: async (id: number) => itemsOf(await http.get<Page<QuestionVersion>>(`/questions/${id}/versions`)),
  events: async (id: number) => itemsOf(await http.get<Page<QuestionEvent>>(`/questions/${id}/events`)),
  transition: (id: number, action: ReviewAction, comment = '') =>
    http.post<QuestionDetail>(`/questions/${id}/transitions`, { action, comment }),
  comment: (id: number, comment: string) => http.post<QuestionEvent>(`/questions/${id}/comments`, { comment }),
  counts: async (bankId?: number | null) =>
    itemsOf(await http.get<Page<QuestionCount>>('/questions/counts', { bank_id: bankId })),
  /** The address of the xlsx import template. */
  templateUrl: () => apiUrl('/questions/import/template'),
  /** The address that downloads the questions matching the filters in a format. */
  exportUrl: (format: ExportFormat, query: Omit<QuestionQuery, 'page' | 'page_size'>) =>
    apiUrl('/questions/export', { ...query, format }),
  import: (file: File, options: QuestionImportOptions) => {
    const form = new FormData()
    form.append('file', file)
    return upload<QuestionImportResult>('POST', '/questions/import', {
      query: {
        format: options.format,
        bank_id: options.bankId,
        dry_run: options.dryRun,
        create_topics: options.createTopics,
      },
      form,
      onProgress: options.onProgress,
      signal: options.signal,
    })
  },
}

export const assetsApi = {
  upload: (file: File) => {
    const form = new FormData()
    form.append('file', file)
    return request<Asset>('POST', '/assets', { form })
  },
}

export const materialsApi = {
  list: (topicId?: number | null) => listAll<Material>('/materials', { topic_id: topicId }),
  get: (id: number) => http.get<MaterialDetail>(`/materials/${id}`),
  create: (body: MaterialCreate) => http.post<MaterialDetail>('/materials', body),
  update: (id: number, body: MaterialUpdate) => http.put<MaterialDetail>(`/materials/${id}`, body),
}
