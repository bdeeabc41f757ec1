// The marking endpoints: the organiser's marker assignments and progress, the judge's
// queue and anonymous answers, and the chief judge's adjudications.
import { http } from '@/api/client'
import type {
  Adjudication,
  ExamMarker,
  MarkerRole,
  MarkingAnswers,
  MarkingProgress,
  MarkingQueueExam,
  Page,
  SavedAdjudication,
  SavedMark,
} from '@/api/types'

function itemsOf<T>(body: Page<T> | T[] | null | undefined): T[] {
  if (Array.isArray(body)) return body
  return body?.items ?? []
}

export const markersApi = {
  list: async (examId: number) => itemsOf(await http.get<Page<ExamMarker>>(`/exams/${examId}/markers`)),
  assign: (examId: number, userId: number, role: MarkerRole) =>
    http.post<ExamMarker>(`/exams/${examId}/markers`, { user_id: userId, role }),
  remove: (examId: number, userId: number) => http.delete(`/exams/${examId}/markers/${userId}`),
  progress: (examId: number) => http.get<MarkingProgress>(`/exams/${examId}/marking`),
}

/** Which adjudications to list: awaiting the chief, or adjudicated already. */
export type AdjudicationStatus = 'pending' | 'adjudicated'

/** Which answers to list: those the judge may still mark, or those they marked. */
export type AnswerStatus = 'pending' | 'marked'

export const markingApi = {
  queue: async () => itemsOf(await http.get<Page<MarkingQueueExam>>('/marking/queue')),
  answers: (examId: number, questionId: number, query: { version_id?: number | null; status: AnswerStatus; limit?: number }) =>
    http.get<MarkingAnswers>(`/marking/exams/${examId}/questions/${questionId}/answers`, { ...query }),
  mark: (ref: string, points: string, comment: string) =>
    http.put<SavedMark>(`/marking/answers/${encodeURIComponent(ref)}`, { points, comment }),
  /** The answers awaiting the chief, or (`adjudicated`) those adjudicated already. */
  adjudications: async (examId?: number | null, status: AdjudicationStatus = 'pending') =>
    itemsOf(await http.get<Page<Adjudication>>('/marking/adjudications', { exam_id: examId ?? undefined, status })),
  /** The chief's mark; correcting one given already needs a reason. */
  adjudicate: (ref: string, points: string, comment: string, reason?: string) =>
    http.put<SavedAdjudication>(`/marking/adjudications/${encodeURIComponent(ref)}`, { points, comment, ...(reason ? { reason } : {}) }),
}
