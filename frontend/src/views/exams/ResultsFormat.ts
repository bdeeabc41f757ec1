// What the results, statistics and key-correction pages compute: answers and keys as
// text, how a score stands against its points, statistics with their warning cues,
// sorting with the blanks last, the histogram's chart option and a key typed by hand.
import type { ExamStatisticsBin, ExamStatisticsItem, QuestionKey, QuestionType } from '@/api/types'
import { toHundredths } from './points'

/** The words the texts are made of, in the UI language. */
export interface AnswerWording {
  true: string
  false: string
  /** No answer. */
  none: string
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string')
}

/** Letters sorted, joined: ["C","A"] → "A, C". */
function letters(values: readonly string[]): string {
  return [...values].sort((a, b) => a.localeCompare(b)).join(', ')
}

/**
 * A contestant's answer as one line: the letter(s) chosen, true or false, each blank
 * numbered, or the text written; `none` when left empty.
 */
export function responseText(type: QuestionType, response: unknown, w: AnswerWording): string {
  if (response === null || response === undefined || response === '') return w.none
  switch (type) {
    case 'single_choice':
      return typeof response === 'string' ? response : JSON.stringify(response)
    case 'multiple_choice':
      if (isStringArray(response)) return response.length ? letters(response) : w.none
      return JSON.stringify(response)
    case 'true_false':
      if (typeof response === 'boolean') return response ? w.true : w.false
      return JSON.stringify(response)
    case 'fill_blank':
      if (isStringArray(response)) {
        if (response.every((v) => v.trim() === '')) return w.none
        return response.map((v, i) => `(${i + 1}) ${v.trim() === '' ? '—' : v}`).join('  ')
      }
      return JSON.stringify(response)
    default:
      if (typeof response === 'string') return response.trim() === '' ? w.none : response
      return JSON.stringify(response)
  }
}

/** A key as one line: letters, true or false, or each blank's accepted answers ("a / b"). */
export function keyText(type: QuestionType, key: QuestionKey | null | undefined, w: AnswerWording): string {
  if (!key) return '—'
  switch (type) {
    case 'single_choice':
    case 'multiple_choice':
      return key.choices?.length ? letters(key.choices) : '—'
    case 'true_false':
      return key.true === undefined || key.true === null ? '—' : key.true ? w.true : w.false
    case 'fill_blank':
      return key.blanks?.length ? key.blanks.map((b, i) => `(${i + 1}) ${b.accepted.join(' / ')}`).join('  ') : '—'
    default:
      return '—'
  }
}

/** How an item's score stands against its points. */
export type ScoreState = 'full' | 'partial' | 'zero' | 'pending'

export function scoreState(score: string | null, points: string): ScoreState {
  if (score === null) return 'pending'
  const got = toHundredths(score)
  const max = toHundredths(points)
  if (got === null || max === null) return 'partial'
  if (got <= 0) return 'zero'
  return got >= max ? 'full' : 'partial'
}

/** A statistic with `places` decimals, '—' when there is none. */
export function formatStat(value: number | null | undefined, places = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—'
  return value.toFixed(places)
}

/** A number without trailing zeros, at most two decimals: 10 → "10", 12.5 → "12.5". */
export function shortNumber(value: number): string {
  return String(Number(value.toFixed(2)))
}

/** How well an item separates strong contestants from weak ones. */
export type DiscriminationCue = 'none' | 'negative' | 'weak' | 'fair' | 'good'

/** The usual reading of a point-biserial: below 0 the item misleads, below 0.2 it is weak, 0.3 and up good. */
export function discriminationCue(value: number | null): DiscriminationCue {
  if (value === null || !Number.isFinite(value)) return 'none'
  if (value < 0) return 'negative'
  if (value < 0.2) return 'weak'
  if (value < 0.3) return 'fair'
  return 'good'
}

export type FacilityCue = 'none' | 'hard' | 'easy' | 'ok'

