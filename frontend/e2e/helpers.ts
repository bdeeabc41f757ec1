import { expect, request as playwrightRequest, type APIRequestContext, type APIResponse, type Page } from '@playwright/test'

/** The password of every demo account. */
export const DEMO_PASSWORD = 'demo12345'

/** Signs in from the sign-in page and waits for the home page. */
export async function signIn(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login')
  await page.getByTestId('login-username').fill(username)
  await page.getByTestId('login-password').fill(password)
  await page.getByTestId('login-submit').click()
  await expect(page.getByTestId('home-page')).toBeVisible()
}

/** Signs out through the user menu and waits for the sign-in page. */
export async function signOut(page: Page): Promise<void> {
  await page.getByTestId('user-menu').click()
  await page.getByTestId('menu-logout').click()
  await expect(page.getByTestId('login-submit')).toBeVisible()
}

/** Chooses a unit (by code) in an org unit tree select. */
export async function chooseUnit(page: Page, selectTestId: string, code: string): Promise<void> {
  await page.getByTestId(selectTestId).click()
  await page.locator('.el-select-dropdown:visible').getByTestId(`unit-option-${code}`).click()
}

/** Searches the user list for a text and waits for the list to answer. */
export async function searchUsers(page: Page, text: string): Promise<void> {
  const answered = page.waitForResponse(
    (r) => r.url().includes('/api/v1/users?') && r.url().includes(`q=${encodeURIComponent(text)}`),
  )
  await page.getByTestId('users-filter-q').fill(text)
  await page.getByTestId('users-search').click()
  await answered
}

/**
 * A signed-in API client of its own (cookie jar, no browser Origin), as a
 * script would use; it asks for Chinese messages unless told otherwise.
 */
export async function apiAs(
  baseURL: string,
  username: string,
  extraHTTPHeaders: Record<string, string> = { 'Accept-Language': 'zh-CN' },
): Promise<APIRequestContext> {
  const ctx = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders })
  const response = await ctx.post('/api/v1/auth/login', { data: { username, password: DEMO_PASSWORD } })
  expect(response.status(), `sign-in of ${username}`).toBe(200)
  return ctx
}

/** Expects an API answer's status (200 unless given) and reads its JSON. */
export async function json<T>(response: APIResponse, status = 200): Promise<T> {
  expect(response.status(), await response.text()).toBe(status)
  return (await response.json()) as T
}
