// The appeals endpoints: a contestant files and lists their own; the stage's organisers
// list them, assign a re-mark and record the outcome (server/openapi.yaml, tag appeals).
import { grantsApi } from '@/api'
import { http } from '@/api/client'
import type { Appeal, AppealOutcome, Page } from '@/api/types'

function items<T>(body: Page<T> | T[] | null | undefined): T[] {
  if (Array.isArray(body)) return body
  return body?.items ?? []
}

export const appealsApi = {
  file: (stageId: number, reason: string) => http.post<Appeal>(`/stages/${stageId}/appeals`, { reason }),
  mine: async () => items(await http.get<Page<Appeal>>('/me/appeals')),
  /** The stages whose published results hold the caller, with the appeal window. */
  myResults: async () => items(await http.get<Page<{ stage_id: number; appeal_until: string | null }>>('/me/results')),
  ofStage: async (stageId: number) => items(await http.get<Page<Appeal>>(`/stages/${stageId}/appeals`)),
  get: (id: number) => http.get<Appeal>(`/appeals/${id}`),
  assign: (id: number, assigneeId: number, note: string) =>
    http.post<Appeal>(`/appeals/${id}/assignment`, { assignee_id: assigneeId, note }),
  resolve: (id: number, outcome: AppealOutcome, note: string) => http.post<Appeal>(`/appeals/${id}/outcome`, { outcome, note }),
}

/** A judge who can re-mark. */
export interface JudgeOption {
  id: number
  username: string
  name: string
}

/** The judges the caller can see (their judge grants), once each, by username. */
export async function judgeOptions(): Promise<JudgeOption[]> {
  const page = await grantsApi.list({ page: 1, page_size: 500 })
  const byId = new Map<number, JudgeOption>()
  for (const g of page.items) {
    if (g.role === 'judge' && !byId.has(g.user_id)) byId.set(g.user_id, { id: g.user_id, username: g.username, name: g.user_name })
  }
  return [...byId.values()].sort((a, b) => a.username.localeCompare(b.username))
}

/** Stages the contestant has looked at (public results), remembered in this browser. */
const SEEN_KEY = 'skillarena.resultStages'

export function seenStages(): number[] {
  try {
    const v = JSON.parse(localStorage.getItem(SEEN_KEY) ?? '[]') as unknown
    return Array.isArray(v) ? v.filter((x): x is number => Number.isInteger(x) && x > 0) : []
  } catch {
    return []
  }
}

export function rememberStage(id: number): void {
  try {
    const list = [id, ...seenStages().filter((x) => x !== id)].slice(0, 20)
    localStorage.setItem(SEEN_KEY, JSON.stringify(list))
  } catch {
    // Private browsing: nothing remembered.
  }
}
