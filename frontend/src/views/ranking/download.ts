// Downloads an export in the UI's language: a plain link would send the browser's own
// Accept-Language, so the file is fetched with the app's, then saved under the name
// the server gave it. A refusal (nothing published, a font missing) comes back as an
// ApiError with the server's message instead of a page of JSON.
import { errorFromResponse } from '@/api/client'
import { currentLocale } from '@/i18n'

/** The file name of a Content-Disposition header (RFC 6266: filename* wins over filename). */
export function dispositionName(header: string | null, fallback: string): string {
  if (!header) return fallback
  const star = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header)
  if (star) {
    try {
      return decodeURIComponent(star[2]!.trim())
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;]+)/i.exec(header)
  const name = plain?.[1] ?? plain?.[2]?.trim()
  return name || fallback
}

/** Fetches `url` and saves it; throws ApiError when the server refuses. */
export async function download(url: string, fallbackName: string): Promise<string> {
  const response = await fetch(url, { credentials: 'same-origin', headers: { 'Accept-Language': currentLocale() } })
  if (!response.ok) throw await errorFromResponse(response)
  const name = dispositionName(response.headers.get('Content-Disposition'), fallbackName)
  const blob = await response.blob()
  const a = document.createElement('a')
  a.href = URL.createObjectURL(blob)
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000)
  return name
}
