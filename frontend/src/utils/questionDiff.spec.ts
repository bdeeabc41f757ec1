import { describe, expect, it } from 'vitest'
import type { QuestionVersion } from '@/api/types'
import { sideOf } from './diff'
import { diffVersions, type DiffWording } from './questionDiff'

const wording: DiffWording = {
  typeName: (type) => type,
  topicName: (id) => `topic ${id}`,
  trueLabel: '对',
  falseLabel: '错',
  imageLabel: '[图片]',
  normalization: (n) => JSON.stringify(n),
}

function version(over: Partial<QuestionVersion> = {}): QuestionVersion {
  return {
    id: 1,
    version: 1,
    type: 'single_choice',
    topic_id: 2,
    stem: '<p>光猫 LOS 灯红色表示什么？</p>',
    options: [
      { key: 'A', text: '光信号丢失' },
      { key: 'B', text: '设备正常' },
    ],
    key: { choices: ['A'] },
    normalization: { fold_width: true, ignore_case: true, trim_space: true },
    explanation: '',
    difficulty: 3,
    points: '1.00',
    tags: ['光接入'],
    reference_answer: '',
    rubric: '',
    material_section_id: null,
    editor_id: 1,
    editor_name: '甲',
    created_at: '',
    ...over,
  }
}

describe('diffVersions', () => {
  it('lists nothing for versions with the same content', () => {
    expect(diffVersions(version(), version({ version: 2, id: 2, editor_name: '乙' }), wording)).toEqual([])
  })

  it('lists the changed fields in order with their diffs', () => {
    const older = version()
    const newer = version({
      version: 2,
      stem: '<p>光猫 LOS 灯<b>闪烁</b>表示什么？</p>',
      key: { choices: ['B'] },
      tags: ['光接入', '故障'],
      difficulty: 4,
    })
    const diff = diffVersions(older, newer, wording)
    expect(diff.map((d) => d.field)).toEqual(['stem', 'key', 'difficulty', 'tags'])
    const stem = diff[0]!.parts
    expect(sideOf(stem, 'old')).toBe('光猫 LOS 灯红色表示什么？')
    expect(sideOf(stem, 'new')).toBe('光猫 LOS 灯闪烁表示什么？')
    expect(stem.filter((p) => p.op === 'delete').map((p) => p.text)).toEqual(['红色'])
    expect(stem.filter((p) => p.op === 'insert').map((p) => p.text)).toEqual(['闪烁'])
  })

  it('diffs options line by line and words true/false keys', () => {
    const diff = diffVersions(
      version(),
      version({ options: [{ key: 'A', text: '光信号丢失' }, { key: 'B', text: '设备故障' }] }),
      wording,
    )
    expect(diff.map((d) => d.field)).toEqual(['options'])
    expect(diff[0]!.parts[0]).toEqual({ op: 'equal', text: 'A. 光信号丢失\n' })

    const tf = diffVersions(
      version({ type: 'true_false', options: [], key: { true: true } }),
      version({ type: 'true_false', options: [], key: { true: false } }),
      wording,
    )
    expect(tf).toEqual([
      {
        field: 'key',
        parts: [
          { op: 'delete', text: '对' },
          { op: 'insert', text: '错' },
        ],
      },
    ])
  })

  it('names images in text so that adding one shows', () => {
    const diff = diffVersions(version(), version({ stem: '<p>光猫 LOS 灯红色表示什么？</p><img src="/api/v1/assets/ab">' }), wording)
    expect(diff[0]!.field).toBe('stem')
    expect(sideOf(diff[0]!.parts, 'new')).toContain('[图片]')
  })
})
