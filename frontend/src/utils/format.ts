// Display helpers shared by the pages.

function pad(n: number): string {
  return String(n).padStart(2, '0')
}

/** An RFC 3339 time as `YYYY-MM-DD HH:mm:ss` in the browser's time zone; '' for none. */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return ''
  const date = new Date(value)
  if (Number.isNaN(date.getTime())) return value
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  )
}

/** A JSON value pretty-printed for reading, or null when there is nothing to show. */
export function prettyJson(value: unknown): string | null {
  if (value === null || value === undefined) return null
  return JSON.stringify(value, null, 2)
}
