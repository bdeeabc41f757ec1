// The competition story against the real server with the demo loaded, in order: the
// province organiser creates a stage over the six demo counties; county1 enters its
// team's roster and sees no other team; the other rosters go in through the API; the
// organiser locks them, commits to the draw and performs it on the projector view;
// anyone checks the draw on the public page without signing in; the organiser sets up
// a task with a rubric and a station with judge1..judge5 (judge1 chief judge); judge1
// marks a contestant on a phone and signs off; the other judges mark through the API,
// one far off; the chief judge corrects a mark and the organiser resolves the flagged
// discrepancy. No exam is started (other specs use the engineers' exams).
import { expect, request as playwrightRequest, test, type APIRequestContext, type Locator, type Page } from '@playwright/test'
import { apiAs, json, signIn } from './helpers'

const stamp = Date.now().toString(36)
const COMPETITION = `E2E 技能竞赛 ${stamp}`
const STAGE = `E2E 省级决赛 ${stamp}`
const ENTROPY = '37 12 89'
const COUNTIES = ['C1', 'C2', 'C3', 'C4', 'C5', 'C6']

interface Unit {
  id: number
  code: string
}
interface Member {
  user_id: number
  username: string
  name: string
}
interface Roster {
  team_id: number
  team_name: string
  written: Member[]
  nominee: Member | null
  drawn: Member | null
}
interface Draw {
  commitment: string
  seed: string | null
  entropy: string | null
  result: { team_id: number; contestant_id: number }[]
}

/** Shared between the tests of the story, which run in order. */
let stageId = 0
let units = new Map<string, number>()
let c1Nominee = ''
/** The station set up in the story (the demo's own stage has stations with the same judges). */
let stationId = 0
let admin: APIRequestContext | null = null

test.describe.configure({ mode: 'serial' })

test.afterAll(async () => {
  await admin?.dispose()
})

async function adminApi(baseURL: string): Promise<APIRequestContext> {
  admin ??= await apiAs(baseURL, 'admin')
  return admin
}

/** The text input inside (or being) the element with a test id. */
function inputOf(scope: Page | Locator, testId: string): Locator {
  return scope.locator(`input[data-testid="${testId}"], [data-testid="${testId}"] input, textarea[data-testid="${testId}"], [data-testid="${testId}"] textarea`).first()
}

function openDropdown(page: Page): Locator {
  return page.locator('.el-select-dropdown:visible')
}

/** Picks options (by test id) in an Element Plus select, then closes it. */
async function pickOptions(page: Page, selectTestId: string, optionTestIds: string[]): Promise<void> {
  // Right after another select closed, Element Plus may take the first click as a focus only.
  // A dropdown still fading out after the previous pick counts as open: wait for this one's first option.
  await expect(async () => {
    if ((await openDropdown(page).count()) === 0) await page.getByTestId(selectTestId).click()
    await expect(openDropdown(page).getByTestId(optionTestIds[0]!)).toBeVisible({ timeout: 1000 })
  }).toPass()
  for (const id of optionTestIds) await openDropdown(page).getByTestId(id).click()
  // A multiple select stays open; a single one closes on the pick.
  if (await openDropdown(page).count()) await page.keyboard.press('Escape')
  await expect(openDropdown(page)).toHaveCount(0)
}

/** The page has no horizontal scroll: everything fits the viewport's width. */
async function expectNoSideScroll(page: Page): Promise<void> {
  const widths = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, view: window.innerWidth }))
  expect(widths.doc, 'no horizontal scrolling').toBeLessThanOrEqual(widths.view)
}

