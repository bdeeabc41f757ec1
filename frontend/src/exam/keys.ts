// Keyboard use of the exam page: ←/→ and PageUp/PageDown move between questions,
// 1–9 or the option's letter choose an option, F flags. Keys typed into a text
// field stay there (Esc leaves the field).
import type { QuestionType } from '@/api/types'

/** What a key press does on the exam page. */
export type ExamKeyAction =
  | { kind: 'prev' }
  | { kind: 'next' }
  | { kind: 'flag' }
  | { kind: 'choose'; key: string }
  | { kind: 'trueFalse'; value: boolean }

/** The parts of a key press that matter here. */
export interface KeyPress {
  key: string
  ctrlKey?: boolean
  metaKey?: boolean
  altKey?: boolean
  /** Whether the key went to a text field (input, textarea, contenteditable). */
  inTextField: boolean
}

/** The action of a key on the current question, or null to leave the key alone. */
export function keyAction(press: KeyPress, type: QuestionType, optionKeys: readonly string[]): ExamKeyAction | null {
  if (press.inTextField || press.ctrlKey || press.metaKey || press.altKey) return null
  switch (press.key) {
    case 'ArrowLeft':
    case 'PageUp':
      return { kind: 'prev' }
    case 'ArrowRight':
    case 'PageDown':
      return { kind: 'next' }
    case 'f':
    case 'F':
      return { kind: 'flag' }
  }
  if (press.key.length !== 1) return null
  const digit = /^[1-9]$/.test(press.key) ? Number(press.key) - 1 : -1
  const letter = /^[a-z]$/i.test(press.key) ? press.key.toUpperCase() : ''
  if (type === 'true_false') {
    if (digit === 0 || letter === 'A') return { kind: 'trueFalse', value: true }
    if (digit === 1 || letter === 'B') return { kind: 'trueFalse', value: false }
    return null
  }
  if (type === 'single_choice' || type === 'multiple_choice') {
    if (digit >= 0 && digit < optionKeys.length) return { kind: 'choose', key: optionKeys[digit]! }
    if (letter && optionKeys.includes(letter)) return { kind: 'choose', key: letter }
  }
  return null
}

/** Whether an event target is a field that takes typing. */
export function isTextField(target: EventTarget | null): boolean {
  if (!target || typeof (target as HTMLElement).tagName !== 'string') return false
  const el = target as HTMLElement
  if (el.isContentEditable) return true
  if (el.tagName === 'TEXTAREA' || el.tagName === 'SELECT') return true
  if (el.tagName === 'INPUT') {
    const type = (el as HTMLInputElement).type
    return !['radio', 'checkbox', 'button', 'submit', 'reset'].includes(type)
  }
  return false
}
