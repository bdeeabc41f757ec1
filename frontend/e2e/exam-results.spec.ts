// An exam's results, statistics and key corrections, against the real server with the
// demo loaded. The exam and the two engineers' attempts are made through the API (as a
// script would); the organiser then reads the results, one attempt, the statistics,
// releases the results and corrects a key, in the browser. Engineers eng051 and eng052
// only (other specs use eng001 to eng045).
import { expect, test } from '@playwright/test'
import { apiAs, json, signIn } from './helpers'

const PROVINCE_BANK = '省公司竞赛题库'
const stamp = Date.now().toString(36)
const EXAM = `E2E 成绩分析 ${stamp}`
/** What each engineer answers: item 1 and 2 single choice, item 3 true/false. */
const ANSWERS: Record<string, Record<number, unknown>> = {
  eng051: { 1: 'A', 2: 'A', 3: true },
  eng052: { 1: 'B', 2: 'C', 3: false },
}

interface StatsItem {
  position: number | null
  question_id: number
  type: string
  options: { key: string; count: number; correct: boolean }[]
}

let examId = 0
const attempts: Record<string, number> = {}

test.describe.configure({ mode: 'serial' })

test.beforeAll(async ({ baseURL }) => {
  const admin = await apiAs(baseURL!, 'admin')
  const me = await json<{ org_unit_id: number }>(await admin.get('/api/v1/me'))
  const banks = await json<{ items: { id: number; name: string }[] }>(await admin.get('/api/v1/banks'))
  const bank = banks.items.find((b) => b.name === PROVINCE_BANK)!
  const blueprint = await json<{ id: number }>(
    await admin.post('/api/v1/blueprints', {
      data: {
        org_unit_id: me.org_unit_id,
        name: `${EXAM} 组卷`,
        sections: [
          { title: '单选题', topic_id: 1, type: 'single_choice', difficulty: 0, count: 2, points_each: '5.00' },
          { title: '判断题', topic_id: 2, type: 'true_false', difficulty: 0, count: 1, points_each: '5.00' },
        ],
      },
    }),
    201,
  )
  const now = Date.now()
  const exam = await json<{ id: number }>(
    await admin.post('/api/v1/exams', {
      data: {
        org_unit_id: me.org_unit_id,
        title: EXAM,
        instructions: '三题小测。',
        kind: 'competition',
        opens_at: new Date(now - 60_000).toISOString(),
        closes_at: new Date(now + 3_600_000).toISOString(),
        duration_minutes: 30,
        grace_seconds: 30,
        blueprint_id: blueprint.id,
        bank_ids: [bank.id],
        paper_mode: 'fixed',
        shuffle_questions: false,
        shuffle_options: false,
        max_attempts: 1,
        partial_credit: false,
        results_visibility: 'manual',
      },
    }),
    201,
  )
  examId = exam.id
  const ids: number[] = []
  for (const username of Object.keys(ANSWERS)) {
    const users = await json<{ items: { id: number; username: string }[] }>(await admin.get(`/api/v1/users?q=${username}`))
    ids.push(users.items.find((u) => u.username === username)!.id)
  }
  expect((await admin.post(`/api/v1/exams/${examId}/enrolments`, { data: { user_ids: ids } })).status()).toBe(204)
  await admin.dispose()

  // Each engineer starts, answers every item and submits.
  for (const [username, answers] of Object.entries(ANSWERS)) {
    const eng = await apiAs(baseURL!, username)
    const attempt = await json<{ id: number; items: { id: number; type: string }[] }>(
      await eng.post(`/api/v1/exams/${examId}/attempts`),
      201,
    )
    expect(attempt.items.map((i) => i.type)).toEqual(['single_choice', 'single_choice', 'true_false'])
    for (const [item, response] of Object.entries(answers)) {
      await json(await eng.put(`/api/v1/attempts/${attempt.id}/answers/${item}`, { data: { response, seq: 1 } }))
    }
    await json(await eng.post(`/api/v1/attempts/${attempt.id}/submit`))
    attempts[username] = attempt.id
    // Results are released by hand: until then the contestant is told so (409 with the reason).
    const withheld = await eng.get(`/api/v1/attempts/${attempt.id}/result`)
    expect(withheld.status()).toBe(409)
    await eng.dispose()
  }
})