test('an organiser creates a stage over the six demo counties with the default rules', async ({ page, baseURL }) => {
  const api = await adminApi(baseURL!)
  const list = await json<{ items: (Unit & { parent_id: number | null })[] }>(await api.get('/api/v1/org-units'))
  units = new Map(list.items.map((u) => [u.code, u.id]))

  await signIn(page, 'admin')
  await page.getByTestId('nav-competition').click()
  await expect(page.getByTestId('stages-page')).toBeVisible()
  await page.getByTestId('stage-new').click()
  await expect(page.getByTestId('stage-create-page')).toBeVisible()

  // A new competition (a fresh demo has none).
  if (await page.getByTestId('competition-mode').isVisible()) await page.getByTestId('competition-new').click()
  await inputOf(page, 'competition-name').fill(COMPETITION)
  await inputOf(page, 'stage-name').fill(STAGE)

  // The stage runs in the province (admin's unit); the six counties are its teams by default.
  for (const code of COUNTIES) await expect(page.getByTestId(`team-option-${code}`)).toHaveClass(/is-checked/)
  await expect(page.getByTestId('team-option-R1')).not.toHaveClass(/is-checked/)

  // DOMAIN.md's defaults are shown; the weights must add up to 1.00.
  await expect(inputOf(page, 'settings-roster-size')).toHaveValue('8')
  await expect(inputOf(page, 'settings-practical-size')).toHaveValue('2')
  await expect(inputOf(page, 'settings-weight-written')).toHaveValue('0.40')
  await expect(inputOf(page, 'settings-weight-practical')).toHaveValue('0.60')
  await expect(page.getByTestId('settings-weight-sum')).toContainText('1.00')
  await inputOf(page, 'settings-weight-practical').fill('0.65')
  await expect(page.getByTestId('settings-weight-sum')).toContainText('1.05')
  await page.getByTestId('stage-save').click()
  await expect(page.getByText('两项权重相加须正好等于 1.00')).toBeVisible()
  await inputOf(page, 'settings-weight-practical').fill('0.60')
  await expect(page.getByTestId('settings-weight-sum')).toContainText('1.00')
  await expect(inputOf(page, 'settings-threshold')).toHaveValue('10.00')

  await page.getByTestId('stage-save').click()
  await expect(page.getByTestId('stage-page')).toBeVisible()
  await expect(page.getByTestId('stage-title')).toHaveText(STAGE)
  stageId = Number(new URL(page.url()).pathname.split('/').pop())
  expect(stageId).toBeGreaterThan(0)
  await expect(page.getByTestId('overview-weights')).toContainText('0.40')
  await expect(page.getByTestId('overview-weights')).toContainText('0.60')

  const stage = await json<{ teams: number[]; settings: { weights: { written: string; practical: string } } }>(
    await api.get(`/api/v1/stages/${stageId}`),
  )
  expect(stage.teams.sort((a, b) => a - b)).toEqual(COUNTIES.map((c) => units.get(c)!).sort((a, b) => a - b))
  expect(stage.settings.weights).toEqual({ written: '0.40', practical: '0.60' })
})

test('the organiser changes the stage’s rules on its page while nothing depends on them', async ({ page, baseURL }) => {
  await signIn(page, 'admin')
  await page.goto(`/competition/stages/${stageId}`)
  await page.getByTestId('stage-edit').click()
  const dialog = page.getByTestId('stage-edit-dialog')
  await expect(inputOf(dialog, 'stage-edit-name')).toHaveValue(STAGE)
  await expect(inputOf(dialog, 'settings-weight-written')).toHaveValue('0.40')
  await dialog.getByTestId('settings-tie-2').click()
  await openDropdown(page).getByText('不比较', { exact: true }).click()
  await dialog.getByTestId('stage-edit-save').click()
  await expect(dialog).toBeHidden()
  const stage = await json<{ settings: { tie_break: string[] | null } }>(await (await adminApi(baseURL!)).get(`/api/v1/stages/${stageId}`))
  expect(stage.settings.tie_break).toEqual(['practical'])
})

