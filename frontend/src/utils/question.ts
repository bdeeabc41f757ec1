// The question editor's model, what it sends, and the rules the server enforces
// (content/validate.go) checked in the browser first for quick feedback.
import type {
  Blank,
  Normalization,
  QuestionInput,
  QuestionOption,
  QuestionType,
  QuestionVersion,
} from '@/api/types'
import { countBlanks, syncBlanks } from './blanks'

/** The letters options take, in order. */
export const OPTION_LETTERS = 'ABCDEFGH'

/** The most options a choice question may have. */
export const MAX_OPTIONS = OPTION_LETTERS.length

/** The longest stem the server accepts, in characters. */
export const MAX_STEM = 20000

/** The longest tag, in characters. */
export const MAX_TAG = 32

/** Each type's default points, as the server fills them in. */
export const DEFAULT_POINTS: Record<QuestionType, string> = {
  single_choice: '1.00',
  multiple_choice: '2.00',
  true_false: '1.00',
  fill_blank: '2.00',
  short_answer: '5.00',
  essay: '10.00',
}

/** Fill-in answers are compared folding width, ignoring case and trimming spaces unless told otherwise. */
export const DEFAULT_NORMALIZATION: Normalization = { fold_width: true, ignore_case: true, trim_space: true }

/** Whether a type has lettered options. */
export function isChoice(type: QuestionType): boolean {
  return type === 'single_choice' || type === 'multiple_choice'
}

/** Whether a type is marked by judges against a reference answer. */
export function isSubjective(type: QuestionType): boolean {
  return type === 'short_answer' || type === 'essay'
}

/** The editor's working copy of a question. */
export interface QuestionForm {
  topic_id: number | null
  type: QuestionType
  stem: string
  options: QuestionOption[]
  /** The letters of the correct options (choice types). */
  choices: string[]
  /** The key of a true/false question; null until chosen. */
  trueAnswer: boolean | null
  /** One per gap of a fill-in stem. */
  blanks: Blank[]
  normalization: Normalization
  explanation: string
  difficulty: number
  points: string
  tags: string[]
  reference_answer: string
  rubric: string
  material_section_id: number | null
}

/** Options lettered A, B, C… in their order. */
export function letterOptions(options: readonly { text: string }[]): QuestionOption[] {
  return options.map((o, i) => ({ key: OPTION_LETTERS[i] ?? `#${i + 1}`, text: o.text }))
}

/** A blank question of a type, with four empty options for choice types. */
export function emptyForm(type: QuestionType = 'single_choice', topicId: number | null = null): QuestionForm {
  return {
    topic_id: topicId,
    type,
    stem: '',
    options: letterOptions([{ text: '' }, { text: '' }, { text: '' }, { text: '' }]),
    choices: [],
    trueAnswer: null,
    blanks: [],
    normalization: { ...DEFAULT_NORMALIZATION },
    explanation: '',
    difficulty: 3,
    points: DEFAULT_POINTS[type],
    tags: [],
    reference_answer: '',
    rubric: '',
    material_section_id: null,
  }
}

/** The editor's copy of a stored version. */
export function formFromVersion(v: QuestionVersion): QuestionForm {
  const form = emptyForm(v.type, v.topic_id)
  form.stem = v.stem
  if (isChoice(v.type)) form.options = letterOptions(v.options ?? [])
  form.choices = [...(v.key?.choices ?? [])]
  form.trueAnswer = typeof v.key?.true === 'boolean' ? v.key.true : null
  form.blanks = syncBlanks(v.key?.blanks ?? [], Math.max(countBlanks(v.stem), v.key?.blanks?.length ?? 0))
  if (v.type === 'fill_blank' && v.normalization) form.normalization = { ...v.normalization }
  form.explanation = v.explanation ?? ''
  form.difficulty = v.difficulty || 3
  form.points = v.points || DEFAULT_POINTS[v.type]
  form.tags = [...(v.tags ?? [])]
  form.reference_answer = v.reference_answer ?? ''
  form.rubric = v.rubric ?? ''
  form.material_section_id = v.material_section_id ?? null
  return form
}

