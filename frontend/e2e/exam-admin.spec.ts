// The organiser's exam set-up, the invigilation console and judges' marking, against
// the real server with the demo loaded. One story, in order: the exam built in the
// first test is watched in the second and marked in the third. Engineers eng041 to
// eng060 only (another spec uses eng001 to eng020).
import { expect, test, type APIRequestContext, type Locator, type Page } from '@playwright/test'
import { apiAs, json, signIn } from './helpers'

const PROVINCE_BANK = '省公司竞赛题库'
/** The seeded top-level topics (00018_seed_topics.sql in migrations). */
const SERVICE_TOPIC = { id: 5, code: 'service' }

const stamp = Date.now().toString(36)
const BLUEPRINT = `E2E 服务标准组卷 ${stamp}`
const EXAM = `E2E 服务标准笔试 ${stamp}`
const ENGINEERS = ['eng041', 'eng042', 'eng043', 'eng044', 'eng045']
const SHORT_ANSWER = '先向客户致歉并说明原因，记录诉求，两小时内回访。'

/** The exam the first test creates, for the tests after it. */
let examId = 0
/** eng041's API client: an attempt is bound to the session that started it, so the same one goes on. */
let eng041: APIRequestContext | null = null

test.describe.configure({ mode: 'serial' })

test.afterAll(async () => {
  await eng041?.dispose()
})

/** Picks an option of the Element Plus select (or tree select) that is open. */
function openDropdown(page: Page): Locator {
  return page.locator('.el-select-dropdown:visible')
}

/** The text input inside (or being) the element with a test id. */
function inputOf(page: Page, testId: string): Locator {
  return page.locator(`input[data-testid="${testId}"], [data-testid="${testId}"] input`).first()
}

function pad(n: number): string {
  return String(n).padStart(2, '0')
}

