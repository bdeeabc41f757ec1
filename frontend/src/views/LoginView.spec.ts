import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import { configureApi } from '@/api'
import { i18n, setLocale } from '@/i18n'
import LoginView from './LoginView.vue'

function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } })
}

async function mountLogin(path = '/login') {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/login', name: 'login', component: LoginView },
      { path: '/', name: 'home', component: { template: '<div>home</div>' } },
      { path: '/users', name: 'users', component: { template: '<div>users</div>' } },
    ],
  })
  await router.push(path)
  await router.isReady()
  const wrapper = mount(LoginView, { global: { plugins: [router, i18n] }, attachTo: document.body })
  return { wrapper, router }
}

async function signIn(wrapper: Awaited<ReturnType<typeof mountLogin>>['wrapper'], username: string, password: string) {
  await wrapper.get('input[data-testid="login-username"]').setValue(username)
  await wrapper.get('input[data-testid="login-password"]').setValue(password)
  await wrapper.get('form').trigger('submit')
  await flushPromises()
  await new Promise((resolve) => setTimeout(resolve, 0))
  await flushPromises()
}

describe('LoginView', () => {
  const fetchMock = vi.fn<typeof fetch>()

  beforeEach(() => {
    setActivePinia(createPinia())
    fetchMock.mockReset()
    vi.stubGlobal('fetch', fetchMock)
    setLocale('zh-CN')
    configureApi({ locale: () => i18n.global.locale.value, onUnauthorized: () => {} })
  })

  afterEach(() => {
    vi.unstubAllGlobals()
    document.body.innerHTML = ''
  })

  it('shows the server message after a wrong password', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(401, { error: { code: 'unauthorized', message: '用户名或密码错误' } }))
    const { wrapper, router } = await mountLogin()
    await signIn(wrapper, 'county1', 'wrong')

    expect(wrapper.get('[data-testid="login-error"]').text()).toContain('用户名或密码错误')
    expect(router.currentRoute.value.name).toBe('login')
    const [url, init] = fetchMock.mock.calls[0]!
    expect(url).toBe('/api/v1/auth/login')
    expect(JSON.parse(init!.body as string)).toEqual({ username: 'county1', password: 'wrong' })
    expect((init!.headers as Record<string, string>)['Accept-Language']).toBe('zh-CN')
  })

  it('shows how long to wait after too many tries and blocks the button meanwhile', async () => {
    fetchMock.mockResolvedValueOnce(
      jsonResponse(429, { error: { code: 'too_many_requests', message: 'Too many attempts.' } }, { 'Retry-After': '30' }),
    )
    setLocale('en')
    const { wrapper } = await mountLogin()
    await signIn(wrapper, 'county1', 'wrong')

    const alert = wrapper.get('[data-testid="login-error"]').text()
    expect(alert).toContain('Too many attempts.')
    expect(wrapper.get('[data-testid="login-retry"]').text()).toBe('You can sign in again in 30 s')
    expect(wrapper.get('[data-testid="login-submit"]').attributes('disabled')).toBeDefined()
    wrapper.unmount()
  })

  it('goes to the page asked for after signing in', async () => {
    fetchMock.mockResolvedValueOnce(
      jsonResponse(200, {
        user: { id: 5, username: 'county1', name: '县一管理员', org_unit_id: 4, org_unit_name: '一县', grants: [] },
      }),
    )
    const { wrapper, router } = await mountLogin('/login?redirect=/users')
    await signIn(wrapper, 'county1', 'demo12345')

    expect(router.currentRoute.value.fullPath).toBe('/users')
    expect(wrapper.find('[data-testid="login-error"]').exists()).toBe(false)
  })

  it('does not call the server when a field is empty', async () => {
    const { wrapper } = await mountLogin()
    await signIn(wrapper, '', '')
    await vi.waitFor(() => expect(wrapper.text()).toContain('请输入用户名'))
    expect(wrapper.text()).toContain('请输入密码')
    expect(fetchMock).not.toHaveBeenCalled()
  })
})