/** What the editor sends for a form: only the parts of the key and options the type has. */
export function inputFromForm(form: QuestionForm): QuestionInput {
  const choice = isChoice(form.type)
  const options = choice ? letterOptions(form.options) : []
  const letters = new Set(options.map((o) => o.key))
  const key: QuestionInput['key'] = {}
  if (choice) {
    key.choices = OPTION_LETTERS.split('').filter((l) => form.choices.includes(l) && letters.has(l))
  } else if (form.type === 'true_false') {
    if (form.trueAnswer !== null) key.true = form.trueAnswer
  } else if (form.type === 'fill_blank') {
    key.blanks = form.blanks.map((b) => ({ accepted: b.accepted.map((a) => a.trim()).filter((a) => a !== '') }))
  }
  return {
    topic_id: form.topic_id ?? 0,
    type: form.type,
    stem: form.stem.trim(),
    options,
    key,
    normalization: form.type === 'fill_blank' ? { ...form.normalization } : { ...DEFAULT_NORMALIZATION },
    explanation: form.explanation.trim(),
    difficulty: form.difficulty,
    points: normalisePoints(form.points),
    tags: normaliseTags(form.tags),
    reference_answer: isSubjective(form.type) ? form.reference_answer.trim() : '',
    rubric: isSubjective(form.type) ? form.rubric.trim() : '',
    material_section_id: form.material_section_id,
  }
}

/** Tags trimmed, without empties and repeats. */
export function normaliseTags(tags: readonly string[]): string[] {
  const out: string[] = []
  for (const tag of tags) {
    const t = tag.trim()
    if (t !== '' && !out.includes(t)) out.push(t)
  }
  return out
}

/** Points as hundredths, or null when the text is not a decimal with at most two places. */
export function parsePoints(text: string): number | null {
  const match = /^\s*(\d{1,7})(?:\.(\d{0,2}))?\s*$/.exec(text)
  if (!match) return null
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'))
}