test('county1 enters its own team’s roster and never sees another county’s', async ({ page, baseURL }) => {
  const c1 = units.get('C1')!
  const c2 = units.get('C2')!
  await signIn(page, 'county1')
  await page.getByTestId('nav-competition').click()
  await page.getByTestId(`stage-open-${stageId}`).click()
  await expect(page.getByTestId('stage-page')).toBeVisible()
  // A team organiser has no set-up tabs.
  await expect(page.getByTestId('stage-tab-practical')).toHaveCount(0)
  await page.getByTestId('stage-tab-rosters').click()
  await expect(page.getByTestId(`roster-team-${c1}`)).toBeVisible()
  await expect(page.getByTestId('rosters-table').locator('.el-table__body tr')).toHaveCount(1)
  await expect(page.getByTestId(`roster-team-${c2}`)).toHaveCount(0)

  await page.getByTestId(`roster-edit-${c1}`).click()
  const dialog = page.getByTestId('roster-dialog')
  await expect(dialog).toBeVisible()
  const written = ['eng001', 'eng002', 'eng003', 'eng004', 'eng005', 'eng006', 'eng007', 'eng008']
  await pickOptions(page, 'roster-written-select', written.map((u) => `roster-option-${u}`))
  await expect(dialog).toContainText('8 / 8')
  await pickOptions(page, 'roster-nominee-select', ['nominee-option-eng009'])
  await dialog.getByTestId('roster-save').click()
  await expect(dialog).toBeHidden()
  await expect(page.getByTestId(`roster-written-${c1}`)).toContainText('eng008')
  await expect(page.getByTestId(`roster-nominee-${c1}`)).toContainText('eng009')
  c1Nominee = 'eng009'

  // The server agrees: county1 reads one roster and cannot touch county2's.
  const county1 = await apiAs(baseURL!, 'county1')
  const rosters = await json<{ items: Roster[] }>(await county1.get(`/api/v1/stages/${stageId}/rosters`))
  expect(rosters.items.map((r) => r.team_id)).toEqual([c1])
  const other = await county1.put(`/api/v1/stages/${stageId}/rosters/${c2}`, { data: { written: [], nominee: rosters.items[0]!.written[0]!.user_id } })
  expect(other.status()).toBe(404)
  await county1.dispose()
})

test('the organiser locks the rosters, commits to the draw and performs it on the projector', async ({ page, baseURL }) => {
  test.slow()
  const api = await adminApi(baseURL!)
  // The other counties' rosters go in through the API: each county's first eight engineers, the ninth nominated.
  for (const code of COUNTIES.slice(1)) {
    const unit = units.get(code)!
    const users = await json<{ items: { id: number; username: string }[] }>(
      await api.get('/api/v1/users', { params: { org_unit_id: unit, page_size: 100 } }),
    )
    const engineers = users.items.filter((u) => u.username.startsWith('eng')).sort((a, b) => a.username.localeCompare(b.username))
    const put = await api.put(`/api/v1/stages/${stageId}/rosters/${unit}`, {
      data: { written: engineers.slice(0, 8).map((u) => u.id), nominee: engineers[8]!.id },
    })
    expect(put.status(), await put.text()).toBe(204)
  }

  await signIn(page, 'admin')
  await page.goto(`/competition/stages/${stageId}?tab=rosters`)
  await expect(page.getByTestId('rosters-table').locator('.el-table__body tr')).toHaveCount(6)
  await page.getByTestId('rosters-lock').click()
  await page.getByTestId('lock-confirm').click()
  await expect(page.getByTestId('stage-locked')).toBeVisible()
  await expect(page.getByTestId(`roster-sub-${units.get('C1')}`)).toBeVisible()

  // Commit: the commitment (SHA-256 of the secret seed) is published before the draw.
  await page.getByTestId('stage-tab-draw').click()
  await page.getByTestId('draw-commit').click()
  const commitment = page.getByTestId('draw-commitment')
  await expect(commitment).toHaveText(/^([0-9a-f]{8} ){7}[0-9a-f]{8}$/)
  const hash = (await commitment.textContent())!.replace(/ /g, '')
  const published = await json<{ draw: Draw }>(await (await playwrightRequest.newContext({ baseURL })).get(`/api/v1/public/stages/${stageId}/draw`))
  expect(published.draw.commitment).toBe(hash)
  expect(published.draw.seed).toBeNull()

  // The projector view: large type on a dark background; the room calls out the entropy.
  await page.setViewportSize({ width: 1366, height: 768 })
  await page.getByTestId('draw-projector-open').click()
  const projector = page.getByTestId('projector-page')
  await expect(projector).toBeVisible()
  await expect(projector).toHaveAttribute('data-theme', 'dark')
  await expect(page.getByTestId('projector-commitment')).toHaveText(/[0-9a-f ]{71}/)
  expect((await page.getByTestId('projector-commitment').textContent())!.replace(/ /g, '')).toBe(hash)
  await page.getByTestId('projector-entropy').fill(ENTROPY)
  await page.getByTestId('projector-draw').click()
  await expect(page.getByTestId('projector-confirm')).toContainText(ENTROPY)
  await page.getByTestId('projector-confirm-draw').click()
  await expect(page.getByTestId('projector-result')).toBeVisible()
  await expect(page.getByTestId('projector-entropy-shown')).toHaveText(ENTROPY)
  await expect(page.getByTestId('projector-seed')).toHaveText(/^([0-9a-f]{8} ){7}[0-9a-f]{8}$/)
  for (const code of COUNTIES) await expect(page.getByTestId(`projector-team-${units.get(code)}`)).toBeVisible()
  // This browser re-ran the draw: the seed matches the commitment and the result recomputes.
  await expect(page.getByTestId('projector-check')).toHaveClass(/ok/)
  await expect(page.getByTestId('draw-check-commitment')).toHaveAttribute('data-ok', 'true')
  await expect(page.getByTestId('draw-check-result')).toHaveAttribute('data-ok', 'true')
  await expect(page.getByTestId('draw-commands')).toContainText('python3 draw.py draw.json')
  await expect(page.getByTestId('draw-json-link')).toHaveAttribute('href', new RegExp(`/api/v1/public/stages/${stageId}/draw$`))
  const fontSize = await page.getByTestId(`projector-team-${units.get('C1')}`).locator('.picked').evaluate((el) => parseFloat(getComputedStyle(el).fontSize))
  expect(fontSize, 'large type on the projector').toBeGreaterThanOrEqual(32)
  await page.getByTestId('projector-theme').click()
  await expect(projector).toHaveAttribute('data-theme', 'light')
  await page.getByTestId('projector-theme').click()

  // The drawn contestants are on the rosters now, each from their team's pool.
  const rosters = await json<{ items: Roster[] }>(await api.get(`/api/v1/stages/${stageId}/rosters`))
  for (const r of rosters.items) {
    expect(r.drawn, r.team_name).not.toBeNull()
    expect(r.written.map((w) => w.user_id)).toContain(r.drawn!.user_id)
    expect(r.drawn!.user_id).not.toBe(r.nominee!.user_id)
    await expect(page.getByTestId(`projector-team-${r.team_id}`)).toContainText(r.drawn!.name)
  }
})

