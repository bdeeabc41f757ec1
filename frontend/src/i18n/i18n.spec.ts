import { describe, expect, it } from 'vitest'
import en from './en'
import zhCN from './zh-CN'

type Tree = { [key: string]: string | Tree }

function keys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : keys(value, `${prefix}${key}.`),
  )
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort()
}

function lookup(tree: Tree, path: string): string {
  let node: string | Tree = tree
  for (const part of path.split('.')) node = (node as Tree)[part]!
  return node as string
}

describe('message files', () => {
  const zhKeys = keys(zhCN).sort()
  const enKeys = keys(en).sort()

  it('have exactly the same keys in zh-CN and en', () => {
    expect(zhKeys.length).toBeGreaterThan(100)
    expect(enKeys.filter((k) => !zhKeys.includes(k))).toEqual([])
    expect(zhKeys.filter((k) => !enKeys.includes(k))).toEqual([])
  })

  it('use the same placeholders in both languages', () => {
    for (const key of zhKeys) {
      expect(placeholders(lookup(en, key)), key).toEqual(placeholders(lookup(zhCN, key)))
    }
  })

  it('have no empty texts and no characters vue-i18n would read as syntax', () => {
    for (const [tree, list] of [
      [zhCN, zhKeys],
      [en, enKeys],
    ] as const) {
      for (const key of list) {
        const text = lookup(tree, key)
        expect(text.trim(), key).not.toBe('')
        expect(text, key).not.toMatch(/[@|$%]/)
      }
    }
  })
})
