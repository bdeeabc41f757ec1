// A small text diff (longest common subsequence over words or lines) for comparing
// question versions. Chinese has no spaces, so each Han character counts as a word.

export type DiffOp = 'equal' | 'insert' | 'delete'

/** A run of text that both sides share, or that only the newer (insert) or older (delete) side has. */
export interface DiffPart {
  op: DiffOp
  text: string
}

/** Beyond this many cells of the LCS table the middle is shown as replaced instead of diffed. */
const MAX_CELLS = 4_000_000

/**
 * Splits text into diff tokens: runs of letters/digits, single CJK characters,
 * runs of white space, and single other characters (punctuation).
 */
export function wordTokens(text: string): string[] {
  return (
    text.match(
      /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]|[\p{L}\p{N}_]+|\s+|[^\p{L}\p{N}_\s]/gu,
    ) ?? []
  )
}

/** Splits text into lines, each keeping its line break. */
export function lineTokens(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? []
}

/** Merges neighbouring parts of the same kind and drops empty ones. */
function push(parts: DiffPart[], op: DiffOp, text: string): void {
  if (text === '') return
  const last = parts[parts.length - 1]
  if (last && last.op === op) last.text += text
  else parts.push({ op, text })
}

/** The diff of two token lists: what to keep, delete from `a` and insert from `b` to turn a into b. */
export function diffTokens(a: readonly string[], b: readonly string[]): DiffPart[] {
  // Common prefix and suffix need no table.
  let start = 0
  while (start < a.length && start < b.length && a[start] === b[start]) start++
  let endA = a.length
  let endB = b.length
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--
    endB--
  }

  const parts: DiffPart[] = []
  push(parts, 'equal', a.slice(0, start).join(''))

  const midA = a.slice(start, endA)
  const midB = b.slice(start, endB)
  const n = midA.length
  const m = midB.length
  if (n === 0 || m === 0 || n * m > MAX_CELLS) {
    push(parts, 'delete', midA.join(''))
    push(parts, 'insert', midB.join(''))
  } else {
    // lcs[i][j] = length of the LCS of midA[i..] and midB[j..], in one flat array.
    const width = m + 1
    const lcs = new Uint32Array((n + 1) * width)
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i * width + j] =
          midA[i] === midB[j]
            ? lcs[(i + 1) * width + j + 1]! + 1
            : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!)
      }
    }
    let i = 0
    let j = 0
    while (i < n && j < m) {
      if (midA[i] === midB[j]) {
        push(parts, 'equal', midA[i]!)
        i++
        j++
      } else if (lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!) {
        push(parts, 'delete', midA[i]!)
        i++
      } else {
        push(parts, 'insert', midB[j]!)
        j++
      }
    }
    push(parts, 'delete', midA.slice(i).join(''))
    push(parts, 'insert', midB.slice(j).join(''))
  }

  push(parts, 'equal', a.slice(endA).join(''))
  return parts
}

/** A word-level diff (Han characters one by one). */
export function diffWords(a: string, b: string): DiffPart[] {
  return diffTokens(wordTokens(a), wordTokens(b))
}

/**
 * A line-level diff. Both texts are closed with a line break first, so that a last
 * line compares equal to the same line followed by others.
 */
export function diffLines(a: string, b: string): DiffPart[] {
  const close = (text: string) => (text === '' || text.endsWith('\n') ? text : `${text}\n`)
  return diffTokens(lineTokens(close(a)), lineTokens(close(b)))
}

/** Whether a diff changes anything. */
export function hasChanges(parts: readonly DiffPart[]): boolean {
  return parts.some((p) => p.op !== 'equal')
}

/** The older (delete and equal) or newer (insert and equal) text a diff was made from. */
export function sideOf(parts: readonly DiffPart[], side: 'old' | 'new'): string {
  const skip: DiffOp = side === 'old' ? 'insert' : 'delete'
  return parts
    .filter((p) => p.op !== skip)
    .map((p) => p.text)
    .join('')
}
