import { expect, test, type Page } from '@playwright/test'
import { chooseUnit, searchUsers, signIn } from './helpers'

async function confirmBox(page: Page): Promise<void> {
  await page.locator('.el-message-box').getByRole('button').last().click()
}

test('an organiser creates, renames and deletes a unit, and cannot delete one with users', async ({ page }) => {
  await signIn(page, 'county1')
  await page.getByTestId('nav-org-units').click()
  await expect(page.getByTestId('org-node-C1')).toBeVisible()

  await page.getByTestId('org-add-C1').click()
  const dialog = page.getByTestId('org-dialog')
  await dialog.getByTestId('org-form-name').fill('城区一班')
  await dialog.getByTestId('org-form-code').fill('C1-E2E')
  await dialog.getByTestId('org-form-save').click()
  await expect(page.locator('.el-message--success')).toBeVisible()
  await expect(page.getByTestId('org-node-C1-E2E')).toContainText('城区一班')

  await page.getByTestId('org-edit-C1-E2E').click()
  await dialog.getByTestId('org-form-name').fill('城区二班')
  await dialog.getByTestId('org-form-save').click()
  await expect(page.getByTestId('org-node-C1-E2E')).toContainText('城区二班')

  // County 1 has users, so the server refuses to delete it and says why.
  await page.getByTestId('org-delete-C1').click()
  await confirmBox(page)
  await expect(page.locator('.el-message--error')).toBeVisible()
  await expect(page.getByTestId('org-node-C1')).toBeVisible()

  await page.getByTestId('org-delete-C1-E2E').click()
  await confirmBox(page)
  await expect(page.getByTestId('org-node-C1-E2E')).toHaveCount(0)
})

test('an organiser disables and re-enables a user, and resets a password', async ({ page }) => {
  await signIn(page, 'county1')
  await page.getByTestId('nav-users').click()
  await searchUsers(page, 'eng002')
  const row = page.getByTestId('users-table').locator('.el-table__body tr').filter({ hasText: 'eng002' }).first()
  await expect(row).toContainText('正常')

  await page.getByTestId('user-more-eng002').click()
  await page.getByTestId('user-toggle-eng002').click()
  await confirmBox(page)
  await expect(row).toContainText('已停用')

  await page.getByTestId('user-more-eng002').click()
  await page.getByTestId('user-toggle-eng002').click()
  await confirmBox(page)
  await expect(row).toContainText('正常')

  await page.getByTestId('user-more-eng002').click()
  await page.getByTestId('user-reset-eng002').click()
  await page.getByTestId('reset-password-input').fill('Reset12345')
  const reset = page.waitForResponse((r) => r.url().endsWith('/password') && r.request().method() === 'POST')
  await page.getByTestId('reset-password-save').click()
  expect((await reset).status()).toBe(204)
  await expect(page.getByTestId('reset-password-dialog')).toBeHidden()
})

test('an organiser grants a role, sees it listed, and revokes it', async ({ page }) => {
  await signIn(page, 'county1')
  await page.getByTestId('nav-grants').click()
  await expect(page.getByTestId('grants-page')).toBeVisible()

  await page.getByTestId('grants-add').click()
  const dialog = page.getByTestId('grant-dialog')
  await dialog.getByTestId('grant-form-user').click()
  await page.keyboard.type('eng003')
  await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: 'eng003' }).click()
  await dialog.getByTestId('grant-form-role').click()
  await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: '评委' }).click()
  await chooseUnit(page, 'grant-form-unit', 'C1')
  const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/grants') && r.request().method() === 'POST')
  await dialog.getByTestId('grant-form-save').click()
  expect((await created).status()).toBe(201)

  await page.getByTestId('grants-filter-q').fill('eng003')
  await page.getByTestId('grants-search').click()
  const judgeRow = page.getByTestId('grants-table').locator('.el-table__body tr').filter({ hasText: '评委' })
  await expect(judgeRow).toHaveCount(1)
  await judgeRow.getByRole('button').click()
  await confirmBox(page)
  await expect(judgeRow).toHaveCount(0)
  await expect(page.getByTestId('grants-table').locator('.el-table__body tr').filter({ hasText: '选手' })).toHaveCount(1)
})

test('the audit trail lists changes and verifies its chain', async ({ page }) => {
  await signIn(page, 'admin')
  await page.getByTestId('nav-audit').click()
  await expect(page.getByTestId('audit-table').locator('.el-table__body tr').first()).toBeVisible()
  await page.getByTestId('audit-verify').click()
  await expect(page.getByTestId('audit-verify-ok')).toBeVisible()

  await page.getByTestId('audit-table').locator('.el-table__expand-icon').first().click()
  await expect(page.getByTestId('audit-table').locator('pre.json').first()).toBeVisible()
})