/** Facility below 0.2 (almost nobody scores) or above 0.9 (almost everybody does) is worth a look. */
export function facilityCue(value: number | null): FacilityCue {
  if (value === null || !Number.isFinite(value)) return 'none'
  if (value < 0.2) return 'hard'
  if (value > 0.9) return 'easy'
  return 'ok'
}

/** One option of an item with how many chose it and what that suggests. */
export interface OptionCell {
  key: string
  count: number
  /** Of the contestants who answered the item; null when nobody did. */
  share: number | null
  correct: boolean
  /**
   * `key`: a correct option; `strong`: a wrong one chosen more often than the key (a
   * possible miskey); `unused`: a wrong one almost nobody chose (under 5%, it distracts
   * nobody); `normal` otherwise.
   */
  cue: 'key' | 'strong' | 'unused' | 'normal'
}

/** The share under which a wrong option is said to distract nobody. */
export const UNUSED_DISTRACTOR = 0.05

/** The options of an item with their shares and cues. */
export function optionCells(item: Pick<ExamStatisticsItem, 'options' | 'seen' | 'omitted'>): OptionCell[] {
  const answered = Math.max(0, item.seen - item.omitted)
  const keyBest = Math.max(-1, ...item.options.filter((o) => o.correct).map((o) => o.count))
  return item.options.map((o) => {
    const share = answered > 0 ? o.count / answered : null
    let cue: OptionCell['cue'] = 'normal'
    if (o.correct) cue = 'key'
    else if (keyBest >= 0 && o.count > keyBest) cue = 'strong'
    else if (share !== null && share < UNUSED_DISTRACTOR) cue = 'unused'
    return { key: o.key, count: o.count, share, correct: o.correct, cue }
  })
}

/** Whether a wrong option drew more answers than the key: the key may be wrong. */
export function possibleMiskey(item: Pick<ExamStatisticsItem, 'options' | 'seen' | 'omitted'>): boolean {
  return optionCells(item).some((c) => c.cue === 'strong')
}

export type SortOrder = 'ascending' | 'descending' | null

/**
 * A sorted copy by a numeric value; items without one (null) always come last, and
 * equal values keep their order. No order: the items as they are.
 */
export function sortByNumber<T>(items: readonly T[], value: (item: T) => number | null, order: SortOrder): T[] {
  const indexed = items.map((item, index) => ({ item, index, v: value(item) }))
  if (!order) return indexed.map((x) => x.item)
  const sign = order === 'ascending' ? 1 : -1
  indexed.sort((a, b) => {
    const an = a.v === null || Number.isNaN(a.v)
    const bn = b.v === null || Number.isNaN(b.v)
    if (an || bn) return an === bn ? a.index - b.index : an ? 1 : -1
    return (a.v! - b.v!) * sign || a.index - b.index
  })
  return indexed.map((x) => x.item)
}

/** The label of each histogram bar: "0–10", "10–20", …. */
export function binLabels(bins: readonly ExamStatisticsBin[]): string[] {
  return bins.map((b) => `${shortNumber(b.from)}–${shortNumber(b.to)}`)
}

/** The chart's texts, in the UI language. */
export interface ChartWording {
  score: string
  count: string
  /** The tooltip line, `{range}` and `{count}` replaced. */
  tooltip: (range: string, count: number) => string
}