test('the organiser reads the results and one attempt, and releases the results the contestant then sees', async ({ page, baseURL }) => {
  test.slow()
  // The contestant's summary says why the result is not there yet.
  await signIn(page, 'eng052')
  await page.goto(`/attempts/${attempts.eng052}/summary`)
  await expect(page.getByTestId('result-pending')).toContainText('组织者发布')

  await page.context().clearCookies()
  await signIn(page, 'admin')
  await page.goto(`/exam-admin/${examId}`)
  await page.getByTestId('exam-open-results').click()
  await expect(page.getByTestId('results-page')).toBeVisible()
  await expect(page.getByTestId('results-exam-title')).toHaveText(EXAM)
  await expect(page.getByTestId('results-summary')).toContainText('2')
  for (const username of Object.keys(ANSWERS)) {
    await expect(page.getByTestId(`result-row-${username}`)).toBeVisible()
    // Every item is objective: graded at submit, final at once.
    await expect(page.getByTestId(`result-status-${username}`)).toHaveText('已定分')
    await expect(page.getByTestId(`result-score-${username}`)).toHaveText(/^\d+\.\d\d$/)
  }

  // One attempt: the contestant, the score, each item with the answer, the key and the score.
  const listed = await page.getByTestId('result-score-eng051').textContent()
  await page.getByTestId('result-row-eng051').click()
  await expect(page.getByTestId('result-detail-page')).toBeVisible()
  await expect(page.getByTestId('result-contestant')).toContainText('eng051')
  await expect(page.getByTestId('result-detail-score')).toHaveText(listed!)
  await expect(page.getByTestId('result-detail-items').locator('tbody tr.el-table__row')).toHaveCount(3)
  await expect(page.getByTestId('result-item-response-1')).toHaveText('A')
  await expect(page.getByTestId('result-item-response-3')).toHaveText('对')
  await expect(page.getByTestId('result-item-key-1')).toHaveText(/^[A-Z]$/)
  await expect(page.getByTestId('result-item-score-1')).toContainText('/ 5.00')
  await expect(page.getByTestId('result-detail-by-type')).toContainText('单选题')

  // Release, with a reason, after a confirmation.
  await page.getByTestId('result-back').click()
  await expect(page.getByTestId('results-table')).toBeVisible()
  await page.getByTestId('results-release').click()
  await expect(page.getByTestId('release-dialog')).toBeVisible()
  await page.getByTestId('release-reason').fill('阅卷完成')
  const released = page.waitForResponse((r) => r.url().endsWith(`/api/v1/exams/${examId}/results/release`))
  await page.getByTestId('release-confirm').click()
  expect((await released).status()).toBe(200)
  await expect(page.getByTestId('results-released')).toBeVisible()

  // The contestant now sees the score and its breakdown.
  const eng = await apiAs(baseURL!, 'eng052')
  const result = await json<{ score: string; items: unknown[] }>(await eng.get(`/api/v1/attempts/${attempts.eng052}/result`))
  expect(result.items).toHaveLength(3)
  await eng.dispose()
})

test('the organiser reads the statistics and corrects a key, and the page says how many attempts were regraded and changed', async ({
  page,
  baseURL,
}) => {
  test.slow()
  const admin = await apiAs(baseURL!, 'admin')
  const stats = await json<{ items: StatsItem[] }>(await admin.get(`/api/v1/exams/${examId}/statistics`))
  const first = stats.items.find((i) => i.position === 1)!
  const current = first.options.filter((o) => o.correct).map((o) => o.key)
  // eng051 chose A and eng052 B: moving the key to whichever of them is not the key changes
  // both scores when the key is A or B, and eng051's only when it is another letter.
  const newKey = current.includes('A') ? 'B' : 'A'
  const expectedChanged = current.includes('A') || current.includes('B') ? 2 : 1

  await signIn(page, 'admin')
  await page.goto(`/exam-admin/${examId}/results`)
  await page.getByTestId('results-tab-exam-admin-statistics').click()
  await expect(page.getByTestId('statistics-page')).toBeVisible()
  await expect(page.getByTestId('stat-attempts')).toHaveText('2')
  await expect(page.getByTestId('stat-n')).toHaveText('2')
  await expect(page.getByTestId('statistics-chart').locator('canvas')).toBeVisible()
  await expect(page.getByTestId('statistics-items').locator('tbody tr.el-table__row')).toHaveCount(3)
  await expect(page.getByTestId(`stat-options-${first.question_id}`)).toContainText('A')
  // Alpha with two attempts is a number or a reason why not.
  await expect(page.getByTestId('stat-alpha')).not.toBeEmpty()

  // Sorting by discrimination keeps every row.
  await page.getByTestId('statistics-items').locator('th', { hasText: '区分度' }).click()
  await expect(page.getByTestId('statistics-items').locator('tbody tr.el-table__row')).toHaveCount(3)

  // Correct the first item's key from its row.
  await page.getByTestId(`stat-correct-${first.question_id}`).click()
  await expect(page.getByTestId('key-corrections-page')).toBeVisible()
  await expect(page.getByTestId('key-current')).toHaveText(current.sort().join(', '))
  await page.getByTestId(`key-choice-${newKey}`).click()
  await page.getByTestId('key-reason').fill('专家组复核：原答案有误')
  await page.getByTestId('key-submit').click()
  const box = page.locator('.el-message-box')
  await expect(box).toContainText(newKey)
  const regraded = page.waitForResponse((r) => r.url().endsWith(`/api/v1/exams/${examId}/regrade`))
  await box.getByRole('button', { name: '更正并重新评分' }).click()
  const response = await regraded
  expect(response.status()).toBe(200)
  expect(await response.json()).toEqual({ regraded: 2, changed: expectedChanged })
  await expect(page.getByTestId('key-result')).toContainText(`已重新评分 2 份答卷，其中 ${expectedChanged} 份分数有变化`)
  await expect(page.getByTestId(`key-history-${first.question_id}`)).toBeVisible()
  await expect(page.getByTestId('key-history')).toContainText('专家组复核')
  await expect(page.getByTestId('key-current')).toHaveText(newKey)

  // The results follow the corrected key.
  const after = await json<{ items: { id: number; score: string | null; correct_key?: { choices?: string[] } }[] }>(
    await admin.get(`/api/v1/exams/${examId}/results/${attempts.eng051}`),
  )
  expect(after.items.find((i) => i.id === 1)?.correct_key?.choices).toEqual([newKey])
  await admin.dispose()
})
