// The contestant's exam pages against the real server with the demo loaded:
// answers survive a lost network and a reload, the countdown is the server's,
// the page submits at the deadline, a second browser is locked out.
import { expect, test, type APIRequestContext, type Page } from '@playwright/test'
import { DEMO_PASSWORD, signIn } from './helpers'

/** The demo's always-open mock exam, which every demo engineer can start. */
const MOCK_EXAM = '日常模拟练习（全主题）'
const PROVINCE_BANK = '省公司竞赛题库'

interface Attempt {
  id: number
  exam_id: number
  status: string
  remaining_seconds: number
  deadline: string
  submitted_at: string | null
  submitted_by: string
  items: { id: number; type: string }[]
  answers: { item_id: number; response: unknown; seq: number }[]
}

/** The attempt as the server holds it, asked with the page's own session (and device). */
async function serverAttempt(page: Page, id: number): Promise<Attempt> {
  const response = await page.request.get(`/api/v1/attempts/${id}`)
  expect(response.status()).toBe(200)
  return (await response.json()) as Attempt
}

/** The id of an exam in the caller's list, by title. */
async function examId(page: Page, title: string): Promise<number> {
  const response = await page.request.get('/api/v1/exams?open=true')
  expect(response.status()).toBe(200)
  const body = (await response.json()) as { items: { id: number; title: string }[] }
  const exam = body.items.find((e) => e.title === title)
  expect(exam, `exam ${title} in the open list`).toBeTruthy()
  return exam!.id
}

/** Starts an exam from "My exams" through the instructions dialog and answers the attempt id. */
async function startFromMyExams(page: Page, title: string, graceSeconds: number): Promise<number> {
  const id = await examId(page, title)
  // From the home page's card, which every screen width shows (the menu folds away on a tablet).
  await page.goto('/')
  await page.getByTestId('home-card-my-exams').click()
  await expect(page.getByTestId('my-exams-page')).toBeVisible()
  await page.getByTestId(`exam-start-${id}`).click()
  await expect(page.getByTestId('exam-start-dialog').getByTestId('exam-grace')).toContainText(String(graceSeconds))
  await page.getByTestId('exam-start-confirm').click()
  await expect(page).toHaveURL(/\/attempts\/\d+$/)
  await expect(page.getByTestId('exam-page')).toHaveAttribute('data-phase', 'running')
  return Number(/\/attempts\/(\d+)/.exec(page.url())![1])
}

/**
 * Answers the question on screen, whatever its type, with a variant `n`, and
 * answers the response the server should then hold.
 */
async function answerCurrent(page: Page, n: number): Promise<unknown> {
  const question = page.locator('[data-testid^="exam-question-"]')
  const type = await question.getAttribute('data-type')
  const letter = ['A', 'B', 'C'][n % 3]!
  switch (type) {
    case 'single_choice':
      await question.getByTestId(`qv-option-${letter}`).click()
      return letter
    case 'multiple_choice':
      await question.getByTestId('qv-option-A').click()
      await question.getByTestId('qv-option-B').click()
      return ['A', 'B']
    case 'true_false':
      await question.getByTestId(n % 2 ? 'qv-false' : 'qv-true').click()
      return n % 2 === 0
    case 'fill_blank': {
      const blanks = question.locator('input[data-testid^="qv-blank-"]')
      const count = await blanks.count()
      const values: string[] = []
      for (let i = 0; i < count; i++) {
        values.push(`答案${n}-${i + 1}`)
        await blanks.nth(i).fill(values[i]!)
      }
      return values
    }
    default:
      await question.getByTestId('qv-text').fill(`第 ${n} 题的作答：先核对工单，再联系客户。`)
      return `第 ${n} 题的作答：先核对工单，再联系客户。`
  }
}

/** The number of the question on screen, from 1. */
async function currentItemId(page: Page): Promise<number> {
  const testId = await page.locator('[data-testid^="exam-question-"]').getAttribute('data-testid')
  return Number(testId!.replace('exam-question-', ''))
}

