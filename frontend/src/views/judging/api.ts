// The judge's endpoints of the practical round: their stations, one contestant's
// sheet, saving marks and signing off.
import { http } from '@/api/client'
import type { JudgeSheet, JudgingStation, Page } from '@/api/types'

export const judgingApi = {
  stations: async () => (await http.get<Page<JudgingStation>>('/judging')).items ?? [],
  sheet: (stageId: number, userId: number) =>
    http.get<JudgeSheet>(`/judging/stages/${stageId}/contestants/${userId}/marks`),
  save: (stageId: number, userId: number, marks: { criterion_id: number; points: string; comment?: string }[]) =>
    http.put<JudgeSheet>(`/judging/stages/${stageId}/contestants/${userId}/marks`, { marks }),
  signOff: (stageId: number, userId: number) =>
    http.post<JudgeSheet>(`/judging/stages/${stageId}/contestants/${userId}/sign-off`),
}
