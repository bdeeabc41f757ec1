// The rankings endpoints: the draft and published rankings, publication and versions,
// exports, the public results and live board, and the selection (contract:
// server/openapi.yaml, tags rankings and selection).
import { apiUrl, http } from '@/api/client'
import type {
  Page,
  PracticalResult,
  Publication,
  PublicationRequest,
  Ranking,
  RankingIndividualRow,
  RankingKind,
  RankingTeamRow,
  Selection,
  SelectionChoice,
  SelectionRow,
  SelectionRule,
  Stage,
} from '@/api/types'

/** What ranking to read: a kind, a published version (none: the draft or the latest), a unit's subtree. */
export interface RankingQuery {
  kind: RankingKind
  version?: number | null
  unit_id?: number | null
}

export type TeamRanking = Ranking<RankingTeamRow>
export type IndividualRanking = Ranking<RankingIndividualRow>

function items<T>(body: Page<T> | T[] | null | undefined): T[] {
  if (Array.isArray(body)) return body
  return body?.items ?? []
}

export const rankingApi = {
  stage: (id: number) => http.get<Stage>(`/stages/${id}`),
  get: <R extends Ranking = Ranking>(stageId: number, q: RankingQuery) =>
    http.get<R>(`/stages/${stageId}/rankings`, { kind: q.kind, version: q.version, unit_id: q.unit_id }),
  versions: async (stageId: number) => items(await http.get<Page<Publication>>(`/stages/${stageId}/rankings/versions`)),
  publish: (stageId: number, body: PublicationRequest) => http.post<Publication>(`/stages/${stageId}/publications`, body),
  practical: (stageId: number, userId: number) => http.get<PracticalResult>(`/stages/${stageId}/practical/${userId}`),
}

/** Addresses of the exports (downloaded by the browser as attachments, with the session cookie). */
export const exportUrls = {
  ranking: (stageId: number, q: RankingQuery, format: 'xlsx' | 'pdf') =>
    apiUrl(`/stages/${stageId}/rankings/export`, { kind: q.kind, version: q.version, unit_id: q.unit_id, format }),
  scoreSheets: (stageId: number, version: number | null | undefined, format: 'xlsx' | 'pdf', teamId?: number | null) =>
    apiUrl(`/stages/${stageId}/score-sheets`, { version, format, team_id: teamId }),
  certificates: (stageId: number, kind: RankingKind, version: number | null | undefined, top: number) =>
    apiUrl(`/stages/${stageId}/certificates`, { kind, version, top, format: 'pdf' }),
}

export const publicApi = {
  /** Without sign-in: the latest published version. */
  results: <R extends Ranking = Ranking>(stageId: number, kind: RankingKind, unitId?: number | null) =>
    http.get<R & { competition: string }>(`/public/stages/${stageId}/results`, { kind, unit_id: unitId }, { skipAuthRedirect: true }),
  liveUrl: (stageId: number) => apiUrl(`/public/stages/${stageId}/live`),
}

export const selectionApi = {
  get: (stageId: number) => http.get<Selection>(`/stages/${stageId}/selection`),
  propose: (stageId: number, rule: SelectionRule, choices: SelectionChoice[]) =>
    http.put<Selection>(`/stages/${stageId}/selection`, { rule, choices }),
  confirm: (stageId: number) => http.post<Selection>(`/stages/${stageId}/selection/confirm`),
  candidates: async (stageId: number) => items(await http.get<Page<SelectionRow>>(`/stages/${stageId}/candidates`)),
  stages: async () => items(await http.get<Page<Stage>>('/stages')),
}
