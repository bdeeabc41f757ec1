// The contestant's exam endpoints: my exams, attempts, answers, heartbeat, submit, result.
import { http } from '@/api/client'
import type {
  AnswerSaved,
  AttemptResult,
  ExamAttempt,
  HeartbeatReply,
  MyExam,
  Page,
} from '@/api/types'

/** What a heartbeat reports: focus losses since the last acknowledged beat and whether the page is visible. */
export interface HeartbeatReport {
  focus_lost: number
  visible: boolean
}

export const contestantApi = {
  /** The exams the caller is enrolled in; `open`: only those they can start or resume now. */
  exams: async (open: boolean): Promise<MyExam[]> => {
    const body = await http.get<Page<MyExam>>('/exams', open ? { open: true } : undefined)
    return (body?.items ?? []).filter((e) => e.enrolled !== false)
  },
  /** Starts an attempt, or answers the one in progress. */
  start: (examId: number) => http.post<ExamAttempt>(`/exams/${examId}/attempts`),
  attempt: (id: number) => http.get<ExamAttempt>(`/attempts/${id}`),
  save: (id: number, itemId: number, response: unknown, seq: number) =>
    http.put<AnswerSaved>(`/attempts/${id}/answers/${itemId}`, { response, seq }),
  heartbeat: (id: number, report: HeartbeatReport) => http.post<HeartbeatReply>(`/attempts/${id}/heartbeat`, report),
  submit: (id: number) => http.post<ExamAttempt>(`/attempts/${id}/submit`),
  result: (id: number) => http.get<AttemptResult>(`/attempts/${id}/result`),
}
