// The HTTP layer every API call goes through: it sends the UI language, keeps the
// session cookie same-origin, and turns every failure into an ApiError.

/** The error codes the server answers with, plus `network` for a request that never got an answer. */
export type ApiErrorCode =
  | 'invalid'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'deadline_passed'
  | 'stale_write'
  | 'payload_too_large'
  | 'too_many_requests'
  | 'internal'
  | 'network'

/** A failed API call: the HTTP status and the server's error body. */
export class ApiError extends Error {
  readonly status: number
  readonly code: ApiErrorCode | string
  readonly fields: Record<string, string>
  /** Seconds to wait before trying again (from Retry-After), when the server said so. */
  readonly retryAfter: number | null

  constructor(init: {
    status: number
    code: ApiErrorCode | string
    message: string
    fields?: Record<string, string>
    retryAfter?: number | null
  }) {
    super(init.message)
    this.name = 'ApiError'
    this.status = init.status
    this.code = init.code
    this.fields = init.fields ?? {}
    this.retryAfter = init.retryAfter ?? null
  }
}

export const API_BASE = '/api/v1'

/** The sign-in endpoint: its 401 means a wrong password, not a lost session. */
const LOGIN_PATH = '/auth/login'

interface ClientConfig {
  /** The UI language, sent as Accept-Language so that server messages come back in it. */
  locale: () => string
  /** Called when the session is gone (401 on anything but sign-in). */
  onUnauthorized: (error: ApiError) => void
  /** Text for failures that carry no server message. */
  fallbackMessage: (status: number) => string
}

const config: ClientConfig = {
  locale: () => 'zh-CN',
  onUnauthorized: () => {},
  fallbackMessage: (status) => (status === 0 ? 'Network error' : `HTTP ${status}`),
}

/** Sets how the client learns the language, reacts to a lost session and words failures without a message. */
export function configureApi(options: Partial<ClientConfig>): void {
  Object.assign(config, options)
}

export type Query = Record<string, string | number | boolean | null | undefined>

export interface RequestOptions {
  query?: Query
  /** A JSON body. */
  body?: unknown
  /** A multipart body (file uploads). */
  form?: FormData
  /** Do not call onUnauthorized on 401 (used by the session probe at start, which routes by itself). */
  skipAuthRedirect?: boolean
  signal?: AbortSignal
}

/** Builds `/api/v1/path?query`, leaving out empty query values. */
export function apiUrl(path: string, query?: Query): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue
    params.append(key, String(value))
  }
  const qs = params.toString()
  return `${API_BASE}${path}${qs ? `?${qs}` : ''}`
}

/** Reads Retry-After as seconds: either a number of seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null || value.trim() === '') return null
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed)
  const at = Date.parse(trimmed)
  if (Number.isNaN(at)) return null
  return Math.max(0, Math.ceil((at - now) / 1000))
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function codeForStatus(status: number): ApiErrorCode {
  switch (status) {
    case 400:
    case 422:
      return 'invalid'
    case 401:
      return 'unauthorized'
    case 403:
      return 'forbidden'
    case 404:
      return 'not_found'
    case 409:
      return 'conflict'
    case 413:
      return 'payload_too_large'
    case 429:
      return 'too_many_requests'
    default:
      return 'internal'
  }
}

/** Turns a non-2xx response into an ApiError, reading the server's `{"error":{...}}` body when there is one. */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  let body: unknown = null
  try {
    const text = await response.text()
    body = text ? JSON.parse(text) : null
  } catch {
    body = null
  }
  const err = isRecord(body) && isRecord(body.error) ? body.error : null
  const fields: Record<string, string> = {}
  if (err && isRecord(err.fields)) {
    for (const [key, value] of Object.entries(err.fields)) {
      if (typeof value === 'string') fields[key] = value
    }
  }
  const message =
    err && typeof err.message === 'string' && err.message !== ''
      ? err.message
      : config.fallbackMessage(response.status)
  return new ApiError({
    status: response.status,
    code: err && typeof err.code === 'string' ? err.code : codeForStatus(response.status),
    message,
    fields,
    retryAfter: parseRetryAfter(response.headers.get('Retry-After')),
  })
}

/** Sends one API request and answers the decoded JSON (undefined for 204), or throws ApiError. */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': config.locale(),
  }
  let body: BodyInit | undefined
  if (options.form) {
    body = options.form
  } else if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(options.body)
  }

  let response: Response
  try {
    response = await fetch(apiUrl(path, options.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    })
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause
    throw new ApiError({ status: 0, code: 'network', message: config.fallbackMessage(0) })
  }

  if (!response.ok) {
    const error = await errorFromResponse(response)
    if (error.status === 401 && path !== LOGIN_PATH && !options.skipAuthRedirect) config.onUnauthorized(error)
    throw error
  }
  if (response.status === 204) return undefined as T
  const text = await response.text()
  return (text ? JSON.parse(text) : undefined) as T
}

/** Options of an upload that reports its progress. */
export interface UploadOptions {
  query?: Query
  form: FormData
  /** Called as the body goes out with the fraction sent (0 to 1), or null when the size is unknown. */
  onProgress?: (fraction: number | null) => void
  signal?: AbortSignal
}

/**
 * Sends a multipart body with XMLHttpRequest, whose upload events (unlike fetch's)
 * tell how much of a large file has gone out; answers and fails exactly as `request`.
 */
export function upload<T>(method: string, path: string, options: UploadOptions): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open(method, apiUrl(path, options.query))
    xhr.setRequestHeader('Accept', 'application/json')
    xhr.setRequestHeader('Accept-Language', config.locale())
    if (options.onProgress) {
      const report = options.onProgress
      xhr.upload.addEventListener('progress', (event) => {
        report(event.lengthComputable && event.total > 0 ? Math.min(1, event.loaded / event.total) : null)
      })
    }
    const abort = () => xhr.abort()
    options.signal?.addEventListener('abort', abort)
    const done = () => options.signal?.removeEventListener('abort', abort)
    xhr.addEventListener('load', () => {
      done()
      void settle(xhr, path).then(resolve as (value: unknown) => void, reject)
    })
    xhr.addEventListener('error', () => {
      done()
      reject(new ApiError({ status: 0, code: 'network', message: config.fallbackMessage(0) }))
    })
    xhr.addEventListener('abort', () => {
      done()
      reject(new DOMException('The upload was aborted', 'AbortError'))
    })
    xhr.send(options.form)
  })
}

async function settle(xhr: XMLHttpRequest, path: string): Promise<unknown> {
  const text = xhr.responseText
  if (xhr.status >= 200 && xhr.status < 300) {
    return text ? JSON.parse(text) : undefined
  }
  if (xhr.status < 200 || xhr.status > 599) {
    throw new ApiError({ status: 0, code: 'network', message: config.fallbackMessage(0) })
  }
  const headers = new Headers()
  const retryAfter = xhr.getResponseHeader('Retry-After')
  if (retryAfter !== null) headers.set('Retry-After', retryAfter)
  const error = await errorFromResponse(new Response(text, { status: xhr.status, headers }))
  if (error.status === 401 && path !== LOGIN_PATH) config.onUnauthorized(error)
  throw error
}

/** Shorthands for the HTTP methods. */
export const http = {
  get: <T>(path: string, query?: Query, options?: Omit<RequestOptions, 'query'>) =>
    request<T>('GET', path, { ...options, query }),
  post: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'body'>) =>
    request<T>('POST', path, { ...options, body }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  delete: <T = void>(path: string) => request<T>('DELETE', path),
}