test('anyone checks the draw on the public page without signing in', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL })
  const page = await context.newPage()
  const anonymous = await playwrightRequest.newContext({ baseURL })
  const published = await json<{ draw: Draw; redrawn: boolean }>(await anonymous.get(`/api/v1/public/stages/${stageId}/draw`))
  await anonymous.dispose()
  expect(published.draw.entropy).toBe(ENTROPY)
  expect(published.redrawn).toBe(false)

  await page.goto(`/public/stages/${stageId}/draw`)
  await expect(page.getByTestId('public-draw-page')).toBeVisible()
  await expect(page.getByTestId('login-submit')).toHaveCount(0)
  await expect(page.getByTestId('draw-entropy')).toHaveText(ENTROPY)
  expect((await page.getByTestId('draw-commitment').textContent())!.replace(/ /g, '')).toBe(published.draw.commitment)
  for (const r of published.draw.result) await expect(page.getByTestId(`draw-row-${r.team_id}`)).toContainText(String(r.contestant_id))
  // Teams read as their names (the demo counties), not as ids.
  for (const r of published.draw.result) await expect(page.getByTestId(`draw-row-${r.team_id}`)).toContainText(/东江|西岭/)
  await expect(page.getByTestId('draw-check-commitment')).toHaveAttribute('data-ok', 'true')
  await expect(page.getByTestId('draw-check-result')).toHaveAttribute('data-ok', 'true')
  await expect(page.getByTestId('public-draw-redrawn')).toHaveCount(0)
  await context.close()
})

