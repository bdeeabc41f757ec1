// Results of the demo competition (2026年全省客户维护服务劳动竞赛, stage 省决赛: written
// round marked, practical round partly marked, one discrepancy open), in order: admin
// opens the draft ranking and sees the pending figures; the remaining practical marks
// and sign-offs (judge1..judge5) and the discrepancy (admin) are finished through the
// API; admin publishes version 1; the public results page shows it to a visitor who is
// not signed in, with the live board; a contestant appeals their own result; admin sees
// the appeal, assigns a re-mark and records the outcome, and confirms a selection. This
// is the only spec that touches the demo stage.
import { expect, test, type APIRequestContext, type Locator, type Page } from '@playwright/test'
import { apiAs, chooseUnit, json, signIn } from './helpers'

const STAGE = '省决赛'
const COMPETITION = '2026年全省客户维护服务劳动竞赛'
// Not eng002: admin.spec.ts resets eng002's password. eng023 is on county 3's written roster.
const APPELLANT = 'eng023'
const REASON = `E2E 申诉：笔试简答题评分偏低，请复核 ${Date.now().toString(36)}`

interface Criterion {
  id: number
  kind: 'measurement' | 'judgement'
  max_points: string
  scale: string[]
}
interface JudgingStation {
  id: number
  stage_id: number
  task: { criteria: Criterion[] }
  contestants: { id: number; username: string; marked: number; signed_off: boolean }[]
}
interface TeamRow {
  rank: number
  team: { id: number; name: string }
  total: string
  pending: boolean
}
interface IndividualRow {
  rank: number
  contestant: { id: number; name: string }
  total: string
  pending: boolean
}
interface RankingBody<R> {
  pending: number
  published_version: number | null
  items: R[]
}

let stageId = 0
let admin: APIRequestContext | null = null

test.describe.configure({ mode: 'serial' })

test.afterAll(async () => {
  await admin?.dispose()
})

async function adminApi(baseURL: string): Promise<APIRequestContext> {
  admin ??= await apiAs(baseURL, 'admin')
  return admin
}

async function demoStage(baseURL: string): Promise<number> {
  if (stageId) return stageId
  const api = await adminApi(baseURL)
  const stages = await json<{ items: { id: number; name: string; competition_name?: string }[] }>(await api.get('/api/v1/stages'))
  const stage = stages.items.find((s) => s.name === STAGE && s.competition_name === COMPETITION)
  expect(stage, 'the demo stage').toBeTruthy()
  stageId = stage!.id
  return stageId
}

function inputOf(scope: Page | Locator, testId: string): Locator {
  return scope
    .locator(`input[data-testid="${testId}"], [data-testid="${testId}"] input, textarea[data-testid="${testId}"], [data-testid="${testId}"] textarea`)
    .first()
}

/** Every check mark in a ranking table says the row recomputes to what it shows. */
async function expectChecksAgree(page: Page, prefix: string, rows: number) {
  const checks = page.locator(`[data-testid^="${prefix}-check-"]`)
  await expect(checks).toHaveCount(rows)
  await expect(page.locator(`[data-testid^="${prefix}-check-"][data-ok="false"]`)).toHaveCount(0)
}

/** A mark near 80% of a criterion's maximum: a point on the scale for judgements. */
function markFor(c: Criterion): string {
  const target = (Number(c.max_points) * 80) / 100
  if (c.kind === 'judgement' && c.scale.length) {
    return c.scale.reduce((best, s) => (Math.abs(Number(s) - target) < Math.abs(Number(best) - target) ? s : best), c.scale[0]!)
  }
  return target.toFixed(2)
}

