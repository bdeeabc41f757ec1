// The competition endpoints the organiser pages use: competitions and stages, rosters,
// the stage's written exam, the practical draw, and the practical round's set-up and
// discrepancies (contract: /api/v1/stages/..., /api/v1/stations/..., see server/openapi.yaml).
import { http } from '@/api/client'
import type {
  AdminExamDetail,
  Competition,
  Draw,
  Page,
  PracticalDiscrepancy,
  PracticalMark,
  PracticalResult,
  PracticalStation,
  PracticalTask,
  PracticalTaskCreate,
  PublicDraw,
  Roster,
  RosterSubstitution,
  Stage,
  StageCreate,
  StageUpdate,
  StageWrittenExamCreate,
} from '@/api/types'

/** The items of a list answer (`{"items":[...]}`; a bare array is read too). */
function itemsOf<T>(body: Page<T> | T[] | null | undefined): T[] {
  if (Array.isArray(body)) return body
  return body?.items ?? []
}

export const competitionsApi = {
  list: async () => itemsOf(await http.get<Page<Competition>>('/competitions')),
  create: (body: { org_unit_id: number; name: string; year: number }) => http.post<Competition>('/competitions', body),
}

export const stagesApi = {
  list: async () => itemsOf(await http.get<Page<Stage>>('/stages')),
  get: (id: number) => http.get<Stage>(`/stages/${id}`),
  create: (body: StageCreate) => http.post<Stage>('/stages', body),
  /** The stage organiser changes a stage; a fixed setting answers 409 at `settings.<name>`. */
  update: (id: number, body: StageUpdate) => http.patch<Stage>(`/stages/${id}`, body),
  rosters: async (id: number) => itemsOf(await http.get<Page<Roster>>(`/stages/${id}/rosters`)),
  /** `nominee` is null for the roster of a stage of individuals, which has none. */
  setRoster: (id: number, teamId: number, written: number[], nominee: number | null) =>
    http.put<void>(`/stages/${id}/rosters/${teamId}`, nominee === null ? { written } : { written, nominee }),
  lockRosters: (id: number) => http.post<void>(`/stages/${id}/rosters/lock`),
  substitute: (id: number, teamId: number, body: RosterSubstitution) =>
    http.post<void>(`/stages/${id}/rosters/${teamId}/substitutions`, body),
  createWrittenExam: (id: number, body: StageWrittenExamCreate) =>
    http.post<AdminExamDetail>(`/stages/${id}/written-exam`, body),
}

export const drawsApi = {
  list: async (stageId: number) => itemsOf(await http.get<Page<Draw>>(`/stages/${stageId}/draws`)),
  /** Commits to a secret seed; a redraw (after a performed draw) needs a reason. */
  commit: (stageId: number, reason = '') => http.post<Draw>(`/stages/${stageId}/draws/commit`, { reason }),
  perform: (stageId: number, entropy: string) => http.post<Draw>(`/stages/${stageId}/draws/perform`, { entropy }),
  /** Without sign-in: everything needed to re-run the draw. */
  public: (stageId: number) => http.get<PublicDraw>(`/public/stages/${stageId}/draw`, undefined, { skipAuthRedirect: true }),
}

export const practicalApi = {
  tasks: async (stageId: number) => itemsOf(await http.get<Page<PracticalTask>>(`/stages/${stageId}/tasks`)),
  createTask: (stageId: number, body: PracticalTaskCreate) => http.post<PracticalTask>(`/stages/${stageId}/tasks`, body),
  stations: async (stageId: number) => itemsOf(await http.get<Page<PracticalStation>>(`/stages/${stageId}/stations`)),
  createStation: (stageId: number, name: string, taskId: number) =>
    http.post<PracticalStation>(`/stages/${stageId}/stations`, { name, task_id: taskId }),
  setJudges: (stationId: number, judgeIds: number[], chiefId: number | null) =>
    http.put<PracticalStation>(`/stations/${stationId}/judges`, { judge_ids: judgeIds, chief_id: chiefId }),
  setContestants: (stationId: number, userIds: number[]) =>
    http.put<PracticalStation>(`/stations/${stationId}/contestants`, { user_ids: userIds }),
  results: async (stageId: number) => itemsOf(await http.get<Page<PracticalResult>>(`/stages/${stageId}/practical`)),
  result: (stageId: number, userId: number) => http.get<PracticalResult>(`/stages/${stageId}/practical/${userId}`),
  discrepancies: async (stageId: number) =>
    itemsOf(await http.get<Page<PracticalDiscrepancy>>(`/stages/${stageId}/discrepancies`)),
  accept: (stageId: number, contestantId: number, note: string) =>
    http.post<PracticalResult>(`/stages/${stageId}/discrepancies/${contestantId}/resolve`, { action: 'accept', note }),
  remark: (stageId: number, contestantId: number, judgeId: number, note: string) =>
    http.post<PracticalResult>(`/stages/${stageId}/discrepancies/${contestantId}/resolve`, {
      action: 'remark',
      note,
      judge_id: judgeId,
    }),
  /** The chief judge corrects a signed-off mark, with a reason. */
  correct: (stageId: number, markId: number, points: string, reason: string) =>
    http.post<PracticalMark>(`/stages/${stageId}/marks/${markId}/correct`, { points, reason }),
}