test('once the rosters are locked and the draw made, the organiser is told which rules are fixed and why', async ({ page }) => {
  await signIn(page, 'admin')
  await page.goto(`/competition/stages/${stageId}`)
  await page.getByTestId('stage-edit').click()
  const dialog = page.getByTestId('stage-edit-dialog')
  // Up front, before any attempt: the roster sizes and the draw pool are disabled, each with why.
  await expect(inputOf(dialog, 'settings-roster-size')).toBeDisabled()
  await expect(inputOf(dialog, 'settings-practical-size')).toBeDisabled()
  await expect(dialog.getByTestId('settings-fixed-written_roster_size')).toHaveText('名单已锁定，不能再修改')
  await expect(dialog.getByTestId('settings-fixed-practical_size')).toHaveText('名单已锁定，不能再修改')
  await expect(dialog.getByTestId('settings-draw-pool').getByRole('radio', { name: '笔试名单全部选手' })).toBeDisabled()
  await expect(dialog.getByTestId('settings-fixed-draw_pool')).toContainText('已提交抽签承诺，不能再修改')
  // The scoring rules stay open until a ranking is published.
  await expect(inputOf(dialog, 'settings-weight-written')).toBeEnabled()
  await expect(dialog.getByTestId('settings-fixed-weights')).toHaveCount(0)
  await dialog.getByRole('button', { name: '取消' }).click()
  await expect(dialog).toBeHidden()
})

test('the organiser sets up a task with its rubric and a station with five judges and the practical contestants', async ({ page, baseURL }) => {
  await signIn(page, 'admin')
  await page.goto(`/competition/stages/${stageId}?tab=practical`)
  await expect(page.getByTestId('practical-panel')).toBeVisible()

  await page.getByTestId('task-new').click()
  const dialog = page.getByTestId('task-dialog')
  await inputOf(dialog, 'task-name').fill('配电箱接线')
  await inputOf(dialog, 'criterion-name-0').fill('接线正确')
  await inputOf(dialog, 'criterion-max-0').fill('60')
  await dialog.getByTestId('criterion-add').click()
  await inputOf(dialog, 'criterion-name-1').fill('工艺')
  await dialog.getByTestId('criterion-kind-j-1').click()
  await inputOf(dialog, 'criterion-max-1').fill('40')
  await expect(inputOf(dialog, 'criterion-scale-1')).toHaveValue('0 10 20 30 40')
  await expect(dialog.getByTestId('task-max')).toContainText('100.00')
  await dialog.getByTestId('task-save').click()
  await expect(dialog).toBeHidden()
  await expect(page.locator('[data-testid^="task-"]').filter({ hasText: '配电箱接线' }).first()).toBeVisible()

  await inputOf(page, 'station-name').fill('1号工位')
  await page.getByTestId('station-task').click()
  await openDropdown(page).getByText('配电箱接线').click()
  await page.getByTestId('station-add').click()
  const station = page.locator('[data-testid^="station-"]').filter({ hasText: '1号工位' }).first()
  await expect(station).toBeVisible()

  await station.getByRole('button', { name: '评委' }).click()
  await pickOptions(page, 'judges-select', ['judge-option-judge1', 'judge-option-judge2', 'judge-option-judge3', 'judge-option-judge4', 'judge-option-judge5'])
  await page.getByTestId('chief-judge1').click()
  await page.getByTestId('judges-save').click()
  await expect(page.getByTestId('judges-dialog')).toBeHidden()
  await expect(page.getByTestId('station-judge-judge1')).toContainText('主裁判')
  await expect(page.getByTestId('station-judge-judge5')).toBeVisible()

  await station.getByRole('button', { name: '选手' }).click()
  await page.getByTestId('contestants-all').click()
  await page.getByTestId('contestants-save').click()
  await expect(page.getByTestId('contestants-dialog')).toBeHidden()
  await expect(page.getByTestId(`station-contestant-${c1Nominee}`)).toBeVisible()
  await expect(station.locator('[data-testid^="station-contestant-"]')).toHaveCount(12)
  const api = await adminApi(baseURL!)
  const stations = await json<{ items: { id: number; name: string }[] }>(await api.get(`/api/v1/stages/${stageId}/stations`))
  stationId = stations.items.find((s) => s.name === '1号工位')!.id
})

