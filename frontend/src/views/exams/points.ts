// Points are exact decimals (API strings such as "2.50"); the browser counts them in
// hundredths, as integers, and never as floats.

const DECIMAL = /^\d{1,7}(\.\d{1,2})?$/

/** A decimal string such as "2.5" or "12.25" in hundredths (250, 1225); null when it is not one. */
export function toHundredths(text: string | null | undefined): number | null {
  const value = (text ?? '').trim()
  if (!DECIMAL.test(value)) return null
  const [whole, frac = ''] = value.split('.')
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'))
}

/** Hundredths as the API writes points: "2.50". */
export function formatHundredths(n: number): string {
  const sign = n < 0 ? '-' : ''
  const abs = Math.abs(Math.trunc(n))
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`
}

/** A points text normalised to two places ("2.5" → "2.50"); the text itself when it is not a decimal. */
export function normalisePoints(text: string): string {
  const n = toHundredths(text)
  return n === null ? text.trim() : formatHundredths(n)
}

/** Why a mark is not acceptable for an item worth `max` points, or null when it is. */
export type MarkProblem = 'required' | 'format' | 'range'

/** Checks a mark typed by a judge: an exact decimal with at most two places, from 0 to max. */
export function checkMark(text: string, max: string): MarkProblem | null {
  if (text.trim() === '') return 'required'
  const n = toHundredths(text)
  if (n === null) return 'format'
  const limit = toHundredths(max)
  if (limit !== null && n > limit) return 'range'
  return null
}

/** The exact sum of decimal strings; null when one is not a decimal. */
export function sumPoints(values: readonly string[]): string | null {
  let total = 0
  for (const v of values) {
    const n = toHundredths(v)
    if (n === null) return null
    total += n
  }
  return formatHundredths(total)
}