test('admin opens the draft ranking of the demo final: pending figures are marked and every row recomputes', async ({ page, baseURL }) => {
  const id = await demoStage(baseURL!)
  const api = await adminApi(baseURL!)
  const draft = await json<RankingBody<TeamRow>>(await api.get(`/api/v1/stages/${id}/rankings?kind=team`))
  expect(draft.published_version).toBeNull()
  expect(draft.pending).toBeGreaterThan(0)
  const pendingTeam = draft.items.find((r) => r.pending)!

  await signIn(page, 'admin')
  await page.goto(`/competition/stages/${id}`)
  await page.getByTestId('stage-rankings').click()
  await expect(page).toHaveURL(new RegExp(`/competition/stages/${id}/rankings`))
  await expect(page.getByTestId('rankings-title')).toContainText(STAGE)
  await expect(page.getByTestId('ranking-draft-tag')).toBeVisible()
  await expect(page.getByTestId('ranking-pending-count')).toContainText(String(draft.pending))
  await expect(page.getByTestId('ranking-chart-teams')).toBeVisible()
  await expect(page.getByTestId(`team-pending-${pendingTeam.team.id}`)).toBeVisible()
  await expectChecksAgree(page, 'team', draft.items.length)

  // A pending team's row shows its members, the pending ones marked, and the arithmetic.
  const row = page.locator('tr', { has: page.getByTestId(`team-name-${pendingTeam.team.id}`) })
  await row.locator('.el-table__expand-icon').click()
  const members = page.getByTestId(`ranking-team-members-${pendingTeam.team.id}`)
  await expect(members).toBeVisible()
  await expect(members.locator('[data-testid^="member-pending-"]').first()).toBeVisible()
  await expect(page.getByTestId(`ranking-team-formula-${pendingTeam.team.id}`)).toContainText(`→ ${pendingTeam.total}`)

  // The judges' marks behind a practical score: the open discrepancy shows.
  const discrepancies = await json<{ items: { contestant: { id: number } }[] }>(await api.get(`/api/v1/stages/${id}/discrepancies`))
  expect(discrepancies.items.length).toBeGreaterThan(0)
  const flagged = discrepancies.items[0]!.contestant.id
  await page.getByTestId('ranking-kind-individual').click()
  await expect(page.getByTestId('ranking-chart-individuals')).toBeVisible()
  await expect(page.getByTestId(`individual-pending-${flagged}`)).toBeVisible()
  const individuals = await json<RankingBody<IndividualRow>>(await api.get(`/api/v1/stages/${id}/rankings?kind=individual`))
  await expectChecksAgree(page, 'individual', individuals.items.length)
  await page.locator('tr', { has: page.getByTestId(`individual-name-${flagged}`) }).locator('.el-table__expand-icon').click()
  await page.getByTestId(`individual-judges-${flagged}`).click()
  const dialog = page.getByTestId('practical-dialog')
  await expect(dialog.getByTestId('practical-discrepancy')).toBeVisible()
  await expect(dialog.getByTestId('practical-judges').locator('tbody tr')).toHaveCount(5)
  await page.keyboard.press('Escape')

  // Filtering by a region keeps its three counties, places unchanged.
  await page.getByTestId('ranking-kind-team').click()
  await chooseUnit(page, 'ranking-unit', 'R1')
  await expect(page.locator('[data-testid^="team-check-"]')).toHaveCount(3)

  // Publishing now would list the pending figures and need "allow pending".
  await page.getByTestId('ranking-publish').click()
  const publish = page.getByTestId('publish-dialog')
  await expect(publish.getByTestId('publish-pending')).toBeVisible()
  await expect(publish.getByTestId('publish-pending-list').locator('tbody tr')).toHaveCount(draft.pending)
  await expect(publish.getByTestId('publish-confirm')).toBeDisabled()
  await publish.getByTestId('publish-allow-pending').click()
  await expect(publish.getByTestId('publish-confirm')).toBeEnabled()
  await publish.getByRole('button', { name: '取消' }).click()
})

test('the judges finish the practical round and the discrepancy is resolved, through the API', async ({ baseURL }) => {
  const id = await demoStage(baseURL!)
  for (const judge of ['judge1', 'judge2', 'judge3', 'judge4', 'judge5']) {
    const api = await apiAs(baseURL!, judge)
    const stations = await json<{ items: JudgingStation[] }>(await api.get('/api/v1/judging'))
    for (const station of stations.items.filter((s) => s.stage_id === id)) {
      const criteria = station.task.criteria
      for (const c of station.contestants.filter((x) => !x.signed_off)) {
        if (c.marked < criteria.length) {
          const marks = criteria.map((cr) => ({ criterion_id: cr.id, points: markFor(cr) }))
          await json(await api.put(`/api/v1/judging/stages/${id}/contestants/${c.id}/marks`, { data: { marks } }))
        }
        await json(await api.post(`/api/v1/judging/stages/${id}/contestants/${c.id}/sign-off`))
      }
    }
    await api.dispose()
  }
  const admin = await adminApi(baseURL!)
  const open = await json<{ items: { contestant: { id: number } }[] }>(await admin.get(`/api/v1/stages/${id}/discrepancies`))
  for (const d of open.items) {
    await json(await admin.post(`/api/v1/stages/${id}/discrepancies/${d.contestant.id}/resolve`, { data: { action: 'accept', note: 'E2E：裁判长复核后确认' } }))
  }
  const draft = await json<RankingBody<TeamRow>>(await admin.get(`/api/v1/stages/${id}/rankings?kind=team`))
  expect(draft.pending).toBe(0)
})

