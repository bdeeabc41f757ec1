import { describe, expect, it } from 'vitest'
import type { QuestionInput, QuestionVersion } from '@/api/types'
import {
  addOption,
  changeType,
  emptyForm,
  formFromVersion,
  inputFromForm,
  moveOption,
  normalisePoints,
  parsePoints,
  problemsByField,
  removeOption,
  validateQuestion,
} from './question'

function input(over: Partial<QuestionInput> = {}): QuestionInput {
  return {
    topic_id: 2,
    type: 'single_choice',
    stem: '客户报障后，装维人员应在多长时间内联系客户？',
    options: [
      { key: 'A', text: '30 分钟' },
      { key: 'B', text: '1 小时' },
      { key: 'C', text: '2 小时' },
      { key: 'D', text: '24 小时' },
    ],
    key: { choices: ['A'] },
    normalization: { fold_width: true, ignore_case: true, trim_space: true },
    explanation: '',
    difficulty: 3,
    points: '1.00',
    tags: [],
    reference_answer: '',
    rubric: '',
    material_section_id: null,
    ...over,
  }
}

function messages(i: QuestionInput): string[] {
  return validateQuestion(i).map((p) => p.message)
}

describe('validateQuestion', () => {
  it('accepts a complete single-choice question', () => {
    expect(validateQuestion(input())).toEqual([])
  })

  it('needs exactly one key for single choice', () => {
    expect(messages(input({ key: { choices: [] } }))).toEqual(['questionRules.singleNoKey'])
    expect(messages(input({ key: { choices: ['A', 'B'] } }))).toEqual(['questionRules.singleTwoKeys'])
    expect(messages(input({ key: {} }))).toEqual(['questionRules.singleNoKey'])
  })

  it('needs at least one key for multiple choice and allows several', () => {
    expect(messages(input({ type: 'multiple_choice', key: { choices: [] } }))).toEqual(['questionRules.multipleNoKey'])
    expect(validateQuestion(input({ type: 'multiple_choice', key: { choices: ['A', 'C', 'D'] } }))).toEqual([])
  })

  it('refuses a key naming a missing option, as the importer does for answer E of A-D', () => {
    const problems = validateQuestion(input({ key: { choices: ['E'] } }))
    expect(problems).toEqual([{ field: 'key', message: 'questionRules.keyOptionMissing', params: { key: 'E' } }])
  })

  it('refuses a repeated key', () => {
    expect(messages(input({ type: 'multiple_choice', key: { choices: ['A', 'A'] } }))).toEqual(['questionRules.keyRepeated'])
  })

  it('needs two to eight options lettered from A without gaps, none empty', () => {
    expect(messages(input({ options: [{ key: 'A', text: '是' }] }))).toContain('questionRules.optionsTooFew')
    const nine = 'ABCDEFGHI'.split('').map((key) => ({ key, text: key }))
    expect(messages(input({ options: nine }))).toContain('questionRules.optionsTooMany')
    expect(
      messages(
        input({
          options: [
            { key: 'A', text: '1' },
            { key: 'C', text: '2' },
          ],
        }),
      ),
    ).toContain('questionRules.optionsGap')
    const problems = validateQuestion(input({ options: [{ key: 'A', text: '甲' }, { key: 'B', text: '<p> </p>' }] }))
    expect(problems).toContainEqual({ field: 'options', message: 'questionRules.optionEmpty', params: { key: 'B' } })
  })

  it('counts an image as content', () => {
    expect(validateQuestion(input({ stem: '<img src="/api/v1/assets/abc">' }))).toEqual([])
    expect(messages(input({ stem: '<p>&nbsp;</p>' }))).toEqual(['questionRules.stemEmpty'])
  })

  it('needs a topic, difficulty 1 to 5 and positive points with at most two decimals', () => {
    expect(messages(input({ topic_id: 0 }))).toEqual(['questionRules.topicRequired'])
    expect(messages(input({ difficulty: 0 }))).toEqual(['questionRules.difficultyRange'])
    expect(messages(input({ difficulty: 6 }))).toEqual(['questionRules.difficultyRange'])
    expect(messages(input({ points: '0' }))).toEqual(['questionRules.pointsRange'])
    expect(messages(input({ points: '1000.01' }))).toEqual(['questionRules.pointsRange'])
    expect(messages(input({ points: '1.005' }))).toEqual(['questionRules.pointsFormat'])
    expect(messages(input({ points: '-1' }))).toEqual(['questionRules.pointsFormat'])
    expect(messages(input({ points: 'abc' }))).toEqual(['questionRules.pointsFormat'])
    expect(validateQuestion(input({ points: '1000' }))).toEqual([])
  })

  it('needs a true/false key and no options', () => {
    expect(messages(input({ type: 'true_false', options: [], key: {} }))).toEqual(['questionRules.trueFalseNoKey'])
    expect(validateQuestion(input({ type: 'true_false', options: [], key: { true: false } }))).toEqual([])
    expect(messages(input({ type: 'true_false', key: { true: true } }))).toEqual(['questionRules.optionsNotAllowed'])
  })

  it('needs one answered blank per gap in a fill-in stem', () => {
    const fill = (stem: string, blanks: string[][]) =>
      input({ type: 'fill_blank', stem, options: [], key: { blanks: blanks.map((accepted) => ({ accepted })) } })
    expect(validateQuestion(fill('千兆光猫的英文是 ___', [['ONU', 'ONT']]))).toEqual([])
    expect(messages(fill('没有空的题干', []))).toEqual(['questionRules.blankMarkersMissing'])
    expect(validateQuestion(fill('___ 和 ___', [['a']]))).toEqual([
      { field: 'key', message: 'questionRules.blankCount', params: { markers: 2, blanks: 1 } },
    ])
    expect(validateQuestion(fill('___ 和 ___', [['a'], [' ']]))).toEqual([
      { field: 'key', message: 'questionRules.blankWithoutAnswer', params: { blank: 2 } },
    ])
  })

  it('needs nothing more of short answers and essays', () => {
    expect(validateQuestion(input({ type: 'essay', options: [], key: {} }))).toEqual([])
  })

  it('refuses tags longer than 32 characters', () => {
    expect(messages(input({ tags: ['宽'.repeat(33)] }))).toEqual(['questionRules.tagTooLong'])
    expect(validateQuestion(input({ tags: ['宽'.repeat(32)] }))).toEqual([])
  })

  it('refuses an unknown type and stops there', () => {
    expect(messages(input({ type: 'poem' as never }))).toEqual(['questionRules.typeUnknown'])
  })

  it('gives every problem, and the first per field for the form', () => {
    const problems = validateQuestion(input({ stem: '', topic_id: 0, key: { choices: ['X', 'Y'] } }))
    expect(problems.map((p) => p.field)).toEqual(['topic_id', 'stem', 'key', 'key', 'key'])
    const byField = problemsByField(problems)
    expect(byField.key?.message).toBe('questionRules.keyOptionMissing')
    expect(byField.points).toBeUndefined()
  })
})

