import { describe, expect, it } from 'vitest'
import { formatFromFileName, formatsForFileName } from './importFormat'

describe('formatFromFileName', () => {
  it.each([
    ['题库.xlsx', 'xlsx'],
    ['QUESTIONS.XLSX', 'xlsx'],
    ['questions-good.csv', 'csv'],
    ['moodle-export.xml', 'moodlexml'],
    ['bank.gift', 'gift'],
    ['aiken or gift.txt', 'gift'],
    ['archive.tar.csv', 'csv'],
  ])('reads %s as %s', (name, format) => {
    expect(formatFromFileName(name)).toBe(format)
  })

  it.each(['题库.xls', 'notes.docx', 'no-extension', '', '.csv/'])('knows no format for %j', (name) => {
    expect(formatFromFileName(name)).toBeNull()
  })
})

describe('formatsForFileName', () => {
  it('offers Aiken besides GIFT for text files', () => {
    expect(formatsForFileName('a.txt')).toEqual(['gift', 'aiken'])
    expect(formatsForFileName('a.gift')).toEqual(['gift', 'aiken'])
  })

  it('offers only the implied format otherwise, or every format when none is implied', () => {
    expect(formatsForFileName('a.xlsx')).toEqual(['xlsx'])
    expect(formatsForFileName('a.bin')).toEqual(['xlsx', 'csv', 'moodlexml', 'gift', 'aiken'])
  })
})