async function countdownSeconds(page: Page): Promise<number> {
  return Number(await page.getByTestId('exam-countdown').getAttribute('data-remaining'))
}

/** An API client signed in as someone, without a browser (scripts need no Origin header). */
async function apiAs(request: APIRequestContext, username: string): Promise<void> {
  const response = await request.post('/api/v1/auth/login', { data: { username, password: DEMO_PASSWORD } })
  expect(response.status()).toBe(200)
}

test('answers given offline survive a reload and reach the server when the network returns; the countdown stays the server’s', async ({
  page,
  context,
}) => {
  test.slow()
  await page.setViewportSize({ width: 1366, height: 768 })
  await signIn(page, 'eng011')
  const attemptId = await startFromMyExams(page, MOCK_EXAM, 30)

  // The exam page brings in the service worker, which keeps the app and the attempt.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null)

  // One answer online: saved, and written into the attempt the worker keeps.
  const expected = new Map<number, unknown>()
  expected.set(await currentItemId(page), await answerCurrent(page, 0))
  await expect(page.getByTestId('exam-save-state')).toHaveAttribute('data-state', 'saved')
  await expect
    .poll(
      () =>
        page.evaluate(async (id) => {
          const kept = await caches.match(`/api/v1/attempts/${id}`)
          const attempt = kept ? ((await kept.json()) as { answers: { seq: number }[] }) : null
          return !!(await caches.match('/')) && (attempt?.answers.some((a) => a.seq > 0) ?? false)
        }, attemptId),
      { timeout: 15_000 },
    )
    .toBe(true)

  // The network goes: three more answers are kept in the browser.
  await context.setOffline(true)
  for (let n = 1; n <= 3; n++) {
    await page.getByTestId('exam-next').click()
    expected.set(await currentItemId(page), await answerCurrent(page, n))
  }
  await expect(page.getByTestId('exam-offline')).toBeVisible()
  await expect(page.getByTestId('exam-save-summary')).toHaveAttribute('data-waiting', '3')
  await expect(page.getByTestId('exam-save-state')).toHaveAttribute('data-state', 'queued')
  const beforeReload = await countdownSeconds(page)

  // Reload with the network still down: the page comes back from what the browser kept.
  await page.reload()
  await expect(page.getByTestId('exam-page')).toHaveAttribute('data-phase', 'running')
  await expect(page.getByTestId('exam-offline')).toBeVisible()

  // The server has only the first answer; the page shows all four, from IndexedDB.
  const partial = await serverAttempt(page, attemptId)
  const offlineIds = [...expected.keys()].slice(1)
  for (const id of offlineIds) {
    expect(partial.answers.find((a) => a.item_id === id)?.seq ?? 0, `item ${id} not yet on the server`).toBe(0)
  }
  for (let position = 1; position <= 4; position++) {
    await expect(page.getByTestId(`exam-nav-${position}`)).toHaveAttribute('data-answered', 'true')
  }

  // The countdown continues from the server's time: not reset to the full hour.
  const afterReload = await countdownSeconds(page)
  expect(afterReload).toBeLessThanOrEqual(beforeReload)
  expect(Math.abs(afterReload - partial.remaining_seconds)).toBeLessThanOrEqual(3)
  expect(afterReload).toBeLessThan(3600)

  // The network returns: the queue replays in order and everything reaches the server.
  await context.setOffline(false)
  await expect
    .poll(
      async () => {
        const a = await serverAttempt(page, attemptId)
        return [...expected.keys()].map((id) => a.answers.find((x) => x.item_id === id)?.response ?? null)
      },
      { timeout: 40_000, intervals: [1000] },
    )
    .toEqual([...expected.values()])
  await expect(page.getByTestId('exam-save-summary')).toHaveAttribute('data-waiting', '0')
  await expect(page.getByTestId('exam-offline')).toBeHidden()

  // Nothing overflows a laptop screen.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  expect(overflow).toBeLessThanOrEqual(0)
})

