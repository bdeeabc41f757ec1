import { describe, expect, it } from 'vitest'
import { dispositionName } from './download'

describe('dispositionName', () => {
  it('prefers the UTF-8 name the server gives for Chinese file names', () => {
    const h = `attachment; filename="ranking-team-7-v2.xlsx"; filename*=UTF-8''${encodeURIComponent('团体排名-省决赛-v2.xlsx')}`
    expect(dispositionName(h, 'x.xlsx')).toBe('团体排名-省决赛-v2.xlsx')
  })

  it('falls back to the plain name, then to the given one', () => {
    expect(dispositionName('attachment; filename="certificates-7-v1.pdf"', 'x.pdf')).toBe('certificates-7-v1.pdf')
    expect(dispositionName('attachment; filename=sheets.pdf', 'x.pdf')).toBe('sheets.pdf')
    expect(dispositionName(null, 'x.pdf')).toBe('x.pdf')
    expect(dispositionName("attachment; filename*=UTF-8''%E0%A4%A", 'x.pdf')).toBe('x.pdf')
  })
})