describe('points', () => {
  it('parses decimals into hundredths', () => {
    expect(parsePoints('2')).toBe(200)
    expect(parsePoints('2.5')).toBe(250)
    expect(parsePoints(' 0.05 ')).toBe(5)
    expect(parsePoints('2.')).toBe(200)
    expect(parsePoints('1e3')).toBeNull()
    expect(parsePoints('')).toBeNull()
  })

  it('writes two decimals', () => {
    expect(normalisePoints('2')).toBe('2.00')
    expect(normalisePoints('2.5')).toBe('2.50')
    expect(normalisePoints('x')).toBe('x')
  })
})

describe('the editor model', () => {
  it('sends only what the type uses', () => {
    const form = emptyForm('single_choice', 2)
    form.stem = ' 题干 '
    form.options = form.options.map((o, i) => ({ ...o, text: `选项${i}` }))
    form.choices = ['C']
    form.trueAnswer = true
    form.blanks = [{ accepted: ['x'] }]
    form.tags = [' 宽带 ', '宽带', '', '光纤']
    form.points = '1'
    const sent = inputFromForm(form)
    expect(sent.stem).toBe('题干')
    expect(sent.key).toEqual({ choices: ['C'] })
    expect(sent.options.map((o) => o.key)).toEqual(['A', 'B', 'C', 'D'])
    expect(sent.tags).toEqual(['宽带', '光纤'])
    expect(sent.points).toBe('1.00')
    expect(sent.reference_answer).toBe('')
  })

  it('sends trimmed, non-empty accepted answers for fill-in blanks and no options', () => {
    const form = emptyForm('fill_blank', 2)
    form.stem = '___'
    form.blanks = [{ accepted: [' 4 ', '', '四'] }]
    const sent = inputFromForm(form)
    expect(sent.options).toEqual([])
    expect(sent.key).toEqual({ blanks: [{ accepted: ['4', '四'] }] })
  })

  it('moves the key along when an option is removed or moved', () => {
    const form = emptyForm('multiple_choice', 2)
    form.options = form.options.map((o) => ({ ...o, text: o.key.toLowerCase() }))
    form.choices = ['B', 'D']
    removeOption(form, 0)
    expect(form.options.map((o) => `${o.key}${o.text}`)).toEqual(['Ab', 'Bc', 'Cd'])
    expect(form.choices).toEqual(['A', 'C'])
    removeOption(form, 0)
    expect(form.choices).toEqual(['B'])
    moveOption(form, 1, -1)
    expect(form.options.map((o) => `${o.key}${o.text}`)).toEqual(['Ad', 'Bc'])
    expect(form.choices).toEqual(['A'])
  })

  it('adds at most eight options', () => {
    const form = emptyForm()
    for (let i = 0; i < 10; i++) addOption(form)
    expect(form.options.map((o) => o.key).join('')).toBe('ABCDEFGH')
  })

  it('switches type keeping the stem and moving default points along', () => {
    const form = emptyForm('multiple_choice', 2)
    form.stem = '___ 是光猫'
    form.choices = ['A', 'B']
    changeType(form, 'single_choice')
    expect(form.choices).toEqual(['A'])
    expect(form.points).toBe('1.00')
    changeType(form, 'fill_blank')
    expect(form.blanks).toEqual([{ accepted: [] }])
    expect(form.points).toBe('2.00')
    form.points = '3.50'
    changeType(form, 'essay')
    expect(form.points).toBe('3.50')
    expect(form.stem).toBe('___ 是光猫')
  })

  it('reads a stored version back', () => {
    const version: QuestionVersion = {
      id: 9,
      version: 2,
      type: 'fill_blank',
      topic_id: 2,
      stem: '下行 ___ 上行 ___',
      options: [],
      key: { blanks: [{ accepted: ['1000'] }, { accepted: ['100'] }] },
      normalization: { fold_width: false, ignore_case: true, trim_space: true },
      explanation: '解析',
      difficulty: 4,
      points: '2.00',
      tags: ['光纤'],
      reference_answer: '',
      rubric: '',
      material_section_id: 3,
      editor_id: 1,
      editor_name: 'a',
      created_at: '',
    }
    const form = formFromVersion(version)
    expect(form.blanks).toEqual([{ accepted: ['1000'] }, { accepted: ['100'] }])
    expect(form.normalization.fold_width).toBe(false)
    expect(form.material_section_id).toBe(3)
    expect(validateQuestion(inputFromForm(form))).toEqual([])
  })
})
