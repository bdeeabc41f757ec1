// The import wizard chooses a format from the file's extension.
import type { ImportFormat } from '@/api/types'

/** Every import format, in the order the wizard lists them. */
export const IMPORT_FORMATS: readonly ImportFormat[] = ['xlsx', 'csv', 'moodlexml', 'gift', 'aiken']

/** The extensions the file picker offers. */
export const IMPORT_ACCEPT = '.xlsx,.csv,.xml,.gift,.txt'

/** The format a file name's extension implies, or null when it implies none. */
export function formatFromFileName(name: string): ImportFormat | null {
  const match = /\.([^./\\]+)$/.exec(name.trim().toLowerCase())
  switch (match?.[1]) {
    case 'xlsx':
      return 'xlsx'
    case 'csv':
      return 'csv'
    case 'xml':
      return 'moodlexml'
    case 'gift':
    case 'txt':
      return 'gift'
    default:
      return null
  }
}

/** The formats a file of this name may be read as: a text file may be GIFT or Aiken. */
export function formatsForFileName(name: string): ImportFormat[] {
  const format = formatFromFileName(name)
  if (format === 'gift') return ['gift', 'aiken']
  return format ? [format] : [...IMPORT_FORMATS]
}