test('keyboard, flags, focus losses, the invigilator’s message, the submit dialog listing unanswered questions; a second browser is locked out; fits a tablet', async ({
  page,
  browser,
  request,
}) => {
  test.slow()
  await page.setViewportSize({ width: 768, height: 1024 })
  await signIn(page, 'eng013')
  const attemptId = await startFromMyExams(page, MOCK_EXAM, 30)

  // Tablet: the navigator folds behind a button; nothing is wider than the screen.
  await expect(page.getByTestId('exam-nav-toggle')).toBeVisible()
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0)

  // Keys: → moves on, F flags, ← moves back.
  await page.getByTestId('exam-pane').focus()
  await expect(page.getByTestId('exam-position')).toContainText('1')
  await page.keyboard.press('ArrowRight')
  await expect(page.getByTestId('exam-position')).toContainText('2')
  await page.keyboard.press('f')
  await expect(page.getByTestId('exam-flag')).toHaveAttribute('aria-pressed', 'true')
  await page.keyboard.press('PageUp')
  await expect(page.getByTestId('exam-position')).toContainText('1')
  // A number key answers a choice question.
  const type = await page.locator('[data-testid^="exam-question-"]').getAttribute('data-type')
  if (type === 'single_choice' || type === 'multiple_choice' || type === 'true_false') {
    await page.keyboard.press('1')
    await expect(page.getByTestId('exam-nav-1')).toHaveAttribute('data-answered', 'true')
  } else {
    await answerCurrent(page, 0)
  }
  await page.getByTestId('exam-nav-toggle').click()
  await expect(page.getByTestId('exam-nav-2')).toHaveAttribute('data-flagged', 'true')
  await page.getByTestId('exam-nav-toggle').click()
  await expect(page.getByTestId('exam-save-state')).toHaveAttribute('data-state', 'saved')

  // Leaving the page counts as a focus loss, reported by the next heartbeat; the
  // invigilator's message comes back with one and shows as a notification.
  await apiAs(request, 'admin')
  const examIdOfAttempt = await serverAttempt(page, attemptId)
  const text = `请注意：还剩 ${Date.now() % 1000} 分钟`
  const sent = await request.post(`/api/v1/exams/${examIdOfAttempt.exam_id}/messages`, { data: { text } })
  expect(sent.status(), await sent.text()).toBe(201)
  await page.evaluate(() => {
    window.dispatchEvent(new Event('blur'))
    window.dispatchEvent(new Event('focus'))
    // Coming back to the page sends a heartbeat at once (instead of within 15 s).
    document.dispatchEvent(new Event('visibilitychange'))
  })
  await expect(page.locator('.exam-message-notice')).toContainText(text)
  await page.getByTestId('exam-nav-toggle').click()
  await expect(page.getByTestId('exam-messages')).toContainText(text)
  await page.getByTestId('exam-nav-toggle').click()
  await expect
    .poll(async () => {
      const monitor = await (await request.get(`/api/v1/exams/${examIdOfAttempt.exam_id}/monitor`)).json()
      return monitor.rows.find((r: { username: string }) => r.username === 'eng013')?.focus_losses
    })
    .toBeGreaterThanOrEqual(1)

  // Another browser (another device) cannot open the same attempt.
  const other = await browser.newContext()
  const second = await other.newPage()
  await signIn(second, 'eng013')
  await second.goto(`/attempts/${attemptId}`)
  await expect(second.getByTestId('exam-locked')).toBeVisible()
  await other.close()

  // Submitting lists the unanswered questions; question 2 is one of them.
  await page.getByTestId('exam-submit').click()
  const dialog = page.getByTestId('exam-submit-dialog')
  await expect(dialog.getByTestId('exam-submit-unanswered-2')).toBeVisible()
  await expect(dialog.getByTestId('exam-submit-unanswered-1')).toHaveCount(0)
  await page.getByTestId('exam-submit-confirm').click()
  await expect(page).toHaveURL(new RegExp(`/attempts/${attemptId}/summary`))
  await expect(page.getByTestId('exam-submitted-notice')).toBeVisible()
  await expect(page.getByTestId('result-score').or(page.getByTestId('result-pending'))).toBeVisible()
})

