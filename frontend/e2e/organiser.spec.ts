import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from '@playwright/test'
import { chooseUnit, searchUsers, signIn, signOut } from './helpers'

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures')

test('a county organiser creates and imports users in their county, sees no other county, and the new user signs in', async ({
  page,
}) => {
  await signIn(page, 'county1')
  await expect(page.getByTestId('current-user')).not.toBeEmpty()
  await expect(page.getByTestId('nav-users')).toBeVisible()
  await expect(page.getByTestId('nav-audit')).toBeVisible()

  // The org tree shows county 1 and nothing of county 2.
  await page.getByTestId('nav-org-units').click()
  await expect(page.getByTestId('org-node-C1')).toBeVisible()
  await expect(page.getByTestId('org-node-C2')).toHaveCount(0)
  await expect(page.getByTestId('org-node-R1')).toHaveCount(0)

  // Create one user by hand.
  await page.getByTestId('nav-users').click()
  await expect(page.getByTestId('users-page')).toBeVisible()
  await page.getByTestId('users-create').click()
  const dialog = page.getByTestId('user-dialog')
  await expect(dialog).toBeVisible()
  await dialog.getByTestId('user-form-username').fill('e2e_new')
  await dialog.getByTestId('user-form-name').fill('端到端新用户')
  await dialog.getByTestId('user-form-employee-no').fill('E2E0001')
  await dialog.getByTestId('user-form-phone').fill('13800000001')
  await chooseUnit(page, 'user-form-unit', 'C1')
  await dialog.getByTestId('user-form-password').fill('Newpass123')
  const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/users') && r.request().method() === 'POST')
  await dialog.getByTestId('user-form-save').click()
  expect((await created).status()).toBe(201)
  await expect(dialog).toBeHidden()
  await searchUsers(page, 'E2E0001')
  await expect(page.getByTestId('user-row-e2e_new')).toBeVisible()

  // Import three users: dry run first, then the real import.
  await page.getByTestId('users-import').click()
  const importDialog = page.getByTestId('import-dialog')
  await expect(importDialog).toBeVisible()
  await expect(importDialog.getByTestId('import-template')).toHaveAttribute('href', '/api/v1/users/import/template')
  await importDialog.locator('input[type=file]').setInputFiles(path.join(fixtures, 'users-3.xlsx'))
  await importDialog.getByTestId('import-dry-run').click()
  await expect(importDialog.getByTestId('import-check-ok')).toBeVisible()
  await expect(importDialog.getByTestId('import-would-import')).toContainText('3')
  await expect(importDialog.getByTestId('import-errors')).toHaveCount(0)
  for (const username of ['imp_a', 'imp_b', 'imp_c']) {
    await expect(importDialog.getByTestId('import-rows')).toContainText(username)
  }
  await importDialog.getByTestId('import-confirm').click()
  await expect(importDialog.getByTestId('import-result')).toBeVisible()
  await expect(importDialog.getByTestId('import-result')).toContainText('3')
  await importDialog.getByTestId('import-done').click()
  await expect(importDialog).toBeHidden()

  await searchUsers(page, 'imp_')
  for (const username of ['imp_a', 'imp_b', 'imp_c']) {
    await expect(page.getByTestId(`user-row-${username}`)).toBeVisible()
  }

  // County 2's engineers are out of sight, by search and in the unit filter.
  await searchUsers(page, 'eng011')
  await expect(page.getByTestId('users-table').locator('.el-table__body tr')).toHaveCount(0)
  await expect(page.getByTestId('users-table')).toContainText(/没有符合条件的用户|No users match/)
  await searchUsers(page, 'eng001')
  await expect(page.getByTestId('user-row-eng001')).toBeVisible()
  await page.getByTestId('users-filter-unit').click()
  await expect(page.locator('.el-select-dropdown:visible').getByTestId('unit-option-C1')).toBeVisible()
  await expect(page.locator('.el-select-dropdown:visible').getByTestId('unit-option-C2')).toHaveCount(0)
  await page.keyboard.press('Escape')

  await signOut(page)

  // The new user signs in with the password the organiser set.
  await signIn(page, 'e2e_new', 'Newpass123')
  await expect(page.getByTestId('home-welcome')).toContainText('端到端新用户')
  await expect(page.getByTestId('nav-users')).toHaveCount(0)
  await expect(page.getByTestId('nav-password')).toBeVisible()
})

test('a signed-out visitor is sent to sign in and comes back to the page asked for', async ({ page }) => {
  await page.goto('/users')
  await expect(page).toHaveURL(/\/login\?redirect=(%2F|\/)users$/)
  await page.getByTestId('login-username').fill('admin')
  await page.getByTestId('login-password').fill('demo12345')
  await page.getByTestId('login-submit').click()
  await expect(page.getByTestId('users-page')).toBeVisible()
  await expect(page).toHaveURL(/\/users$/)
})

test('a wrong password shows the server message and stays on sign-in', async ({ page }) => {
  await page.goto('/login')
  await page.getByTestId('login-username').fill('admin')
  await page.getByTestId('login-password').fill('not-the-password1')
  await page.getByTestId('login-submit').click()
  await expect(page.getByTestId('login-error')).toBeVisible()
  await expect(page.getByTestId('login-error')).not.toBeEmpty()
  await expect(page).toHaveURL(/\/login/)
})

test('a contestant is kept out of organiser pages', async ({ page }) => {
  await signIn(page, 'eng001')
  await expect(page.getByTestId('nav-users')).toHaveCount(0)
  await page.goto('/audit')
  await expect(page.getByTestId('home-page')).toBeVisible()
  await expect(page.locator('.el-message--warning')).toBeVisible()
})