test('judge1 marks a contestant on a phone and signs off', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true })
  const page = await context.newPage()
  await signIn(page, 'judge1')
  await page.getByTestId('nav-toggle').click()
  await page.getByTestId('nav-judging').click()
  await expect(page.getByTestId('judging-page')).toBeVisible()
  const mine = page.getByTestId(`judging-station-${stationId}`)
  await expect(mine.getByTestId('judging-discrepancies')).toBeVisible() // judge1 is the chief judge
  await expectNoSideScroll(page)

  await mine.getByTestId(`judging-contestant-${c1Nominee}`).click()
  await expect(page.getByTestId('judge-sheet')).toBeVisible()
  await expect(page.getByTestId('sheet-contestant')).toBeVisible()
  // A measurement takes an exact decimal up to its maximum; a judgement one value of its scale.
  const measure = inputOf(page, 'measure-1')
  await measure.fill('60.5')
  await measure.blur()
  await expect(page.getByTestId('problem-1')).toBeVisible()
  await measure.fill('52.5')
  await expect(page.getByTestId('problem-1')).toHaveCount(0)
  await expect(page.getByTestId('sheet-total')).toContainText('52.50')
  await expect(page.getByTestId('sheet-sign-off')).toBeDisabled()
  await page.getByTestId('scale-2-30').click()
  await expect(page.getByTestId('scale-2-30')).toHaveAttribute('aria-checked', 'true')
  await expect(page.getByTestId('sheet-total')).toContainText('82.50')
  await expectNoSideScroll(page)
  const button = await page.getByTestId('scale-2-30').boundingBox()
  expect(button!.height, 'scale buttons big enough for a finger').toBeGreaterThanOrEqual(44)
  await page.getByTestId('sheet-save').click()
  await expect(page.getByTestId('sheet-save')).toBeDisabled()

  await page.getByTestId('sheet-sign-off').click()
  await expect(page.getByTestId('sign-off-dialog')).toContainText('82.50')
  await page.getByTestId('sign-off-confirm').click()
  await expect(page.getByTestId('sheet-signed-off')).toBeVisible()
  // Read-only now; the others have not signed off yet.
  await expect(page.getByTestId('scale-2-20')).toBeDisabled()
  await expect(inputOf(page, 'measure-1')).toBeDisabled()
  await expect(page.getByTestId('sheet-sign-off')).toHaveCount(0)
  await expect(page.getByTestId('sheet-others-none')).toBeVisible()
  await expectNoSideScroll(page)

  // The same sheet works on a tablet.
  await page.setViewportSize({ width: 768, height: 1024 })
  await page.getByTestId('sheet-back').click()
  await expect(mine.getByTestId(`judging-contestant-${c1Nominee}`)).toContainText('已签字')
  await expectNoSideScroll(page)
  await context.close()
})

test('the other judges mark with one far off; the chief judge corrects a mark and the organiser resolves the discrepancy', async ({
  browser,
  page,
  baseURL,
}) => {
  test.slow()
  const api = await adminApi(baseURL!)
  const rosters = await json<{ items: Roster[] }>(await api.get(`/api/v1/stages/${stageId}/rosters`))
  const contestant = rosters.items.find((r) => r.nominee?.username === c1Nominee)!.nominee!
  // Totals 80, 85, 78 and 30 (judge5 far off) next to judge1's 82.50: a spread of 55 over the threshold of 10.
  const marks: [string, string, string][] = [
    ['judge2', '50', '30'],
    ['judge3', '55', '30'],
    ['judge4', '48', '30'],
    ['judge5', '20', '10'],
  ]
  for (const [judge, wiring, craft] of marks) {
    const j = await apiAs(baseURL!, judge)
    const url = `/api/v1/judging/stages/${stageId}/contestants/${contestant.user_id}`
    await json(await j.put(`${url}/marks`, { data: { marks: [{ criterion_id: 1, points: wiring }, { criterion_id: 2, points: craft }] } }))
    await json(await j.post(`${url}/sign-off`))
    await j.dispose()
  }

  // judge1, signed off, now sees the others' signed-off marks; as chief judge they correct one, with a reason.
  const context = await browser.newContext({ baseURL, viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true })
  const phone = await context.newPage()
  await signIn(phone, 'judge1')
  await phone.goto(`/judging/stages/${stageId}/contestants/${contestant.user_id}`)
  await expect(phone.getByTestId('sheet-others')).toBeVisible()
  await expect(phone.getByTestId('other-total-judge5')).toHaveText('30.00')
  await phone.goto('/judging')
  await phone.getByTestId(`judging-station-${stationId}`).getByTestId('judging-discrepancies').click()
  const item = phone.getByTestId(`discrepancy-${c1Nominee}`)
  await expect(item).toBeVisible()
  await expect(item.getByTestId('discrepancy-spread')).toContainText('55.00')
  await expect(item.getByTestId('discrepancy-total-judge5')).toHaveText('30.00')
  await item.getByTestId('correct-judge5-2').click()
  const fix = phone.getByTestId('correct-dialog')
  await expect(fix).toBeVisible()
  await fix.getByTestId('correct-points').click()
  await openDropdown(phone).getByText('20.00', { exact: true }).click()
  await inputOf(fix, 'correct-reason').fill('工艺项誊写错误，按评分表更正')
  await fix.getByTestId('correct-confirm').click()
  await expect(fix).toBeHidden()
  await expect(item.getByTestId('discrepancy-total-judge5')).toHaveText('40.00')
  await expect(item.getByTestId('discrepancy-spread')).toContainText('45.00')
  await expectNoSideScroll(phone)
  await context.close()

  // The organiser accepts the marks with a note; the score is the trimmed mean of the five totals.
  await signIn(page, 'admin')
  await page.goto(`/competition/stages/${stageId}?tab=discrepancies`)
  const flagged = page.getByTestId(`discrepancy-${c1Nominee}`)
  await expect(flagged).toBeVisible()
  await expect(flagged).toContainText('接线正确')
  await flagged.getByTestId(`discrepancy-accept-${c1Nominee}`).click()
  await inputOf(page, 'resolve-note').fill('现场复核评分表，评委5的评判有依据，予以认可')
  await page.getByTestId('resolve-confirm').click()
  await expect(page.getByTestId('discrepancy-none')).toBeVisible()
  // 82.50, 80, 85, 78, 40: without the highest and lowest, (82.50 + 80 + 78) / 3 = 80.1666… → 80.17.
  await expect(page.getByTestId(`score-${c1Nominee}`)).toHaveText('80.17')

  const result = await json<{ score: string; complete: boolean; discrepancy: boolean }>(
    await api.get(`/api/v1/stages/${stageId}/practical/${contestant.user_id}`),
  )
  expect(result).toMatchObject({ score: '80.17', complete: true, discrepancy: false })
})

