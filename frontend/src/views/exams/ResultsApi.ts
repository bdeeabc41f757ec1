// The results endpoints the organiser's results, statistics and key-correction pages use
// (contract: server/openapi.yaml, tags `results` and `marking`).
import { http } from '@/api/client'
import type {
  ExamKeyCorrection,
  ExamRegradeRequest,
  ExamRegradeResult,
  ExamResult,
  ExamResultRow,
  ExamResultsRelease,
  ExamStatistics,
  Page,
} from '@/api/types'

export const examResultsApi = {
  /** One page of an exam's submitted attempts, best score first. */
  list: (examId: number, page: number, pageSize: number) =>
    http.get<Page<ExamResultRow>>(`/exams/${examId}/results`, { page, page_size: pageSize }),
  /** Any submitted attempt's result, with the contestant and the keys. */
  get: (examId: number, attemptId: number) => http.get<ExamResult>(`/exams/${examId}/results/${attemptId}`),
  /** Releases a `manual` exam's results to its contestants (audited with the reason). */
  release: (examId: number, reason: string) =>
    http.post<ExamResultsRelease>(`/exams/${examId}/results/release`, reason.trim() ? { reason: reason.trim() } : {}),
  statistics: (examId: number, bins?: number) => http.get<ExamStatistics>(`/exams/${examId}/statistics`, { bins }),
  keyCorrections: async (examId: number) =>
    (await http.get<Page<ExamKeyCorrection>>(`/exams/${examId}/key-corrections`))?.items ?? [],
  /** Stores a corrected key and regrades every submitted attempt holding the question. */
  regrade: (examId: number, body: ExamRegradeRequest) => http.post<ExamRegradeResult>(`/exams/${examId}/regrade`, body),
}