/** The ECharts option of the score histogram (a bar per bin). */
export function distributionOption(bins: readonly ExamStatisticsBin[], w: ChartWording) {
  const labels = binLabels(bins)
  return {
    animation: false,
    grid: { left: 16, right: 24, top: 32, bottom: 28, containLabel: true },
    tooltip: {
      trigger: 'axis' as const,
      axisPointer: { type: 'shadow' as const },
      formatter: (params: unknown) => {
        const p = (Array.isArray(params) ? params[0] : params) as { dataIndex: number }
        return w.tooltip(labels[p.dataIndex] ?? '', bins[p.dataIndex]?.count ?? 0)
      },
    },
    xAxis: {
      type: 'category' as const,
      data: labels,
      name: w.score,
      nameLocation: 'middle' as const,
      nameGap: labels.length > 10 ? 48 : 30,
      axisLabel: { interval: 0, rotate: labels.length > 10 ? 35 : 0 },
      axisTick: { alignWithLabel: true },
    },
    yAxis: { type: 'value' as const, name: w.count, minInterval: 1 },
    series: [
      {
        type: 'bar' as const,
        data: bins.map((b) => b.count),
        barCategoryGap: '12%',
        itemStyle: { color: '#409eff' },
        label: { show: bins.length <= 20, position: 'top' as const },
      },
    ],
  }
}

/** A key as the correction form holds it. */
export interface KeyForm {
  /** Single choice. */
  choice: string
  /** Multiple choice. */
  choices: string[]
  /** True/false. */
  truth: boolean | null
  /** Fill in the blank: each blank's accepted answers, one per line. */
  blanks: string[]
}

/** The form filled with a key, with `blankCount` blanks for a fill-in question. */
export function formFromKey(key: QuestionKey | null | undefined, blankCount: number): KeyForm {
  const blanks = (key?.blanks ?? []).map((b) => b.accepted.join('\n'))
  while (blanks.length < blankCount) blanks.push('')
  return {
    choice: key?.choices?.[0] ?? '',
    choices: [...(key?.choices ?? [])],
    truth: key?.true ?? null,
    blanks: blankCount > 0 ? blanks.slice(0, blankCount) : blanks,
  }
}

/** Accepted answers typed one per line: trimmed, without empty lines or repeats. */
export function parseAccepted(text: string): string[] {
  const out: string[] = []
  for (const line of text.split(/\r?\n/)) {
    const v = line.trim()
    if (v !== '' && !out.includes(v)) out.push(v)
  }
  return out
}

/** What is missing from a typed key. */
export type KeyProblem = 'choice' | 'choices' | 'truth' | 'blanks'

/** The key a form describes for a question type, or what is missing from it. */
export function keyFromForm(type: QuestionType, form: KeyForm): { key: QuestionKey } | { problem: KeyProblem } {
  switch (type) {
    case 'single_choice':
      return form.choice ? { key: { choices: [form.choice] } } : { problem: 'choice' }
    case 'multiple_choice': {
      const choices = [...new Set(form.choices)].sort()
      return choices.length ? { key: { choices } } : { problem: 'choices' }
    }
    case 'true_false':
      return form.truth === null ? { problem: 'truth' } : { key: { true: form.truth } }
    case 'fill_blank': {
      const blanks = form.blanks.map((text) => ({ accepted: parseAccepted(text) }))
      return blanks.length && blanks.every((b) => b.accepted.length) ? { key: { blanks } } : { problem: 'blanks' }
    }
    default:
      return { problem: 'choice' }
  }
}

/** Whether two keys of a question type say the same (letters in any order). */
export function sameKey(type: QuestionType, a: QuestionKey | null | undefined, b: QuestionKey | null | undefined): boolean {
  if (!a || !b) return false
  switch (type) {
    case 'single_choice':
    case 'multiple_choice':
      return letters(a.choices ?? []) === letters(b.choices ?? [])
    case 'true_false':
      return a.true === b.true
    case 'fill_blank':
      return JSON.stringify(a.blanks ?? []) === JSON.stringify(b.blanks ?? [])
    default:
      return false
  }
}

/** The question types whose key can be corrected (graded by the server, not by judges). */
export const OBJECTIVE_TYPES: readonly QuestionType[] = ['single_choice', 'multiple_choice', 'true_false', 'fill_blank']

/** A topic's name in the UI language (English when there is one and the UI is English). */
export function topicName(row: { topic: string; topic_en: string }, locale: string): string {
  return locale.startsWith('en') && row.topic_en ? row.topic_en : row.topic
}
