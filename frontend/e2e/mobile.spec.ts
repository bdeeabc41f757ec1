import { expect, test } from '@playwright/test'
import { signIn } from './helpers'

test.use({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true })

test('on a phone the navigation is a drawer behind the menu button', async ({ page }) => {
  await signIn(page, 'admin')
  await expect(page.getByTestId('nav-aside')).toHaveCount(0)
  await expect(page.getByTestId('nav-users')).toBeHidden()

  await page.getByTestId('nav-toggle').click()
  await expect(page.getByTestId('nav-users')).toBeVisible()
  await page.getByTestId('nav-users').click()

  await expect(page.getByTestId('users-page')).toBeVisible()
  await expect(page).toHaveURL(/\/users$/)
  await expect(page.getByTestId('nav-users')).toBeHidden()
  await expect(page.getByTestId('users-table').locator('.el-table__body tr').first()).toBeVisible()

  // The page itself never scrolls sideways; only the table does.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  expect(overflow).toBeLessThanOrEqual(0)
})
