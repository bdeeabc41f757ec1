// @vitest-environment jsdom
// DOMPurify needs a DOM that behaves like a browser's; happy-dom makes it drop every element.
import { describe, expect, it } from 'vitest'
import { escapeHtml, htmlToText, sanitizeHtml } from './html'

describe('sanitizeHtml', () => {
  it('keeps simple formatting and our own images', () => {
    const html = '<p><b>粗</b><i>斜</i></p><ul><li>一</li></ul><img src="/api/v1/assets/abc123" alt="图">'
    expect(sanitizeHtml(html)).toBe(html)
  })

  it('removes scripts, event handlers and foreign images', () => {
    const out = sanitizeHtml(
      '<p onclick="alert(1)">x</p><script>alert(1)</script><img src="https://evil.example/t.png" onerror="alert(1)"><a href="javascript:alert(1)">y</a>',
    )
    expect(out).not.toMatch(/script|onclick|onerror|evil|javascript/)
    expect(out).toContain('<p>x</p>')
  })

  it('answers empty text for nothing', () => {
    expect(sanitizeHtml(null)).toBe('')
    expect(sanitizeHtml(undefined)).toBe('')
  })
})

describe('htmlToText', () => {
  it('keeps the text with line breaks for blocks and names images', () => {
    expect(htmlToText('<p>第一段</p><p>第二段&nbsp;&lt;b&gt;</p><img src="x">', '[img]')).toBe('第一段\n第二段 <b>\n[img]')
    expect(htmlToText('<ol><li>一</li><li>二</li></ol>')).toBe('• 一\n• 二')
  })
})

describe('escapeHtml', () => {
  it('escapes markup characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;')
  })
})