/** Creates, as the province organiser, a one-minute exam with 5 s of grace and enrols one engineer. */
async function createShortExam(request: APIRequestContext, username: string, title: string): Promise<void> {
  await apiAs(request, 'admin')
  const me = await (await request.get('/api/v1/me')).json()
  const banks = (await (await request.get('/api/v1/banks')).json()) as { items: { id: number; name: string }[] }
  const bank = banks.items.find((b) => b.name === PROVINCE_BANK)!
  const blueprint = await request.post('/api/v1/blueprints', {
    data: {
      org_unit_id: me.org_unit_id,
      name: `${title} 组卷`,
      sections: [
        { title: '单选题', topic_id: 1, type: 'single_choice', difficulty: 0, count: 2, points_each: '5.00' },
        { title: '判断题', topic_id: 2, type: 'true_false', difficulty: 0, count: 1, points_each: '5.00' },
      ],
    },
  })
  expect(blueprint.status(), await blueprint.text()).toBe(201)
  const now = Date.now()
  const exam = await request.post('/api/v1/exams', {
    data: {
      org_unit_id: me.org_unit_id,
      title,
      instructions: '一分钟小测。',
      kind: 'competition',
      opens_at: new Date(now - 60_000).toISOString(),
      closes_at: new Date(now + 3_600_000).toISOString(),
      duration_minutes: 1,
      grace_seconds: 5,
      blueprint_id: (await blueprint.json()).id,
      bank_ids: [bank.id],
      paper_mode: 'drawn',
      shuffle_questions: false,
      shuffle_options: false,
      max_attempts: 1,
      partial_credit: false,
      results_visibility: 'immediately',
    },
  })
  expect(exam.status(), await exam.text()).toBe(201)
  const users = (await (await request.get(`/api/v1/users?q=${username}`)).json()) as {
    items: { id: number; username: string }[]
  }
  const user = users.items.find((u) => u.username === username)!
  const enrolled = await request.post(`/api/v1/exams/${(await exam.json()).id}/enrolments`, {
    data: { user_ids: [user.id] },
  })
  expect(enrolled.status(), await enrolled.text()).toBe(204)
}

test('at the deadline the page saves, submits by itself and says that time is up', async ({ page, request }) => {
  test.setTimeout(180_000)
  const title = `一分钟小测 ${Date.now()}`
  await createShortExam(request, 'eng012', title)

  await signIn(page, 'eng012')
  const attemptId = await startFromMyExams(page, title, 5)
  expect(await countdownSeconds(page)).toBeLessThanOrEqual(60)
  // Under a minute from the start: the one-minute warning shows at once.
  await expect(page.getByTestId('exam-time-warning')).toBeVisible()
  const answer = await answerCurrent(page, 1)
  const itemId = await currentItemId(page)
  await expect(page.getByTestId('exam-save-state')).toHaveAttribute('data-state', 'saved')

  await expect(page).toHaveURL(new RegExp(`/attempts/${attemptId}/summary\\?reason=timeup`), { timeout: 100_000 })
  await expect(page.getByTestId('exam-timeup-notice')).toBeVisible()
  await expect(page.getByTestId('summary-submitted-at')).not.toBeEmpty()

  const done = await serverAttempt(page, attemptId)
  expect(done.status).toBe('submitted')
  // The page submitted (within the grace, before the sweeper), stamped no later than the deadline.
  expect(done.submitted_by).toBe('contestant')
  expect(Date.parse(done.submitted_at!)).toBeLessThanOrEqual(Date.parse(done.deadline))
  expect(done.answers.find((a) => a.item_id === itemId)?.response).toEqual(answer)
})

