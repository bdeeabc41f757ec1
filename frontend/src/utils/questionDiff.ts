// Compares two versions of a question field by field, as text.
import type { Normalization, QuestionKey, QuestionOption, QuestionType, QuestionVersion } from '@/api/types'
import { diffLines, diffWords, hasChanges, type DiffPart } from './diff'
import { htmlToText } from './html'

/** The fields a version diff shows, in order. */
export const DIFF_FIELDS = [
  'type',
  'topic',
  'stem',
  'options',
  'key',
  'normalization',
  'explanation',
  'difficulty',
  'points',
  'tags',
  'reference_answer',
  'rubric',
] as const

export type DiffField = (typeof DIFF_FIELDS)[number]

/** How values are worded in a diff (in the UI language). */
export interface DiffWording {
  typeName: (type: QuestionType) => string
  topicName: (id: number) => string
  trueLabel: string
  falseLabel: string
  imageLabel: string
  normalization: (n: Normalization) => string
}

/** One field that differs between two versions. */
export interface FieldDiff {
  field: DiffField
  parts: DiffPart[]
}

function optionsText(options: readonly QuestionOption[], image: string): string {
  return options.map((o) => `${o.key}. ${htmlToText(o.text, image).replace(/\n+/g, ' ')}`).join('\n')
}

function keyText(type: QuestionType, key: QuestionKey | undefined, w: DiffWording): string {
  if (!key) return ''
  if (type === 'true_false') return key.true === undefined ? '' : key.true ? w.trueLabel : w.falseLabel
  if (type === 'fill_blank') return (key.blanks ?? []).map((b, i) => `${i + 1}. ${b.accepted.join(' | ')}`).join('\n')
  return (key.choices ?? []).join(', ')
}

/** Every field of a version as text. */
export function versionFields(v: QuestionVersion, w: DiffWording): Record<DiffField, string> {
  return {
    type: w.typeName(v.type),
    topic: w.topicName(v.topic_id),
    stem: htmlToText(v.stem, w.imageLabel),
    options: optionsText(v.options ?? [], w.imageLabel),
    key: keyText(v.type, v.key, w),
    normalization: v.type === 'fill_blank' && v.normalization ? w.normalization(v.normalization) : '',
    explanation: htmlToText(v.explanation, w.imageLabel),
    difficulty: String(v.difficulty),
    points: v.points,
    tags: (v.tags ?? []).join(', '),
    reference_answer: htmlToText(v.reference_answer, w.imageLabel),
    rubric: htmlToText(v.rubric, w.imageLabel),
  }
}

/** Options and keys diff by line when they span several lines; everything else word by word. */
const BY_LINE: ReadonlySet<DiffField> = new Set<DiffField>(['options', 'key'])

/** The fields that differ from `older` to `newer`, each with its diff. */
export function diffVersions(older: QuestionVersion, newer: QuestionVersion, w: DiffWording): FieldDiff[] {
  const a = versionFields(older, w)
  const b = versionFields(newer, w)
  const out: FieldDiff[] = []
  for (const field of DIFF_FIELDS) {
    if (a[field] === b[field]) continue
    const multiline = a[field].includes('\n') || b[field].includes('\n')
    const parts = BY_LINE.has(field) && multiline ? diffLines(a[field], b[field]) : diffWords(a[field], b[field])
    if (hasChanges(parts)) out.push({ field, parts })
  }
  return out
}
