import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError, apiUrl, configureApi, parseRetryAfter, request, upload } from './client'

function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  })
}

describe('request', () => {
  const fetchMock = vi.fn<typeof fetch>()
  const onUnauthorized = vi.fn()
  let locale = 'zh-CN'

  beforeEach(() => {
    fetchMock.mockReset()
    onUnauthorized.mockReset()
    locale = 'zh-CN'
    vi.stubGlobal('fetch', fetchMock)
    configureApi({ locale: () => locale, onUnauthorized, fallbackMessage: (s) => `failed ${s}` })
  })

  afterEach(() => {
    vi.unstubAllGlobals()
  })

  function sent(index = 0): { url: string; init: RequestInit; headers: Record<string, string> } {
    const [url, init] = fetchMock.mock.calls[index]!
    return { url: String(url), init: init!, headers: init!.headers as Record<string, string> }
  }

  it('sends the UI language as Accept-Language and follows a switch', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(200, { id: 1 }))
    fetchMock.mockResolvedValueOnce(jsonResponse(200, { id: 1 }))
    await request('GET', '/me')
    locale = 'en'
    await request('GET', '/me')
    expect(sent(0).headers['Accept-Language']).toBe('zh-CN')
    expect(sent(1).headers['Accept-Language']).toBe('en')
  })

  it('sends same-origin credentials, the /api/v1 prefix and a JSON body', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(201, { id: 7, name: 'C7' }))
    const unit = await request<{ id: number }>('POST', '/org-units', { body: { parent_id: 1, name: 'C7', code: 'C7' } })
    expect(unit).toEqual({ id: 7, name: 'C7' })
    const { url, init, headers } = sent()
    expect(url).toBe('/api/v1/org-units')
    expect(init.method).toBe('POST')
    expect(init.credentials).toBe('same-origin')
    expect(headers['Content-Type']).toBe('application/json')
    expect(JSON.parse(init.body as string)).toEqual({ parent_id: 1, name: 'C7', code: 'C7' })
  })

  it('sends multipart bodies without setting Content-Type itself', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(200, { imported: 3, skipped: 0, errors: [] }))
    const form = new FormData()
    form.append('file', new Blob(['a,b']), 'users.csv')
    await request('POST', '/users/import', { query: { dry_run: true }, form })
    const { url, init, headers } = sent()
    expect(url).toBe('/api/v1/users/import?dry_run=true')
    expect(init.body).toBe(form)
    expect(headers['Content-Type']).toBeUndefined()
  })

  it('answers undefined for 204', async () => {
    fetchMock.mockResolvedValueOnce(new Response(null, { status: 204 }))
    await expect(request('POST', '/auth/logout')).resolves.toBeUndefined()
  })

  it('throws ApiError with the server code, message and fields', async () => {
    fetchMock.mockResolvedValueOnce(
      jsonResponse(422, {
        error: {
          code: 'invalid',
          message: '请求有误',
          fields: { old_password: '当前密码不正确', new_password: '至少 8 位' },
        },
      }),
    )
    const error = await request('POST', '/me/password', { body: {} }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({
      status: 422,
      code: 'invalid',
      message: '请求有误',
      fields: { old_password: '当前密码不正确', new_password: '至少 8 位' },
      retryAfter: null,
    })
  })

  it('gives empty fields when the server sends none', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(409, { error: { code: 'conflict', message: '单位下还有用户' } }))
    const error = (await request('DELETE', '/org-units/4').catch((e: unknown) => e)) as ApiError
    expect(error.code).toBe('conflict')
    expect(error.message).toBe('单位下还有用户')
    expect(error.fields).toEqual({})
  })

  it('reads Retry-After on 429', async () => {
    fetchMock.mockResolvedValueOnce(
      jsonResponse(429, { error: { code: 'too_many_requests', message: '尝试次数过多' } }, { 'Retry-After': '42' }),
    )
    const error = (await request('POST', '/auth/login', { body: {} }).catch((e: unknown) => e)) as ApiError
    expect(error.status).toBe(429)
    expect(error.code).toBe('too_many_requests')
    expect(error.retryAfter).toBe(42)
  })

  it('falls back to a code from the status and a local message when the body is not JSON', async () => {
    fetchMock.mockResolvedValueOnce(new Response('<html>Bad gateway</html>', { status: 502 }))
    const error = (await request('GET', '/users').catch((e: unknown) => e)) as ApiError
    expect(error.status).toBe(502)
    expect(error.code).toBe('internal')
    expect(error.message).toBe('failed 502')
    fetchMock.mockResolvedValueOnce(new Response('', { status: 413 }))
    const tooBig = (await request('POST', '/users/import').catch((e: unknown) => e)) as ApiError
    expect(tooBig.code).toBe('payload_too_large')
  })

  it('turns a network failure into ApiError status 0', async () => {
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'))
    const error = (await request('GET', '/me').catch((e: unknown) => e)) as ApiError
    expect(error).toBeInstanceOf(ApiError)
    expect(error.status).toBe(0)
    expect(error.code).toBe('network')
    expect(error.message).toBe('failed 0')
  })

  it('calls the sign-in redirect hook on 401 from any endpoint but sign-in', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(401, { error: { code: 'unauthorized', message: '请先登录' } }))
    await expect(request('GET', '/users')).rejects.toBeInstanceOf(ApiError)
    expect(onUnauthorized).toHaveBeenCalledTimes(1)
    expect(onUnauthorized.mock.calls[0]![0]).toMatchObject({ status: 401, message: '请先登录' })
  })

  it('does not redirect on a wrong password at sign-in', async () => {
    fetchMock.mockResolvedValueOnce(
      jsonResponse(401, { error: { code: 'unauthorized', message: '用户名或密码错误' } }),
    )
    const error = (await request('POST', '/auth/login', { body: {} }).catch((e: unknown) => e)) as ApiError
    expect(error.message).toBe('用户名或密码错误')
    expect(onUnauthorized).not.toHaveBeenCalled()
  })

  it('does not redirect when the caller asked to handle 401 itself', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(401, { error: { code: 'unauthorized', message: 'x' } }))
    await expect(request('GET', '/me', { skipAuthRedirect: true })).rejects.toBeInstanceOf(ApiError)
    expect(onUnauthorized).not.toHaveBeenCalled()
  })

  it('does not call the hook for other errors', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(403, { error: { code: 'forbidden', message: 'no' } }))
    await expect(request('GET', '/audit')).rejects.toMatchObject({ status: 403, code: 'forbidden' })
    expect(onUnauthorized).not.toHaveBeenCalled()
  })
})

