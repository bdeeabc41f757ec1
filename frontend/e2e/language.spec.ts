import { expect, test } from '@playwright/test'
import { signIn } from './helpers'

test('switching to English changes the UI and the server messages, and is remembered', async ({ page }) => {
  await page.goto('/login')
  await expect(page.getByTestId('login-submit')).toHaveText('登录')

  await page.getByTestId('locale-switch').click()
  await page.getByTestId('locale-en').click()
  await expect(page.getByTestId('login-submit')).toHaveText('Sign in')
  await expect(page.locator('html')).toHaveAttribute('lang', 'en')

  // The server answers in English too.
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'))
  await page.getByTestId('login-username').fill('admin')
  await page.getByTestId('login-password').fill('wrong-password1')
  await page.getByTestId('login-submit').click()
  expect((await answered).request().headers()['accept-language']).toBe('en')
  await expect(page.getByTestId('login-error')).toBeVisible()
  await expect(page.getByTestId('login-error')).not.toContainText(/[\u4e00-\u9fff]/)

  await signIn(page, 'admin')
  await expect(page.getByTestId('nav-users')).toContainText('Users')
  await expect(page.getByTestId('nav-org-units')).toContainText('Org units')
  await expect(page.getByTestId('home-roles')).toContainText('Organiser')

  await page.reload()
  await expect(page.getByTestId('nav-audit')).toContainText('Audit trail')

  // And back to Chinese.
  await page.getByTestId('locale-switch').click()
  await page.getByTestId('locale-zh-CN').click()
  await expect(page.getByTestId('nav-audit')).toContainText('审计日志')
  await expect(page.getByTestId('home-roles')).toContainText('组织者')
})