test('the chief judge sends a judge back to re-mark, and the judge reads why on their sheet', async ({ browser, page, baseURL }) => {
  test.slow()
  const api = await adminApi(baseURL!)
  const rosters = await json<{ items: Roster[] }>(await api.get(`/api/v1/stages/${stageId}/rosters`))
  const contestant = rosters.items.find((r) => r.team_id === units.get('C2'))!.nominee!
  // judge5's 30 is far below the others.
  const marks: [string, string, string][] = [
    ['judge1', '50', '30'],
    ['judge2', '52', '30'],
    ['judge3', '51', '30'],
    ['judge4', '55', '30'],
    ['judge5', '20', '10'],
  ]
  for (const [judge, wiring, craft] of marks) {
    const j = await apiAs(baseURL!, judge)
    const url = `/api/v1/judging/stages/${stageId}/contestants/${contestant.user_id}`
    await json(await j.put(`${url}/marks`, { data: { marks: [{ criterion_id: 1, points: wiring }, { criterion_id: 2, points: craft }] } }))
    await json(await j.post(`${url}/sign-off`))
    await j.dispose()
  }
  const reason = '接线正确项与其他评委相差过大，请对照评分表复核'
  await signIn(page, 'judge1')
  await page.goto('/judging')
  await page.getByTestId(`judging-station-${stationId}`).getByTestId('judging-discrepancies').click()
  const item = page.getByTestId(`discrepancy-${contestant.username}`)
  await expect(item).toContainText('接线正确')
  await item.getByTestId(`discrepancy-remark-${contestant.username}`).click()
  await inputOf(page, 'resolve-note').fill(reason)
  await expect(page.getByTestId('resolve-judge')).toContainText('30.00')
  await page.getByTestId('resolve-confirm').click()
  await expect(item).toHaveCount(0)

  const context = await browser.newContext({ baseURL, viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true })
  const phone = await context.newPage()
  await signIn(phone, 'judge5')
  await phone.goto(`/judging/stages/${stageId}/contestants/${contestant.user_id}`)
  await expect(phone.getByTestId('sheet-remark-reason')).toContainText(`要求重新评分：${reason}`)
  await expect(phone.getByTestId('sheet-sign-off')).toBeVisible()
  await context.close()
})