describe('apiUrl', () => {
  it('leaves out empty query values and encodes the rest', () => {
    expect(apiUrl('/users', { q: '张 三', org_unit_id: 4, active: false, page: 1, x: '', y: null, z: undefined })).toBe(
      '/api/v1/users?q=%E5%BC%A0+%E4%B8%89&org_unit_id=4&active=false&page=1',
    )
    expect(apiUrl('/me')).toBe('/api/v1/me')
  })
})

describe('parseRetryAfter', () => {
  it('reads seconds', () => {
    expect(parseRetryAfter('30')).toBe(30)
    expect(parseRetryAfter(' 5 ')).toBe(5)
  })

  it('reads an HTTP date as seconds from now', () => {
    const now = Date.parse('2026-11-24T10:00:00Z')
    expect(parseRetryAfter('Tue, 24 Nov 2026 10:01:30 GMT', now)).toBe(90)
    expect(parseRetryAfter('Tue, 24 Nov 2026 09:00:00 GMT', now)).toBe(0)
  })

  it('answers null for none or nonsense', () => {
    expect(parseRetryAfter(null)).toBeNull()
    expect(parseRetryAfter('')).toBeNull()
    expect(parseRetryAfter('soon')).toBeNull()
  })
})

/** A stand-in for XMLHttpRequest that answers what a test scripts. */
class FakeXhr {
  static last: FakeXhr | null = null
  method = ''
  url = ''
  headers: Record<string, string> = {}
  body: unknown = null
  status = 0
  responseText = ''
  responseHeaders: Record<string, string> = {}
  private listeners: Record<string, (() => void)[]> = {}
  private uploadListeners: Record<string, ((e: ProgressEvent) => void)[]> = {}
  upload = {
    addEventListener: (type: string, fn: (e: ProgressEvent) => void) => {
      ;(this.uploadListeners[type] ??= []).push(fn)
    },
  }

