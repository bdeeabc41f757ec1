import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test, type Page } from '@playwright/test'
import { signIn, signOut } from './helpers'

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures')

/** The demo's banks: one of the province, usable everywhere, and one of county C2 (临湖). */
const PROVINCE_BANK = '省公司竞赛题库'
const COUNTY_BANK = '临湖县局练习题库'

/** Calls the API from inside the page, with its session and origin, and answers the status and body. */
async function api(page: Page, method: string, url: string, body?: unknown): Promise<{ status: number; body: any }> {
  return page.evaluate(
    async ({ method, url, body }) => {
      const response = await fetch(url, {
        method,
        headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      const text = await response.text()
      return { status: response.status, body: text ? JSON.parse(text) : null }
    },
    { method, url, body },
  )
}

/** Opens the bank browser of a bank by its name, from the bank list. */
async function openBank(page: Page, name: string): Promise<void> {
  await page.getByTestId('nav-banks').click()
  await expect(page.getByTestId('banks-page')).toBeVisible()
  await page.getByTestId('banks-list').getByText(name, { exact: true }).click()
  await expect(page.getByTestId('bank-title')).toHaveText(name)
}

/** Searches the open bank for a text and waits for the list to answer. */
async function searchQuestions(page: Page, text: string): Promise<void> {
  const answered = page.waitForResponse(
    (r) => r.url().includes('/api/v1/questions?') && r.url().includes(`q=${encodeURIComponent(text)}`),
  )
  await page.getByTestId('questions-filter-q').fill(text)
  await page.getByTestId('questions-search').click()
  await answered
}

test('an author imports questions after fixing a bad row, edits one, and only another author can approve it', async ({
  page,
}) => {
  // A long story across two accounts: give it three times the usual time on a busy machine.
  test.slow()
  await signIn(page, 'author1')
  await expect(page.getByTestId('nav-review')).toBeVisible()
  await openBank(page, PROVINCE_BANK)

  // The counts of approved questions are there for the demo bank.
  await expect(page.getByTestId('counts-table')).toBeVisible()

  // Import: the workbook with a bad row is refused with its row and column.
  // (questions-*.xlsx hold the rows of the .csv files beside them.)
  await page.getByTestId('questions-import').click()
  const dialog = page.getByTestId('qimport-dialog')
  await expect(dialog).toBeVisible()
  await expect(dialog.getByTestId('qimport-template')).toHaveAttribute('href', '/api/v1/questions/import/template')
  await expect(dialog.getByTestId('qimport-bank')).toContainText(PROVINCE_BANK)
  await dialog.locator('input[type=file]').setInputFiles(path.join(fixtures, 'questions-bad.xlsx'))
  await expect(dialog.getByTestId('qimport-format')).toContainText('Excel')
  const dryRun = page.waitForResponse(
    (r) => r.url().includes('/api/v1/questions/import?') && r.url().includes('dry_run=true') && r.url().includes('format=xlsx'),
  )
  await dialog.getByTestId('qimport-dry-run').click()
  expect((await dryRun).status()).toBe(200)
  await expect(dialog.getByTestId('qimport-check-failed')).toBeVisible()
  const errorRows = dialog.getByTestId('qimport-errors').locator('.el-table__body tr')
  await expect(errorRows).toHaveCount(1)
  const cells = errorRows.first().locator('td')
  await expect(cells.nth(0)).toHaveText('3')
  await expect(cells.nth(1)).toHaveText('H')
  await expect(cells.nth(3)).not.toBeEmpty()
  await expect(dialog.getByTestId('qimport-confirm')).toBeDisabled()

  // The corrected file passes the dry run and imports.
  await dialog.locator('input[type=file]').setInputFiles(path.join(fixtures, 'questions-good.xlsx'))
  await expect(dialog.getByTestId('qimport-check')).toHaveCount(0)
  await dialog.getByTestId('qimport-dry-run').click()
  await expect(dialog.getByTestId('qimport-check-ok')).toBeVisible()
  await expect(dialog.getByTestId('qimport-would-import')).toContainText('3')
  await expect(dialog.getByTestId('qimport-errors')).toHaveCount(0)
  await expect(dialog.getByTestId('qimport-preview').locator('.el-table__body tr')).toHaveCount(3)
  await expect(dialog.getByTestId('qimport-preview')).toContainText('光猫 LOS 指示灯')
  await expect(dialog.getByTestId('qimport-confirm')).toBeEnabled()
  const imported = page.waitForResponse((r) => r.url().includes('/api/v1/questions/import?') && r.url().includes('dry_run=false'))
  await dialog.getByTestId('qimport-confirm').click()
  expect((await imported).status()).toBe(200)
  await expect(dialog.getByTestId('qimport-result')).toContainText('3')
  await dialog.getByTestId('qimport-done').click()
  await expect(dialog).toBeHidden()

  // The imported questions are drafts in the bank.
  await searchQuestions(page, '【端到端】')
  const rows = page.getByTestId('questions-table').locator('.el-table__body tr')
  await expect(rows).toHaveCount(3)
  await expect(page.getByTestId('questions-table').locator('[data-status="draft"]')).toHaveCount(3)

  // Export uses the current filters.
  const exportHref = await page.getByTestId('export-xlsx').getAttribute('href')
  expect(exportHref).toContain('/api/v1/questions/export?')
  expect(exportHref).toContain('format=xlsx')
  expect(exportHref).toContain('q=')
  const exported = await page.request.get(exportHref!)
  expect(exported.status()).toBe(200)

  // Edit the LOS question: a new version appears in its history.
  await searchQuestions(page, '【端到端】光猫')
  await expect(rows).toHaveCount(1)
  await rows.first().locator('a').first().click()
  await expect(page.getByTestId('question-detail')).toBeVisible()
  const questionId = Number(/\/questions\/(\d+)/.exec(page.url())![1])
  await expect(page.getByTestId('q-detail-version')).toHaveText('v1')
  await page.getByTestId('q-action-edit').click()
  await expect(page.getByTestId('question-editor')).toBeVisible()
  await expect(page.getByTestId('q-stem')).toHaveValue(/光猫 LOS 指示灯红色常亮/)
  await page.getByTestId('q-stem').fill('【端到端】光猫 LOS 指示灯红色闪烁或常亮，通常表示：')
  await expect(page.getByTestId('q-preview').getByTestId('qv-stem')).toHaveText('【端到端】光猫 LOS 指示灯红色闪烁或常亮，通常表示：')
  const saved = page.waitForResponse((r) => r.url().endsWith(`/api/v1/questions/${questionId}`) && r.request().method() === 'PUT')
  await page.getByTestId('q-save').click()
  expect((await saved).status()).toBe(200)
  await expect(page.getByTestId('question-detail')).toBeVisible()
  await expect(page.getByTestId('q-detail-version')).toHaveText('v2')
  await expect(page.getByTestId('q-detail-status')).toHaveAttribute('data-status', 'draft')

  await page.getByRole('tab', { name: /版本历史/ }).click()
  await expect(page.getByTestId('history-row-2')).toBeVisible()
  await expect(page.getByTestId('history-row-1')).toBeVisible()
  const diff = page.getByTestId('diff-view')
  await expect(diff.getByTestId('diff-field-stem')).toBeVisible()
  await expect(diff.getByTestId('diff-field-stem').locator('ins')).toContainText('闪烁或')

  // Submit for review: the author may not approve their own edit.
  await page.getByTestId('q-action-submit').click()
  await expect(page.getByTestId('q-detail-status')).toHaveAttribute('data-status', 'in_review')
  await expect(page.getByTestId('q-own-edit')).toContainText('你编辑的，需由他人审核')
  await expect(page.getByTestId('q-action-approve')).toHaveCount(0)
  const refused = await api(page, 'POST', `/api/v1/questions/${questionId}/transitions`, { action: 'approve', comment: '' })
  expect(refused.status).toBe(403)
  expect(refused.body.error.code).toBe('forbidden')
  expect(refused.body.error.message).not.toBe('')

  // In the review queue it is marked as their own and offers no approval.
  await page.getByTestId('nav-review').click()
  await expect(page.getByTestId('review-page')).toBeVisible()
  await expect(page.getByTestId(`review-row-${questionId}`)).toBeVisible()
  await expect(page.getByTestId(`review-own-${questionId}`)).toHaveText('你编辑的，需由他人审核')
  await expect(page.getByTestId(`review-approve-${questionId}`)).toHaveCount(0)
  await signOut(page)

  // Another author approves it from the review queue.
  await signIn(page, 'author2')
  await page.getByTestId('nav-review').click()
  await expect(page.getByTestId(`review-row-${questionId}`)).toBeVisible()
  await expect(page.getByTestId(`review-own-${questionId}`)).toHaveCount(0)
  const approved = page.waitForResponse((r) => r.url().endsWith(`/api/v1/questions/${questionId}/transitions`))
  await page.getByTestId(`review-approve-${questionId}`).click()
  expect((await approved).status()).toBe(200)
  await expect(page.getByTestId(`review-row-${questionId}`)).toHaveCount(0)

  await page.goto(`/questions/${questionId}`)
  await expect(page.getByTestId('q-detail-status')).toHaveAttribute('data-status', 'approved')
  await expect(page.getByTestId('events-list').getByTestId('event-approve')).toBeVisible()
  await expect(page.getByTestId('q-action-retire')).toBeVisible()
})

test('the editor previews the question live as a contestant will see it, without the key', async ({ page }) => {
  test.slow()
  await signIn(page, 'author1')
  await openBank(page, PROVINCE_BANK)
  await page.getByTestId('questions-new').click()
  await expect(page.getByTestId('question-editor')).toBeVisible()
  const preview = page.getByTestId('q-preview')

  // Single choice: stem and options appear in the preview as they are typed.
  await page.getByTestId('q-stem').fill('【预览】千兆宽带用户测速')
  await expect(preview.getByTestId('qv-stem')).toHaveText('【预览】千兆宽带用户测速')
  await page.getByTestId('q-stem').pressSequentially('，应优先使用：')
  await expect(preview.getByTestId('qv-stem')).toHaveText('【预览】千兆宽带用户测速，应优先使用：')
  await page.getByTestId('q-option-A').fill('无线终端')
  await page.getByTestId('q-option-B').fill('有线直连的千兆网口电脑')
  await expect(preview.getByTestId('qv-option-A')).toContainText('无线终端')
  await expect(preview.getByTestId('qv-option-B')).toContainText('有线直连的千兆网口电脑')
  await page.getByTestId('q-correct-B').click()
  // The key is not shown: no option of the preview is marked.
  await expect(preview.locator('.is-chosen')).toHaveCount(0)

  // An uploaded image goes into the stem and shows in the preview.
  const uploaded = page.waitForResponse((r) => r.url().endsWith('/api/v1/assets') && r.request().method() === 'POST')
  await page.getByTestId('q-stem-editor').locator('input[type=file]').setInputFiles({
    name: 'dot.gif',
    mimeType: 'image/gif',
    buffer: Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64'),
  })
  expect((await uploaded).status()).toBe(201)
  await expect(page.getByTestId('q-stem')).toHaveValue(/<img src="\/api\/v1\/assets\/[0-9a-f]+"/)
  await expect(preview.getByTestId('qv-stem').locator('img')).toHaveAttribute('src', /^\/api\/v1\/assets\//)

  // Saving without a topic and with empty options is refused in the browser, field by field.
  await page.getByTestId('q-save').click()
  await expect(page.locator('.el-form-item__error').filter({ hasText: '请选择主题' })).toBeVisible()
  await expect(page.locator('.el-form-item__error').filter({ hasText: '选项 C 不能为空' })).toBeVisible()

  // Fill in the blank: each ___ becomes a box in the preview, and a blank to answer in the editor.
  await page.getByTestId('q-type').click()
  await page.getByTestId('q-type-fill_blank').click()
  await page.getByTestId('q-stem').fill('【预览】GPON 的下行速率约为 ___ Gbit/s，上行约为 ___ Gbit/s。')
  await expect(preview.getByTestId('qv-blank-0')).toBeVisible()
  await expect(preview.getByTestId('qv-blank-1')).toBeVisible()
  await expect(preview.getByTestId('qv-type')).toHaveText('填空题')
  await expect(page.getByTestId('q-blank-1')).toBeVisible()

  // Back to a choice question, completed and saved.
  await page.getByTestId('q-type').click()
  await page.getByTestId('q-type-single_choice').click()
  await page.getByTestId('q-stem').fill('【预览】千兆宽带用户测速，应优先使用：')
  await page.getByTestId('q-option-C').fill('手机 4G 网络')
  await page.getByTestId('q-option-D').fill('任意浏览器插件')
  await page.getByTestId('q-topic').click()
  await page.locator('.el-select-dropdown:visible').getByTestId('topic-option-maintenance').click()
  await expect(preview.getByTestId('qv-option-D')).toContainText('任意浏览器插件')
  const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/questions') && r.request().method() === 'POST')
  await page.getByTestId('q-save').click()
  expect((await created).status()).toBe(201)
  await expect(page.getByTestId('question-detail')).toBeVisible()
  await expect(page.getByTestId('q-key')).toHaveText('B')
})

test('a county organiser sees the province bank but not another county’s, and reads without editing', async ({ page }) => {
  await signIn(page, 'county1')
  await expect(page.getByTestId('nav-banks')).toBeVisible()
  await expect(page.getByTestId('nav-topics')).toBeVisible()
  await expect(page.getByTestId('nav-review')).toHaveCount(0)
  await page.getByTestId('nav-banks').click()
  const list = page.getByTestId('banks-list')
  await expect(list.getByText(PROVINCE_BANK, { exact: true })).toBeVisible()
  await expect(list.getByText(COUNTY_BANK, { exact: true })).toHaveCount(0)
  const banks = await api(page, 'GET', '/api/v1/banks')
  expect(banks.status).toBe(200)
  const names = (banks.body.items as { name: string }[]).map((b) => b.name)
  expect(names).toContain(PROVINCE_BANK)
  expect(names).not.toContain(COUNTY_BANK)

  // The province bank is read-only for a county organiser: questions can be read, not written.
  await list.getByText(PROVINCE_BANK, { exact: true }).click()
  await expect(page.getByTestId('questions-table').locator('.el-table__body tr').first()).toBeVisible()
  await expect(page.getByTestId('questions-import')).toHaveCount(0)
  await expect(page.getByTestId('questions-new')).toHaveCount(0)

  // The topic tree is readable, but only the province's organisers change it.
  await page.getByTestId('nav-topics').click()
  await expect(page.getByTestId('topic-node-maintenance')).toBeVisible()
  await expect(page.getByTestId('topic-add-maintenance')).toHaveCount(0)
})

test('an author writes a study material article with sections, and it reads with a table of contents', async ({ page }) => {
  await signIn(page, 'author1')
  await page.getByTestId('nav-materials').click()
  await page.getByTestId('material-new').click()
  await expect(page.getByTestId('material-editor')).toBeVisible()
  await page.getByTestId('material-form-title').fill('【端到端】光猫更换作业指导')
  await page.getByTestId('material-form-topic').click()
  await page.locator('.el-select-dropdown:visible').getByTestId('topic-option-maintenance').click()
  await page.getByTestId('material-form-summary').fill('更换光猫前后的检查与回单要求。')
  await page.getByTestId('material-section-title-0').fill('更换后的检查')
  await page.getByTestId('material-section-body-0').fill('<p>确认 PON 灯常亮、LOS 灯熄灭。</p>')
  await page.getByTestId('material-add-section').click()
  await page.getByTestId('material-section-title-1').fill('更换前的准备')
  await page.getByTestId('material-section-body-1').fill('<ul><li>核对 LOID</li><li>备好新光猫</li></ul>')
  // The preparation comes first: move it up.
  await page.getByTestId('material-form-section-1').getByRole('button', { name: '上移' }).click()
  await expect(page.getByTestId('material-section-title-0')).toHaveValue('更换前的准备')
  const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/materials') && r.request().method() === 'POST')
  await page.getByTestId('material-save').click()
  expect((await saved).status()).toBe(201)

  await expect(page.getByTestId('material-reader')).toBeVisible()
  await expect(page.getByTestId('material-title')).toHaveText('【端到端】光猫更换作业指导')
  await expect(page.getByTestId('material-toc-1')).toHaveText('更换前的准备')
  await expect(page.getByTestId('material-toc-2')).toHaveText('更换后的检查')
  await expect(page.getByTestId('material-section-1').locator('li')).toHaveCount(2)
  await expect(page.getByTestId('material-section-2')).toContainText('LOS 灯熄灭')
  await expect(page.getByTestId('material-edit')).toBeVisible()
})

test('an engineer opens a study material article and jumps through its contents', async ({ page }) => {
  await signIn(page, 'eng001')
  await expect(page.getByTestId('nav-banks')).toHaveCount(0)
  await page.getByTestId('nav-materials').click()
  await expect(page.getByTestId('materials-page')).toBeVisible()
  const first = page.getByTestId('materials-list').locator('[data-testid^="material-card-"]').first()
  await expect(first).toBeVisible()
  const title = (await first.locator('.item-title').textContent())!.trim()
  await first.click()
  await expect(page.getByTestId('material-reader')).toBeVisible()
  await expect(page.getByTestId('material-title')).toHaveText(title)
  await expect(page.getByTestId('material-toc')).toBeVisible()
  await expect(page.getByTestId('material-section-1')).toBeVisible()
  await expect(page.getByTestId('material-section-1').locator('h2')).not.toBeEmpty()
  await expect(page.getByTestId('material-edit')).toHaveCount(0)
  await page.getByTestId('material-toc-2').click()
  await expect(page.getByTestId('material-section-2')).toBeInViewport()
})

test.describe('on a phone', () => {
  test.use({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true })

  test('the bank browser, a question, the editor and the reader fit the screen', async ({ page }) => {
    await signIn(page, 'author1')
    const banks = await api(page, 'GET', '/api/v1/banks')
    const bank = (banks.body.items as { id: number; name: string }[]).find((b) => b.name === PROVINCE_BANK)!
    const questions = await api(page, 'GET', `/api/v1/questions?bank_id=${bank.id}&page_size=1`)
    const question = questions.body.items[0] as { id: number }
    const materials = await api(page, 'GET', '/api/v1/materials')
    const material = materials.body.items[0] as { id: number }

    for (const [path, testid] of [
      [`/banks/${bank.id}`, 'questions-table'],
      [`/questions/${question.id}`, 'question-view'],
      [`/questions/${question.id}/edit`, 'q-preview'],
      ['/materials', 'materials-list'],
      [`/materials/${material.id}`, 'material-section-1'],
    ] as const) {
      await page.goto(path)
      await expect(page.getByTestId(testid).first()).toBeVisible()
      // The page itself never scrolls sideways; only wide tables do, inside their box.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      expect(overflow, path).toBeLessThanOrEqual(0)
    }
  })
})