/** Points written with two decimals ("2" → "2.00"); text that is not a number is left as it is. */
export function normalisePoints(text: string): string {
  const hundredths = parsePoints(text)
  if (hundredths === null) return text.trim()
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`
}

/** The most points a question may carry, in hundredths (1000.00). */
export const MAX_POINTS = 100000

/** The fields a problem can be about. */
export type QuestionField = 'type' | 'topic_id' | 'stem' | 'options' | 'key' | 'difficulty' | 'points' | 'tags'

/** One thing wrong with a question: the field, the i18n key of the message and its values. */
export interface QuestionProblem {
  field: QuestionField
  message: string
  params?: Record<string, string | number>
}

const TYPES: readonly QuestionType[] = ['single_choice', 'multiple_choice', 'true_false', 'fill_blank', 'short_answer', 'essay']

function visibleText(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .trim()
}

function empty(html: string): boolean {
  return visibleText(html) === '' && !html.includes('<img')
}

/**
 * Every problem of a question about to be sent, in the server's words (content/validate.go):
 * a known type and a topic; a stem; difficulty 1 to 5; points above zero with at most two
 * decimals; for choice questions two to eight options, none empty, and a key naming only
 * existing options — exactly one for single choice, at least one for multiple choice; a
 * true/false key; for fill-in questions one blank per `___` in the stem, each with an
 * accepted answer; tags of at most 32 characters.
 */
export function validateQuestion(input: QuestionInput): QuestionProblem[] {
  const problems: QuestionProblem[] = []
  const add = (field: QuestionField, message: string, params?: Record<string, string | number>) =>
    problems.push(params ? { field, message, params } : { field, message })

  if (!TYPES.includes(input.type)) {
    add('type', 'questionRules.typeUnknown')
    return problems
  }
  if (!input.topic_id) add('topic_id', 'questionRules.topicRequired')
  if (empty(input.stem)) add('stem', 'questionRules.stemEmpty')
  else if ([...input.stem].length > MAX_STEM) add('stem', 'questionRules.stemTooLong', { max: MAX_STEM })
  if (!Number.isInteger(input.difficulty) || input.difficulty < 1 || input.difficulty > 5) {
    add('difficulty', 'questionRules.difficultyRange')
  }
  const points = parsePoints(input.points)
  if (points === null) add('points', 'questionRules.pointsFormat')
  else if (points <= 0 || points > MAX_POINTS) add('points', 'questionRules.pointsRange')

  switch (input.type) {
    case 'single_choice':
    case 'multiple_choice': {
      const options = input.options
      if (options.length < 2) add('options', 'questionRules.optionsTooFew')
      if (options.length > MAX_OPTIONS) add('options', 'questionRules.optionsTooMany', { max: MAX_OPTIONS })
      const have = new Set<string>()
      for (const [i, option] of options.entries()) {
        if (i < MAX_OPTIONS && option.key !== OPTION_LETTERS[i]) {
          add('options', 'questionRules.optionsGap', { key: OPTION_LETTERS[i]! })
          break
        }
        if (empty(option.text)) add('options', 'questionRules.optionEmpty', { key: option.key })
        have.add(option.key)
      }
      const choices = input.key.choices ?? []
      const seen = new Set<string>()
      for (const k of choices) {
        if (!have.has(k)) add('key', 'questionRules.keyOptionMissing', { key: k })
        if (seen.has(k)) add('key', 'questionRules.keyRepeated', { key: k })
        seen.add(k)
      }
      if (input.type === 'single_choice' && choices.length === 0) add('key', 'questionRules.singleNoKey')
      else if (input.type === 'single_choice' && choices.length > 1) add('key', 'questionRules.singleTwoKeys')
      else if (input.type === 'multiple_choice' && choices.length === 0) add('key', 'questionRules.multipleNoKey')
      break
    }
    case 'true_false':
      if (typeof input.key.true !== 'boolean') add('key', 'questionRules.trueFalseNoKey')
      if (input.options.length > 0) add('options', 'questionRules.optionsNotAllowed')
      break
    case 'fill_blank': {
      const markers = countBlanks(input.stem)
      const blanks = input.key.blanks ?? []
      if (markers === 0) add('stem', 'questionRules.blankMarkersMissing')
      else if (markers !== blanks.length) add('key', 'questionRules.blankCount', { markers, blanks: blanks.length })
      blanks.forEach((b, i) => {
        if (!b.accepted.some((a) => a.trim() !== '')) add('key', 'questionRules.blankWithoutAnswer', { blank: i + 1 })
      })
      break
    }
    case 'short_answer':
    case 'essay':
      if (input.options.length > 0) add('options', 'questionRules.optionsNotAllowed')
      break
  }
  for (const tag of input.tags) {
    if ([...tag].length > MAX_TAG) add('tags', 'questionRules.tagTooLong', { tag })
  }
  return problems
}

/** The first problem of each field, for showing under the form's fields. */
export function problemsByField(problems: readonly QuestionProblem[]): Partial<Record<QuestionField, QuestionProblem>> {
  const out: Partial<Record<QuestionField, QuestionProblem>> = {}
  for (const p of problems) out[p.field] ??= p
  return out
}

/** Adds an empty option at the end (up to eight). */
export function addOption(form: QuestionForm): void {
  if (form.options.length >= MAX_OPTIONS) return
  form.options = letterOptions([...form.options, { text: '' }])
}

/**
 * Removes an option; the options after it move up a letter, and so do the correct
 * letters, so the key keeps pointing at the same texts.
 */
export function removeOption(form: QuestionForm, index: number): void {
  if (index < 0 || index >= form.options.length) return
  const removed = OPTION_LETTERS[index]
  form.options = letterOptions(form.options.filter((_, i) => i !== index))
  form.choices = form.choices
    .filter((c) => c !== removed)
    .map((c) => {
      const at = OPTION_LETTERS.indexOf(c)
      return at > index ? OPTION_LETTERS[at - 1]! : c
    })
}

/** Moves an option up (-1) or down (+1), carrying its correct mark with it. */
export function moveOption(form: QuestionForm, index: number, delta: -1 | 1): void {
  const other = index + delta
  if (index < 0 || other < 0 || index >= form.options.length || other >= form.options.length) return
  const texts = form.options.map((o) => o.text)
  ;[texts[index], texts[other]] = [texts[other]!, texts[index]!]
  form.options = letterOptions(texts.map((text) => ({ text })))
  const a = OPTION_LETTERS[index]!
  const b = OPTION_LETTERS[other]!
  form.choices = form.choices.map((c) => (c === a ? b : c === b ? a : c))
}

/** Switches the type, keeping what the new type can use and clearing the rest of the key. */
export function changeType(form: QuestionForm, type: QuestionType): void {
  const previous = form.type
  if (previous === type) return
  if (form.points === DEFAULT_POINTS[previous]) form.points = DEFAULT_POINTS[type]
  form.type = type
  if (type === 'single_choice' && form.choices.length > 1) form.choices = form.choices.slice(0, 1)
  if (isChoice(type) && form.options.length < 2) {
    form.options = letterOptions([...form.options, { text: '' }, { text: '' }].slice(0, Math.max(2, form.options.length)))
  }
  if (type === 'fill_blank') form.blanks = syncBlanks(form.blanks, countBlanks(form.stem))
}