/** A time as the date picker shows it (browser time zone), `YYYY-MM-DD HH:mm`. */
function pickerTime(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`
}

test('an organiser builds a blueprint that shows shortfalls, creates an exam, enrols engineers, prepares papers, previews one and edits the exam', async ({
  page,
  baseURL,
}) => {
  test.slow()
  await signIn(page, 'admin')
  await page.getByTestId('nav-exam-admin').click()
  await expect(page.getByTestId('exam-admin-page')).toBeVisible()

  // A blueprint: three single-choice and one short-answer question on service standards.
  await page.getByTestId('exam-admin-new-blueprint').click()
  await expect(page.getByTestId('blueprint-page')).toBeVisible()
  await page.getByTestId('blueprint-name').fill(BLUEPRINT)
  await page.getByTestId('section-title-0').fill('单选题')
  await page.getByTestId('section-topic-0').click()
  await openDropdown(page).getByTestId(`topic-option-${SERVICE_TOPIC.code}`).click()
  await inputOf(page, 'section-count-0').fill('3')
  await inputOf(page, 'section-count-0').press('Tab')
  // The province bank has enough approved single-choice questions on the topic.
  await expect(page.getByTestId('section-available-0')).toHaveAttribute('data-status', 'ok')

  await page.getByTestId('blueprint-add-section').click()
  await page.getByTestId('section-title-1').fill('简答题')
  await page.getByTestId('section-type-1').click()
  await openDropdown(page).getByText('简答题', { exact: true }).click()
  // Asking for 50 short answers: the page says the banks fall short before anything is saved.
  await inputOf(page, 'section-count-1').fill('50')
  await inputOf(page, 'section-count-1').press('Tab')
  await expect(page.getByTestId('section-available-1')).toHaveAttribute('data-status', 'short')
  await expect(page.getByTestId('blueprint-short')).toBeVisible()
  await inputOf(page, 'section-count-1').fill('1')
  await inputOf(page, 'section-count-1').press('Tab')
  await page.getByTestId('section-points-1').fill('10')
  await expect(page.getByTestId('section-available-1')).toHaveAttribute('data-status', 'ok')
  await expect(page.getByTestId('blueprint-enough')).toBeVisible()
  await expect(page.getByTestId('blueprint-totals')).toContainText('16.00')
  await page.getByTestId('blueprint-save').click()
  await expect(page.getByTestId('blueprint-heading')).toHaveText(BLUEPRINT)

  // No exam draws from it yet: it may still be edited.
  await page.getByTestId('blueprint-edit').click()
  await page.getByTestId('blueprint-name').fill(`${BLUEPRINT}（修订）`)
  await page.getByTestId('blueprint-save').click()
  await expect(page.getByTestId('blueprint-heading')).toHaveText(`${BLUEPRINT}（修订）`)
  await expect(page.getByTestId('blueprint-edit')).toBeVisible()

  // An exam from it over the province bank, open from a minute ago.
  await page.getByTestId('blueprint-new-exam').click()
  await expect(page.getByTestId('exam-create-page')).toBeVisible()
  await expect(page.getByTestId('exam-blueprint')).toContainText(BLUEPRINT)
  await page.getByTestId('exam-title').fill(EXAM)
  await page.getByTestId('exam-instructions').fill('闭卷，限时 30 分钟。')
  const opens = new Date(Date.now() - 60_000)
  const closes = new Date(Date.now() + 3 * 3600_000)
  const windowInputs = page.getByTestId('exam-window').locator('input')
  await windowInputs.nth(0).fill(pickerTime(opens))
  await windowInputs.nth(0).press('Enter')
  await windowInputs.nth(1).fill(pickerTime(closes))
  await windowInputs.nth(1).press('Enter')
  await page.keyboard.press('Escape')
  await inputOf(page, 'exam-duration').fill('30')
  await inputOf(page, 'exam-duration').press('Tab')
  await expect(inputOf(page, 'exam-grace')).toHaveValue('30')
  await page.getByTestId('exam-banks').click()
  await openDropdown(page).getByText(PROVINCE_BANK, { exact: false }).click()
  await page.keyboard.press('Escape')
  await page.getByTestId('exam-save').click()
  await expect(page.getByTestId('exam-detail-page')).toBeVisible()
  await expect(page.getByTestId('exam-detail-title')).toHaveText(EXAM)
  await expect(page.getByTestId('exam-detail-phase')).toHaveText('进行中')
  examId = Number(/\/exam-admin\/(\d+)/.exec(page.url())![1])

  // Enrol five engineers of county 5 in one go.
  await page.getByTestId('exam-enrol').click()
  const dialog = page.getByTestId('enrol-dialog')
  await expect(dialog).toBeVisible()
  const searched = page.waitForResponse((r) => r.url().includes('/api/v1/users?') && r.url().includes('q=eng04'))
  await dialog.getByTestId('enrol-filter-q').fill('eng04')
  await dialog.getByTestId('enrol-search').click()
  await searched
  for (const username of ENGINEERS) {
    await dialog
      .getByTestId('enrol-table')
      .locator('tr', { has: page.getByTestId(`enrol-user-${username}`) })
      .locator('.el-checkbox')
      .click()
  }
  await expect(dialog.getByTestId('enrol-save')).toContainText('5')
  await dialog.getByTestId('enrol-save').click()
  for (const username of ENGINEERS) await expect(page.getByTestId(`enrolment-${username}`)).toBeVisible()
  await expect(page.getByTestId('exam-enrolled-count')).toHaveText('5')

  // Papers ahead of the window, then a paper as a contestant sees it: four items, no keys.
  await page.locator('#tab-paper').click()
  await page.getByTestId('exam-prepare').click()
  await expect(page.getByTestId('exam-prepared')).toContainText('5')
  await expect(page.getByTestId('exam-papers-ready')).toContainText('5')
  const previewed = page.waitForResponse((r) => r.url().endsWith(`/api/v1/exams/${examId}/preview`))
  await page.getByTestId('exam-preview').click()
  const preview = (await (await previewed).json()) as { items: { type: string }[]; paper_id: number }
  expect(preview.items).toHaveLength(4)
  expect(preview.paper_id, 'a paper drawn per contestant: the preview is a sample').toBe(0)
  await expect(page.getByTestId('exam-preview-kind')).toBeVisible()
  expect(JSON.stringify(preview)).not.toMatch(/"(correct_key|choices|reference_answer|rubric|explanation)"/)
  await expect(page.getByTestId('exam-preview-paper').getByTestId('question-view')).toHaveCount(4)
  await expect(page.getByTestId('exam-preview-summary')).toContainText('16.00')
  await expect(page.getByTestId('exam-preview-paper').getByTestId('qv-text')).toHaveCount(1)

  // Nobody has started: every setting may change. A longer duration and new
  // instructions keep the papers; unshuffled options discard the ones prepared.
  await page.getByTestId('exam-edit').click()
  await expect(page.getByTestId('exam-create-page')).toBeVisible()
  await expect(page.getByTestId('exam-title')).toHaveValue(EXAM)
  await inputOf(page, 'exam-duration').fill('35')
  await inputOf(page, 'exam-duration').press('Tab')
  await page.getByTestId('exam-instructions').fill('闭卷，限时 35 分钟。')
  await page.getByTestId('exam-shuffle-options').click()
  const edited = page.waitForResponse((r) => r.url().endsWith(`/api/v1/exams/${examId}`) && r.request().method() === 'PATCH')
  await page.getByTestId('exam-save').click()
  const patch = (await edited).request().postDataJSON() as Record<string, unknown>
  expect(Object.keys(patch).sort(), 'only what changed is sent').toEqual(['duration_minutes', 'instructions', 'shuffle_options'])
  await expect(page.getByTestId('exam-detail-page')).toBeVisible()
  await expect(page.getByTestId('exam-facts')).toContainText('35 分钟')
  await expect(page.getByTestId('exam-facts')).toContainText('闭卷，限时 35 分钟。')
  await expect(page.getByTestId('exam-papers-ready')).toContainText('0')

  // A blueprint the bank cannot fill is refused, with the missing count on its section.
  const admin = await apiAs(baseURL!, 'admin', {})
  const short = await json<{ id: number }>(
    await admin.post('/api/v1/blueprints', {
      data: {
        org_unit_id: (await json<{ org_unit_id: number }>(await admin.get('/api/v1/me'))).org_unit_id,
        name: `E2E 题量不足 ${stamp}`,
        sections: [{ title: '论述题', topic_id: SERVICE_TOPIC.id, type: 'essay', difficulty: 0, count: 40, points_each: '20.00' }],
      },
    }),
    201,
  )
  await admin.dispose()
  await page.goto(`/exam-admin/new?blueprint_id=${short.id}`)
  await page.getByTestId('exam-title').fill(`E2E 不能创建 ${stamp}`)
  await page.getByTestId('exam-banks').click()
  await openDropdown(page).getByText(PROVINCE_BANK, { exact: false }).click()
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('exam-short')).toBeVisible()
  const refused = page.waitForResponse((r) => r.url().endsWith('/api/v1/exams') && r.request().method() === 'POST')
  await page.getByTestId('exam-save').click()
  expect((await refused).status()).toBe(422)
  await expect(page.getByTestId('exam-refusal')).toBeVisible()
  await expect(page.getByTestId('exam-refusal')).toContainText('40')
  await expect(page.getByTestId('section-error-0')).toContainText('40')
})

test('the invigilator sees an engineer start live over SSE, grants extra time that shows at once, messages everyone, unlocks an engineer on a new computer and forces a submission', async ({
  page,
  baseURL,
}) => {
  test.slow()
  expect(examId, 'the exam of the first test').toBeGreaterThan(0)
  await signIn(page, 'proctor1')
  await page.getByTestId('nav-invigilation').click()
  await expect(page.getByTestId('invigilation-page')).toBeVisible()
  await page.getByTestId(`invigilation-open-${examId}`).click()
  await expect(page.getByTestId('monitor-page')).toBeVisible()
  await expect(page.getByTestId('monitor-title')).toHaveText(EXAM)
  await expect(page.getByTestId('monitor-link')).toHaveAttribute('data-state', 'live')
  await expect(page.getByTestId('monitor-stat-all')).toContainText('5')
  await expect(page.getByTestId('monitor-state-eng041')).toHaveAttribute('data-state', 'not_started')

  // From here on the page must learn everything from the stream, not by asking again.
  let reads = 0
  page.on('request', (r) => {
    if (r.method() === 'GET' && new URL(r.url()).pathname === `/api/v1/exams/${examId}/monitor`) reads++
  })

  eng041 = await apiAs(baseURL!, 'eng041', {})
  const eng = eng041
  await json(await eng.post(`/api/v1/exams/${examId}/attempts`), 201)
  await expect(page.getByTestId('monitor-state-eng041')).toHaveAttribute('data-state', 'in_progress')
  await expect(page.getByTestId('monitor-answered-eng041')).toContainText('0/4')
  await expect(page.getByTestId('monitor-stat-in_progress')).toContainText('1')
  expect(reads, 'no GET /monitor: the change came over SSE').toBe(0)

  // Extra time for that row: ten minutes more on its clock.
  const remaining = page.getByTestId('monitor-remaining-eng041')
  const before = Number(await remaining.getAttribute('data-seconds'))
  expect(before).toBeGreaterThan(25 * 60)
  await page.getByTestId('monitor-extra-btn-eng041').click()
  const dialog = page.getByTestId('monitor-action-dialog')
  await expect(dialog.getByTestId('monitor-action-targets')).toHaveText(/\S/)
  await inputOf(page, 'monitor-extra-minutes').fill('10')
  await inputOf(page, 'monitor-extra-minutes').press('Tab')
  // A reason is required: it goes to the audit trail.
  await dialog.getByTestId('monitor-action-confirm').click()
  await expect(dialog.locator('.el-form-item__error')).toBeVisible()
  await dialog.getByTestId('monitor-action-reason').fill('考生电脑故障，更换设备耽误 10 分钟')
  await dialog.getByTestId('monitor-action-confirm').click()
  await expect(dialog).toBeHidden()
  await expect
    .poll(async () => Number(await remaining.getAttribute('data-seconds')), { timeout: 10_000 })
    .toBeGreaterThan(before + 9 * 60)
  await expect(page.getByTestId('monitor-extra-eng041')).toContainText('10')

  // A dropped connection shows, and the console comes back by itself.
  await page.context().setOffline(true)
  await expect(page.getByTestId('monitor-link')).toHaveAttribute('data-state', 'reconnecting', { timeout: 30_000 })
  await page.context().setOffline(false)
  await expect(page.getByTestId('monitor-link')).toHaveAttribute('data-state', 'live', { timeout: 30_000 })

  // The contestant's own clock agrees.
  const attempts = await json<{ items: { id: number; title: string; my: { attempt_id: number | null } }[] }>(await eng.get('/api/v1/exams'))
  const attemptId = attempts.items.find((e) => e.id === examId)!.my.attempt_id!
  const attempt = await json<{ remaining_seconds: number }>(await eng.get(`/api/v1/attempts/${attemptId}`))
  expect(attempt.remaining_seconds).toBeGreaterThan(39 * 60)

  // A message to everyone reaches the contestant with their next heartbeat.
  await page.getByTestId('monitor-message').click()
  const messageDialog = page.getByTestId('monitor-message-dialog')
  await messageDialog.getByTestId('monitor-message-text').fill('请注意：最后十分钟请检查未答题目')
  await messageDialog.getByTestId('monitor-message-send').click()
  await expect(messageDialog).toBeHidden()
  await expect(page.getByTestId('monitor-sent')).toContainText('最后十分钟')
  const beat = await json<{ messages: { text: string }[] }>(
    await eng.post(`/api/v1/attempts/${attemptId}/heartbeat`, { data: { focus_lost: 0, visible: true } }),
  )
  expect(beat.messages.map((m) => m.text)).toContain('请注意：最后十分钟请检查未答题目')

  // Another engineer starts, then moves to another computer: refused there
  // until the invigilator unlocks.
  const first = await apiAs(baseURL!, 'eng042', {})
  const started = await json<{ id: number }>(await first.post(`/api/v1/exams/${examId}/attempts`), 201)
  await expect(page.getByTestId('monitor-state-eng042')).toHaveAttribute('data-state', 'in_progress')
  const second = await apiAs(baseURL!, 'eng042', {})
  expect((await second.get(`/api/v1/attempts/${started.id}`)).status()).toBe(409)
  await expect(page.getByTestId('monitor-locked-eng042')).toBeVisible()
  await page.getByTestId('monitor-unlock-btn-eng042').click()
  await dialog.getByTestId('monitor-action-reason').fill('原电脑蓝屏，换到 12 号机')
  await dialog.getByTestId('monitor-action-confirm').click()
  await expect(dialog).toBeHidden()
  await expect(page.getByTestId('monitor-locked-eng042')).toBeHidden()
  expect((await second.get(`/api/v1/attempts/${started.id}`)).status()).toBe(200)

  // Force submit: the attempt ends with the answers it has, and the console shows it.
  await page.getByTestId('monitor-submit-btn-eng042').click()
  await dialog.getByTestId('monitor-action-reason').fill('违反考场纪律')
  await dialog.getByTestId('monitor-action-confirm').click()
  await expect(dialog).toBeHidden()
  await expect(page.getByTestId('monitor-state-eng042')).toHaveAttribute('data-state', 'submitted')
  const ended = await json<{ status: string }>(await second.get(`/api/v1/attempts/${started.id}`))
  expect(ended.status).toBe('submitted')
  await expect(page.getByTestId('monitor-state-eng041')).toHaveAttribute('data-state', 'in_progress')
})

test('judges mark the short answer blind, one on a tablet, and the chief adjudicates marks that differ too much', async ({
  page,
  baseURL,
}) => {
  test.slow()
  expect(examId, 'the exam of the first test').toBeGreaterThan(0)

  // The organiser assigns two markers and a chief on the exam's page.
  await signIn(page, 'admin')
  await page.goto(`/exam-admin/${examId}`)
  await page.locator('#tab-markers').click()
  const panel = page.getByTestId('markers-panel')
  for (const [username, role] of [
    ['judge1', 'marker'],
    ['judge2', 'marker'],
    ['judge3', 'chief'],
  ] as const) {
    await panel.getByTestId('markers-judge').click()
    await openDropdown(page).locator('.el-select-dropdown__item', { hasText: `(${username})` }).click()
    await panel.getByTestId(`markers-role-${role}`).click()
    await panel.getByTestId('markers-add').click()
    await expect(panel.getByTestId(`marker-${username}`)).toBeVisible()
  }

  // eng041 has started: the duration can no longer change, and the page says why.
  await page.getByTestId('exam-edit').click()
  await expect(page.getByTestId('exam-create-page')).toBeVisible()
  await inputOf(page, 'exam-duration').fill('60')
  await inputOf(page, 'exam-duration').press('Tab')
  await page.getByTestId('exam-save').click()
  await expect(page.locator('.el-message--error')).toContainText('考试时长不能再修改')
  await expect(page.getByTestId('exam-create-page').locator('.el-form-item__error')).toContainText('考试时长')

  // eng041 answers the short answer and submits.
  expect(eng041, 'eng041 started in the test before').not.toBeNull()
  const eng = eng041!
  const attempt = await json<{ id: number; items: { id: number; type: string }[] }>(await eng.post(`/api/v1/exams/${examId}/attempts`))
  const item = attempt.items.find((i) => i.type === 'short_answer')!
  await json(await eng.put(`/api/v1/attempts/${attempt.id}/answers/${item.id}`, { data: { response: SHORT_ANSWER, seq: 1 } }))
  await json(await eng.post(`/api/v1/attempts/${attempt.id}/submit`))

  // judge1 on a tablet held upright: the queue, then one anonymous answer at a time.
  await page.context().clearCookies()
  await page.setViewportSize({ width: 768, height: 1024 })
  await signIn(page, 'judge1')
  await page.goto('/marking')
  await expect(page.getByTestId(`marking-exam-${examId}`)).toBeVisible()
  await page.getByTestId(`marking-exam-${examId}`).locator('[data-testid^="marking-open-"]').first().click()
  await expect(page.getByTestId('marking-page')).toBeVisible()
  await expect(page.getByTestId('marking-response')).toHaveText(SHORT_ANSWER)
  await expect(page.getByTestId('marking-page')).not.toContainText('eng041')
  // Marks are exact decimals from 0 to the item's points.
  await page.getByTestId('marking-points').fill('10.5')
  await page.getByTestId('marking-save').click()
  await expect(page.getByTestId('marking-answer').locator('.el-form-item__error')).toBeVisible()
  await page.getByTestId('marking-points').fill('7.555')
  await page.getByTestId('marking-save').click()
  await expect(page.getByTestId('marking-answer').locator('.el-form-item__error')).toBeVisible()
  await page.getByTestId('marking-points').fill('7.5')
  await page.getByTestId('marking-comment').fill('要点齐全，回访时限表述准确')
  const saved = page.waitForResponse((r) => r.url().includes('/api/v1/marking/answers/') && r.request().method() === 'PUT')
  await page.getByTestId('marking-save').click()
  expect((await saved).status()).toBe(200)
  await expect(page.getByTestId('marking-all-done')).toBeVisible()

  // judge2 marks far lower (by API): 5.50 apart, more than the 2.00 threshold.
  const judge2 = await apiAs(baseURL!, 'judge2', {})
  const queue = await json<{ items: { exam_id: number; questions: { question_id: number; type: string }[] }[] }>(
    await judge2.get('/api/v1/marking/queue'),
  )
  const question = queue.items.find((e) => e.exam_id === examId)!.questions.find((q) => q.type === 'short_answer')!
  const answers = await json<{ items: { id: string }[] }>(
    await judge2.get(`/api/v1/marking/exams/${examId}/questions/${question.question_id}/answers`),
  )
  expect(answers.items).toHaveLength(1)
  await json(await judge2.put(`/api/v1/marking/answers/${answers.items[0]!.id}`, { data: { points: '2.00', comment: '缺少致歉' } }))
  await judge2.dispose()

  // The chief, on a tablet held sideways: both marks side by side, a final mark with a reason.
  await page.context().clearCookies()
  await page.setViewportSize({ width: 1024, height: 768 })
  await signIn(page, 'judge3')
  await page.goto('/marking')
  await page.getByTestId(`marking-adjudicate-${examId}`).click()
  await expect(page.getByTestId('adjudication-page')).toBeVisible()
  await expect(page.getByTestId('adjudication-response')).toHaveText(SHORT_ANSWER)
  await expect(page.getByTestId('adjudication-difference')).toContainText('5.50')
  await expect(page.getByTestId('adjudication-mark-0')).toContainText(/7\.50|2\.00/)
  await expect(page.getByTestId('adjudication-mark-1')).toContainText(/7\.50|2\.00/)
  const [m0, m1] = await Promise.all([
    page.getByTestId('adjudication-mark-0').boundingBox(),
    page.getByTestId('adjudication-mark-1').boundingBox(),
  ])
  expect(Math.abs(m0!.y - m1!.y), 'the two marks side by side').toBeLessThan(5)
  await page.getByTestId('adjudication-points').fill('5.25')
  await page.getByTestId('adjudication-save').click()
  await expect(page.getByTestId('adjudication-page').locator('.el-form-item__error')).toBeVisible()
  await page.getByTestId('adjudication-reason').fill('要点基本齐全，致歉表述不足，取中间偏上')
  await page.getByTestId('adjudication-save').click()
  await expect(page.getByTestId('adjudication-none')).toBeVisible()

  // Results are shown only after the close: the chief may still correct the mark, with a reason.
  await page.getByTestId('adjudication-status-adjudicated').click()
  await expect(page.getByTestId('adjudication-chief-mark')).toContainText('5.25')
  await expect(page.getByTestId('adjudication-points')).toHaveValue('5.25')
  await page.getByTestId('adjudication-points').fill('6')
  await page.getByTestId('adjudication-save').click()
  await expect(page.getByTestId('adjudication-page').locator('.el-form-item__error')).toBeVisible()
  await page.getByTestId('adjudication-correction-reason').fill('复核时发现已说明回访时限，上调')
  const corrected = page.waitForResponse((r) => r.url().includes('/api/v1/marking/adjudications/') && r.request().method() === 'PUT')
  await page.getByTestId('adjudication-save').click()
  expect((await corrected).status()).toBe(200)
  await expect(page.getByTestId('adjudication-chief-mark')).toContainText('6.00')

  // The organiser's progress shows the answer final.
  const admin = await apiAs(baseURL!, 'admin', {})
  const progress = await json<{ questions: { type: string; final: number; adjudication: number }[] }>(
    await admin.get(`/api/v1/exams/${examId}/marking`),
  )
  expect(progress.questions.find((q) => q.type === 'short_answer')).toMatchObject({ final: 1, adjudication: 0 })
  await admin.dispose()
})
