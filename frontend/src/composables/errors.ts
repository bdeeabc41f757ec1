import { ElMessage } from 'element-plus'
import { reactive } from 'vue'
import { ApiError } from '@/api'

/** Shows a failed call's message in a toast (a lost session is handled by the redirect to sign-in instead). */
export function showError(error: unknown): void {
  if (error instanceof ApiError && error.status === 401) return
  const message = error instanceof Error ? error.message : String(error)
  ElMessage.error({ message, grouping: true })
}

/**
 * Per-field server errors for a form: `set` takes an ApiError's fields (and answers
 * whether any were for this form), `clear` empties them before the next try.
 */
export function useFieldErrors<K extends string>(names: readonly K[]) {
  const errors = reactive(Object.fromEntries(names.map((n) => [n, '']))) as Record<K, string>

  function clear(): void {
    for (const name of names) errors[name] = ''
  }

  function set(error: unknown): boolean {
    clear()
    if (!(error instanceof ApiError)) return false
    let any = false
    for (const name of names) {
      const text = error.fields[name]
      if (text) {
        errors[name] = text
        any = true
      }
    }
    return any
  }

  return { errors, clear, set }
}

/** Runs a call, showing its error as a toast unless the form took the field errors. */
export function reportUnlessFieldErrors(error: unknown, fields: { set: (error: unknown) => boolean }): void {
  if (!fields.set(error)) showError(error)
}
