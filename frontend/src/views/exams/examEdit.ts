// What an edit of an exam changes: the exam form's values compared with the exam as
// loaded, so that only what the organiser changed is sent (once contestants have
// started, the server refuses changes to most settings, and an unchanged one must not
// count as a change).
import type { AdminExamCreate, AdminExamDetail, AdminExamUpdate, Blueprint } from '@/api/types'
import { normalisePoints } from './points'

/** The exam form's values, with the window as dates. */
export type ExamFormValues = Omit<AdminExamCreate, 'org_unit_id' | 'kind' | 'opens_at' | 'closes_at'> & {
  window: [Date, Date]
}

/** The form's values for an exam as loaded. */
export function formValuesOf(e: AdminExamDetail): ExamFormValues {
  return {
    title: e.title,
    instructions: e.instructions,
    window: [new Date(e.opens_at), new Date(e.closes_at)],
    duration_minutes: Math.round(e.duration_seconds / 60),
    grace_seconds: e.grace_seconds,
    blueprint_id: e.blueprint_id,
    bank_ids: [...e.bank_ids],
    paper_mode: e.paper_mode,
    shuffle_questions: e.shuffle_questions,
    shuffle_options: e.shuffle_options,
    max_attempts: e.max_attempts,
    partial_credit: e.partial_credit,
    results_visibility: e.results_visibility,
    marking_threshold: e.marking_threshold,
  }
}

function sameIds(a: number[], b: number[]): boolean {
  const x = [...new Set(a)].sort((p, q) => p - q)
  const y = [...new Set(b)].sort((p, q) => p - q)
  return x.length === y.length && x.every((v, i) => v === y[i])
}

/** The settings in which the form differs from the exam as loaded; empty when nothing changed. */
export function examChanges(original: AdminExamDetail, v: ExamFormValues): AdminExamUpdate {
  const was = formValuesOf(original)
  const out: AdminExamUpdate = {}
  const title = v.title.trim()
  if (title !== was.title) out.title = title
  const instructions = v.instructions.trim()
  if (instructions !== was.instructions.trim()) out.instructions = instructions
  if (v.window[0].getTime() !== was.window[0].getTime()) out.opens_at = v.window[0].toISOString()
  if (v.window[1].getTime() !== was.window[1].getTime()) out.closes_at = v.window[1].toISOString()
  if (v.duration_minutes !== was.duration_minutes) out.duration_minutes = v.duration_minutes
  if (v.grace_seconds !== was.grace_seconds) out.grace_seconds = v.grace_seconds
  if (v.blueprint_id !== was.blueprint_id) out.blueprint_id = v.blueprint_id
  if (!sameIds(v.bank_ids, was.bank_ids)) out.bank_ids = [...v.bank_ids]
  if (v.paper_mode !== was.paper_mode) out.paper_mode = v.paper_mode
  if (v.shuffle_questions !== was.shuffle_questions) out.shuffle_questions = v.shuffle_questions
  if (v.shuffle_options !== was.shuffle_options) out.shuffle_options = v.shuffle_options
  if (v.max_attempts !== was.max_attempts) out.max_attempts = v.max_attempts
  if (v.partial_credit !== was.partial_credit) out.partial_credit = v.partial_credit
  if (v.results_visibility !== was.results_visibility) out.results_visibility = v.results_visibility
  const threshold = normalisePoints(v.marking_threshold)
  if (threshold !== normalisePoints(was.marking_threshold)) out.marking_threshold = threshold
  return out
}

/** A blueprint the exam form offers: what the picker and the sections below it need. */
export type BlueprintChoice = Pick<Blueprint, 'id' | 'name' | 'sections'>

/**
 * The blueprints to offer an exam: those the server accepts for its unit and, for an
 * exam being edited, its own blueprint if not among them (another unit's, which its
 * editor could not pick), named and sectioned as the exam says, so the page shows its
 * name rather than a bare id.
 */
export function blueprintChoices(usable: BlueprintChoice[], exam: AdminExamDetail | null): BlueprintChoice[] {
  if (!exam || usable.some((b) => b.id === exam.blueprint_id)) return usable
  return [{ id: exam.blueprint_id, name: exam.blueprint_name, sections: exam.sections }, ...usable]
}
