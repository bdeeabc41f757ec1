// An answer as the question component holds it and as the API stores it
// (API.md: single choice "B", multiple choice ["A","C"], true/false true,
// fill-in ["first","second"], short answer and essay a string).
import type { QuestionType } from '@/api/types'
import type { QuestionAnswer } from '@/components/QuestionView.vue'

/** The API's response for an answer of a type. */
export function toResponse(type: QuestionType, answer: QuestionAnswer): unknown {
  switch (type) {
    case 'single_choice':
      return answer.choices?.[0] ?? null
    case 'multiple_choice':
      return [...(answer.choices ?? [])]
    case 'true_false':
      return typeof answer.true === 'boolean' ? answer.true : null
    case 'fill_blank':
      return [...(answer.blanks ?? [])]
    case 'short_answer':
    case 'essay':
      return answer.text ?? ''
  }
}

/** The component's answer for a stored response; anything of the wrong shape reads as no answer. */
export function fromResponse(type: QuestionType, response: unknown): QuestionAnswer {
  switch (type) {
    case 'single_choice':
      return typeof response === 'string' && response !== '' ? { choices: [response] } : {}
    case 'multiple_choice':
      return Array.isArray(response) ? { choices: response.filter((r): r is string => typeof r === 'string') } : {}
    case 'true_false':
      return typeof response === 'boolean' ? { true: response } : {}
    case 'fill_blank':
      return Array.isArray(response) ? { blanks: response.map((r) => (typeof r === 'string' ? r : '')) } : {}
    case 'short_answer':
    case 'essay':
      return typeof response === 'string' ? { text: response } : {}
  }
}

/** Whether a response counts as answered: a choice made, a gap filled, some text written. */
export function isAnswered(type: QuestionType, response: unknown): boolean {
  const a = fromResponse(type, response)
  switch (type) {
    case 'single_choice':
    case 'multiple_choice':
      return (a.choices?.length ?? 0) > 0
    case 'true_false':
      return typeof a.true === 'boolean'
    case 'fill_blank':
      return (a.blanks ?? []).some((b) => b.trim() !== '')
    case 'short_answer':
    case 'essay':
      return (a.text ?? '').trim() !== ''
  }
}

/** Whether typing changes this type's answer (its saves are debounced); choices are saved at once. */
export function isTyped(type: QuestionType): boolean {
  return type === 'fill_blank' || type === 'short_answer' || type === 'essay'
}
