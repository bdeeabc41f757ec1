// The exam set-up and invigilation endpoints the organiser and invigilator pages use
// (contract: /api/v1/blueprints, /api/v1/exams/{id}/..., see server/openapi.yaml).
import { apiUrl, http } from '@/api/client'
import type {
  AdminExam,
  AdminExamCreate,
  AdminExamDetail,
  AdminExamUpdate,
  Blueprint,
  BlueprintCreate,
  BlueprintUpdate,
  ExamEnrolment,
  ExamMessage,
  ExamPreview,
  MonitorSnapshot,
  Page,
} from '@/api/types'

/** The items of a list answer (`{"items":[...]}`; a bare array is read too). */
function itemsOf<T>(body: Page<T> | T[] | null | undefined): T[] {
  if (Array.isArray(body)) return body
  return body?.items ?? []
}

export const blueprintsApi = {
  /**
   * The caller's units' blueprints or, given the unit of an exam, exactly those the
   * server accepts for an exam of that unit (those above it included).
   */
  list: async (usableForUnit?: number) =>
    itemsOf(await http.get<Page<Blueprint>>('/blueprints', usableForUnit ? { usable_for_unit: usableForUnit } : undefined)),
  get: (id: number) => http.get<Blueprint>(`/blueprints/${id}`),
  create: (body: BlueprintCreate) => http.post<Blueprint>('/blueprints', body),
  update: (id: number, body: BlueprintUpdate) => http.patch<Blueprint>(`/blueprints/${id}`, body),
  remove: (id: number) => http.delete(`/blueprints/${id}`),
}

export const examAdminApi = {
  /** Every exam the caller may see; the pages keep the `manageable` ones. */
  list: async () => itemsOf(await http.get<Page<AdminExam>>('/exams')),
  get: (id: number) => http.get<AdminExamDetail>(`/exams/${id}`),
  create: (body: AdminExamCreate) => http.post<AdminExamDetail>('/exams', body),
  update: (id: number, body: AdminExamUpdate) => http.patch<AdminExamDetail>(`/exams/${id}`, body),
  remove: (id: number) => http.delete(`/exams/${id}`),
  enrolments: async (id: number) => itemsOf(await http.get<Page<ExamEnrolment>>(`/exams/${id}/enrolments`)),
  enrol: (id: number, userIds: number[]) => http.post<void>(`/exams/${id}/enrolments`, { user_ids: userIds }),
  preparePapers: (id: number) => http.post<{ prepared: number }>(`/exams/${id}/papers`),
  preview: (id: number) => http.get<ExamPreview>(`/exams/${id}/preview`),
}

export const invigilationApi = {
  monitor: (id: number) => http.get<MonitorSnapshot>(`/exams/${id}/monitor`),
  /** The address of the live feed (text/event-stream, event "snapshot"). */
  streamUrl: (id: number) => apiUrl(`/exams/${id}/monitor/stream`),
  extraTime: (id: number, userIds: number[], minutes: number, reason: string) =>
    http.post<void>(`/exams/${id}/extra-time`, { user_ids: userIds, minutes, reason }),
  forceSubmit: (id: number, userIds: number[], reason: string) =>
    http.post<{ submitted: number }>(`/exams/${id}/force-submit`, { user_ids: userIds, reason }),
  unlock: (id: number, userId: number, reason: string) =>
    http.post<void>(`/exams/${id}/unlock`, { user_id: userId, reason }),
  message: (id: number, text: string) => http.post<ExamMessage>(`/exams/${id}/messages`, { text }),
}
