import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory } from 'vue-router'
import { configureApi } from '@/api'
import type { Me, Role } from '@/api/types'
import { useSessionStore } from '@/stores/session'
import { createAppRouter, safeRedirect } from '.'

function me(...roles: Role[]): Me {
  return {
    id: 1,
    username: 'someone',
    name: 'Someone',
    org_unit_id: 4,
    org_unit_name: 'C1',
    grants: roles.map((role, i) => ({ id: i + 1, role, org_unit_id: 4, org_unit_name: 'C1' })),
  }
}

function answer(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

describe('route guards', () => {
  const fetchMock = vi.fn<typeof fetch>()

  beforeEach(() => {
    setActivePinia(createPinia())
    fetchMock.mockReset()
    vi.stubGlobal('fetch', fetchMock)
    configureApi({ locale: () => 'zh-CN', onUnauthorized: () => {} })
  })

  afterEach(() => {
    vi.unstubAllGlobals()
  })

  it('sends a signed-out visitor to sign in, remembering the page asked for', async () => {
    fetchMock.mockResolvedValue(answer(401, { error: { code: 'unauthorized', message: '请先登录' } }))
    const router = createAppRouter(createMemoryHistory())
    await router.push('/users?q=eng')
    expect(router.currentRoute.value.name).toBe('login')
    expect(router.currentRoute.value.query.redirect).toBe('/users?q=eng')
    expect(fetchMock).toHaveBeenCalledTimes(1)
    expect(String(fetchMock.mock.calls[0]![0])).toBe('/api/v1/me')
  })

  it('lets an organiser into organiser pages', async () => {
    fetchMock.mockResolvedValue(answer(200, me('organiser')))
    const router = createAppRouter(createMemoryHistory())
    await router.push('/audit')
    expect(router.currentRoute.value.name).toBe('audit')
  })

  it('sends a user without the role home instead', async () => {
    fetchMock.mockResolvedValue(answer(200, me('contestant', 'judge')))
    const router = createAppRouter(createMemoryHistory())
    await router.push('/grants')
    expect(router.currentRoute.value.name).toBe('home')
    await router.push('/password')
    expect(router.currentRoute.value.name).toBe('password')
  })

  it('asks the server who is signed in only once', async () => {
    fetchMock.mockResolvedValue(answer(200, me('organiser')))
    const router = createAppRouter(createMemoryHistory())
    await router.push('/users')
    await router.push('/org-units')
    await router.push('/')
    expect(fetchMock).toHaveBeenCalledTimes(1)
    expect(useSessionStore().me?.username).toBe('someone')
  })

  it('sends a signed-in user away from the sign-in page', async () => {
    fetchMock.mockResolvedValue(answer(200, me('contestant')))
    const router = createAppRouter(createMemoryHistory())
    await router.push('/login?redirect=/password')
    expect(router.currentRoute.value.name).toBe('password')
  })
})

describe('safeRedirect', () => {
  it('keeps paths of this app', () => {
    expect(safeRedirect('/users?q=a')).toBe('/users?q=a')
  })

  it('refuses other sites, the sign-in page itself and non-strings', () => {
    expect(safeRedirect('//evil.example/')).toBe('/')
    expect(safeRedirect('https://evil.example/')).toBe('/')
    expect(safeRedirect('/login?redirect=/x')).toBe('/')
    expect(safeRedirect(['/users'])).toBe('/')
    expect(safeRedirect(undefined)).toBe('/')
  })
})
