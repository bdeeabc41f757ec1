import { describe, expect, it } from 'vitest'
import { appFiles } from './offline'

describe('appFiles', () => {
  it('keeps the app’s own hashed files once each and nothing else', () => {
    const origin = 'https://exam.example.cn'
    expect(
      appFiles(
        [
          'https://exam.example.cn/assets/index-abc123.js',
          'https://exam.example.cn/assets/AttemptView-def456.js',
          'https://exam.example.cn/assets/index-abc123.js',
          '/assets/index-789.css',
          'https://exam.example.cn/api/v1/me',
          'https://cdn.example.com/assets/other.js',
          'https://exam.example.cn/',
          'not a url at all::',
        ],
        origin,
      ),
    ).toEqual(['/assets/index-abc123.js', '/assets/AttemptView-def456.js', '/assets/index-789.css'])
  })
})