  constructor() {
    FakeXhr.last = this
  }

  open(method: string, url: string) {
    this.method = method
    this.url = url
  }

  setRequestHeader(name: string, value: string) {
    this.headers[name] = value
  }

  getResponseHeader(name: string): string | null {
    return this.responseHeaders[name] ?? null
  }

  addEventListener(type: string, fn: () => void) {
    ;(this.listeners[type] ??= []).push(fn)
  }

  send(body: unknown) {
    this.body = body
  }

  abort() {
    this.fire('abort')
  }

  progress(loaded: number, total: number, lengthComputable = true) {
    for (const fn of this.uploadListeners.progress ?? []) fn({ loaded, total, lengthComputable } as ProgressEvent)
  }

  answer(status: number, body: unknown, headers: Record<string, string> = {}) {
    this.status = status
    this.responseText = body === undefined ? '' : JSON.stringify(body)
    this.responseHeaders = headers
    this.fire('load')
  }

  fire(type: string) {
    for (const fn of this.listeners[type] ?? []) fn()
  }
}

describe('upload', () => {
  const onUnauthorized = vi.fn()

  beforeEach(() => {
    onUnauthorized.mockReset()
    FakeXhr.last = null
    vi.stubGlobal('XMLHttpRequest', FakeXhr)
    configureApi({ locale: () => 'en', onUnauthorized, fallbackMessage: (s) => `failed ${s}` })
  })

  afterEach(() => {
    vi.unstubAllGlobals()
  })

  function form(): FormData {
    const f = new FormData()
    f.append('file', new Blob(['题型,主题']), 'q.csv')
    return f
  }

  it('sends the form with the query and language, reports progress and answers the JSON', async () => {
    const seen: (number | null)[] = []
    const body = form()
    const pending = upload<{ imported: number }>('POST', '/questions/import', {
      query: { format: 'csv', bank_id: 3, dry_run: true },
      form: body,
      onProgress: (f) => seen.push(f),
    })
    const xhr = FakeXhr.last!
    expect(xhr.method).toBe('POST')
    expect(xhr.url).toBe('/api/v1/questions/import?format=csv&bank_id=3&dry_run=true')
    expect(xhr.headers['Accept-Language']).toBe('en')
    expect(xhr.body).toBe(body)
    xhr.progress(50, 200)
    xhr.progress(200, 200)
    xhr.progress(10, 0, false)
    xhr.answer(200, { imported: 3 })
    await expect(pending).resolves.toEqual({ imported: 3 })
    expect(seen).toEqual([0.25, 1, null])
  })

  it('turns an error answer into an ApiError with the server fields', async () => {
    const pending = upload('POST', '/questions/import', { form: form() })
    FakeXhr.last!.answer(413, { error: { code: 'payload_too_large', message: 'Too big', fields: { file: 'max 20 MB' } } })
    const error = await pending.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ status: 413, code: 'payload_too_large', message: 'Too big', fields: { file: 'max 20 MB' } })
  })

  it('reports a lost session and a network failure like request does', async () => {
    const lost = upload('POST', '/assets', { form: form() })
    FakeXhr.last!.answer(401, { error: { code: 'unauthorized', message: 'Sign in' } })
    await expect(lost).rejects.toMatchObject({ status: 401 })
    expect(onUnauthorized).toHaveBeenCalledTimes(1)

    const offline = upload('POST', '/assets', { form: form() })
    FakeXhr.last!.fire('error')
    await expect(offline).rejects.toMatchObject({ status: 0, code: 'network', message: 'failed 0' })
  })

  it('rejects with an AbortError when aborted', async () => {
    const controller = new AbortController()
    const pending = upload('POST', '/assets', { form: form(), signal: controller.signal })
    controller.abort()
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' })
  })
})