test('admin publishes version 1 and anyone reads it on the public results page without signing in', async ({ page, browser, baseURL }) => {
  const id = await demoStage(baseURL!)
  const api = await adminApi(baseURL!)
  const draft = await json<RankingBody<TeamRow>>(await api.get(`/api/v1/stages/${id}/rankings?kind=team`))

  await signIn(page, 'admin')
  await page.goto(`/competition/stages/${id}/rankings`)
  await expect(page.getByTestId('ranking-all-final')).toBeVisible()
  await page.getByTestId('ranking-publish').click()
  const publish = page.getByTestId('publish-dialog')
  await expect(publish.getByTestId('publish-all-final')).toBeVisible()
  await inputOf(publish, 'publish-note').fill('省决赛成绩（E2E 首次发布）')
  await publish.getByTestId('publish-confirm').click()
  await expect(page.getByTestId('ranking-version-tag')).toContainText('第 1 版')
  await expect(page.getByTestId('rankings-published-state')).toContainText('第 1 版')

  // The version, its note and hash; the exports of it.
  await page.getByTestId('rankings-tab-versions').click()
  await expect(page.getByTestId('version-note-1')).toHaveText('省决赛成绩（E2E 首次发布）')
  await expect(page.getByTestId('version-sha-1')).toHaveText(/^[0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4}$/)
  await page.getByTestId('version-view-1').click()
  const href = await page.getByTestId('export-ranking-xlsx').getAttribute('href')
  expect(href).toContain('version=1')
  const xlsx = await page.request.get(href!)
  expect(xlsx.status()).toBe(200)
  expect(xlsx.headers()['content-type']).toContain('spreadsheetml')
  const downloaded = page.waitForEvent('download')
  await page.getByTestId('export-sheets-xlsx').click()
  expect((await downloaded).suggestedFilename()).toMatch(/\.xlsx$/)

  // A visitor without a session.
  const visitor = await browser.newContext({ baseURL })
  const pub = await visitor.newPage()
  await pub.goto(`/public/stages/${id}/results`)
  await expect(pub.getByTestId('public-stage')).toHaveText(STAGE)
  await expect(pub.getByTestId('public-competition')).toHaveText(COMPETITION)
  await expect(pub.getByTestId('public-version')).toContainText('第 1 版')
  await expect(pub.locator('[data-testid^="team-total-"]')).toHaveCount(draft.items.length)
  const first = draft.items[0]!
  await expect(pub.getByTestId(`team-rank-${first.team.id}`)).toHaveText(String(first.rank))
  await expect(pub.getByTestId(`team-total-${first.team.id}`)).toHaveText(first.total)
  await expect(pub.locator('[data-testid^="team-check-"][data-ok="false"]')).toHaveCount(0)
  await pub.getByTestId('public-tab-individual').click()
  await expect(pub.getByTestId('ranking-individual-table')).toBeVisible()
  await pub.getByTestId('public-tab-live').click()
  await expect(pub.getByTestId('live-state')).toHaveAttribute('data-state', 'live')
  await expect(pub.locator('[data-testid^="live-complete-"]')).toHaveCount(12)
  await expect(pub.getByTestId('user-menu')).toHaveCount(0)
  await visitor.close()
})

test('a contestant appeals their own result; admin assigns a re-mark, records the outcome and confirms a selection', async ({ browser, page, baseURL }) => {
  const id = await demoStage(baseURL!)

  const contestant = await browser.newContext({ baseURL })
  const cp = await contestant.newPage()
  await signIn(cp, APPELLANT)
  await cp.goto(`/public/stages/${id}/results`)
  await cp.getByTestId('public-my-result').click()
  await expect(cp.getByTestId('my-results-page')).toBeVisible()
  await expect(cp.getByTestId('my-result-stage')).toHaveText(STAGE)
  await expect(cp.getByTestId('my-rank')).toContainText('第')
  await inputOf(cp, 'appeal-reason').fill(REASON)
  await cp.getByTestId('appeal-submit').click()
  await expect(cp.getByTestId('my-open-appeal')).toContainText(REASON)
  await expect(cp.getByTestId('my-appeals').getByTestId('my-appeal-status').first()).toHaveText('待处理')
  // The nav entry leads back to it.
  await cp.goto('/my-results')
  await expect(cp.getByTestId('my-open-appeal')).toBeVisible()
  await contestant.close()

  await signIn(page, 'admin')
  await page.goto(`/competition/stages/${id}/rankings?tab=appeals`)
  const row = page.getByTestId('appeals-table').locator('tr', { hasText: REASON })
  await expect(row).toBeVisible()
  await expect(row.locator('[data-testid^="appeal-status-"]')).toHaveText('待处理')
  await row.locator('[data-testid^="appeal-assign-"]').click()
  await page.getByTestId('appeal-judge').click()
  await page.locator('.el-select-dropdown:visible').getByText('(judge2)').click()
  await inputOf(page, 'appeal-assign-note').fill('复核简答题评分')
  await page.getByTestId('appeal-assign-confirm').click()
  await expect(row.locator('[data-testid^="appeal-status-"]')).toHaveText('复核中')
  await row.locator('[data-testid^="appeal-resolve-"]').click()
  await page.getByTestId('appeal-outcome-unchanged').click()
  await inputOf(page, 'appeal-outcome-note').fill('复核后评分无误，维持原成绩')
  await page.getByTestId('appeal-resolve-confirm').click()
  await expect(row.locator('[data-testid^="appeal-status-"]')).toHaveText('已办结')

  // Selection: the best of each county advance.
  await page.getByTestId('rankings-tab-selection').click()
  await page.getByTestId('selection-rule-top_per_unit').click()
  await page.getByTestId('selection-propose').click()
  await expect(page.getByTestId('selection-status')).toContainText('第 1 版')
  await expect(page.getByTestId('selection-table').locator('tbody tr')).not.toHaveCount(0)
  await page.getByTestId('selection-confirm').click()
  await page.locator('.el-message-box').getByRole('button', { name: '确认名单' }).click()
  await expect(page.getByTestId('selection-status')).toContainText('已确认')
})
