// @vitest-environment jsdom
// DOMPurify needs a DOM that behaves like a browser's; happy-dom makes it drop every element.
import { mount } from '@vue/test-utils'
import { beforeEach, describe, expect, it } from 'vitest'
import type { QuestionVersion } from '@/api/types'
import { i18n, setLocale } from '@/i18n'
import QuestionView, { type QuestionAnswer } from './QuestionView.vue'

// A stored version carries the key, the explanation and the rubric; the view must show none of them.
function version(over: Partial<QuestionVersion> = {}): QuestionVersion {
  return {
    id: 1,
    version: 1,
    type: 'single_choice',
    topic_id: 2,
    stem: '<p>光猫 LOS 灯红色表示什么？</p>',
    options: [
      { key: 'A', text: '设备正常' },
      { key: 'B', text: '光信号丢失' },
      { key: 'C', text: '<b>正在注册</b>' },
      { key: 'D', text: '电源故障' },
    ],
    key: { choices: ['B'] },
    normalization: { fold_width: true, ignore_case: true, trim_space: true },
    explanation: '秘密解析：LOS 表示光信号丢失',
    difficulty: 3,
    points: '2.00',
    tags: [],
    reference_answer: '秘密参考答案',
    rubric: '秘密评分标准',
    material_section_id: null,
    editor_id: 1,
    editor_name: '甲',
    created_at: '',
    ...over,
  }
}

function mountView(question: QuestionVersion, answer?: QuestionAnswer) {
  return mount(QuestionView, {
    props: { question, number: 3, modelValue: answer, 'onUpdate:modelValue': () => {} },
    global: { plugins: [i18n] },
    attachTo: document.body,
  })
}

describe('QuestionView', () => {
  beforeEach(() => setLocale('zh-CN'))

  it('renders the stem, the type, the points and every option with its letter', () => {
    const wrapper = mountView(version())
    expect(wrapper.get('[data-testid="qv-stem"]').text()).toBe('光猫 LOS 灯红色表示什么？')
    expect(wrapper.get('[data-testid="qv-type"]').text()).toBe('单选题')
    expect(wrapper.get('[data-testid="qv-points"]').text()).toBe('2.00 分')
    expect(wrapper.text()).toContain('3.')
    for (const [key, text] of [
      ['A', '设备正常'],
      ['B', '光信号丢失'],
      ['C', '正在注册'],
      ['D', '电源故障'],
    ]) {
      const option = wrapper.get(`[data-testid="qv-option-${key}"]`)
      expect(option.get('.qv-letter').text()).toBe(key)
      expect(option.text()).toContain(text)
    }
    expect(wrapper.get('[data-testid="qv-option-C"] b').text()).toBe('正在注册')
    expect(wrapper.findAll('input[type="radio"]')).toHaveLength(4)
    wrapper.unmount()
  })

  it('does not reveal the key, the explanation or the rubric', () => {
    const wrapper = mountView(version())
    const html = wrapper.html()
    expect(html).not.toContain('秘密')
    expect(wrapper.findAll('.is-chosen')).toHaveLength(0)
    expect(wrapper.findAll('input:checked')).toHaveLength(0)
    // Option B (the key) looks exactly like the others.
    const classes = ['A', 'B', 'C', 'D'].map((k) => wrapper.get(`[data-testid="qv-option-${k}"]`).classes().join(' '))
    expect(new Set(classes).size).toBe(1)
    wrapper.unmount()
  })

  it('turns each gap of a fill-in stem into an input, without the accepted answers', () => {
    const wrapper = mountView(
      version({
        type: 'fill_blank',
        stem: '<p>下行速率 ___ Mbps，上行 _____ Mbps</p>',
        options: [],
        key: { blanks: [{ accepted: ['一千'] }, { accepted: ['一百'] }] },
      }),
    )
    const inputs = wrapper.findAll('input.qv-blank')
    expect(inputs).toHaveLength(2)
    expect(inputs[0]!.attributes('data-testid')).toBe('qv-blank-0')
    expect(inputs.map((i) => (i.element as HTMLInputElement).value)).toEqual(['', ''])
    expect(wrapper.html()).not.toContain('一千')
    expect(wrapper.get('[data-testid="qv-stem"]').text()).toContain('下行速率')
    wrapper.unmount()
  })

  it('leaves underscores in attributes alone', () => {
    const wrapper = mountView(
      version({ type: 'fill_blank', stem: '<img src="/api/v1/assets/a___b" alt="x___y"> 填 ___', options: [] }),
    )
    expect(wrapper.findAll('input.qv-blank')).toHaveLength(1)
    expect(wrapper.get('img').attributes('src')).toBe('/api/v1/assets/a___b')
    wrapper.unmount()
  })

  it('offers true and false without choosing either', () => {
    const wrapper = mountView(version({ type: 'true_false', options: [], key: { true: true } }))
    expect(wrapper.get('[data-testid="qv-true"]').text()).toContain('对')
    expect(wrapper.get('[data-testid="qv-false"]').text()).toContain('错')
    expect(wrapper.findAll('input:checked')).toHaveLength(0)
    wrapper.unmount()
  })

  it('gives short answers and essays a text box', () => {
    const short = mountView(version({ type: 'short_answer', options: [] }))
    expect(short.get('textarea[data-testid="qv-text"]').attributes('rows')).toBe('4')
    expect(short.html()).not.toContain('秘密参考答案')
    short.unmount()
    const essay = mountView(version({ type: 'essay', options: [] }))
    expect(essay.get('textarea').attributes('rows')).toBe('10')
    essay.unmount()
  })

  it('reports the answer through v-model', async () => {
    const wrapper = mount(QuestionView, {
      props: {
        question: version({ type: 'multiple_choice' }),
        modelValue: {} as QuestionAnswer,
        'onUpdate:modelValue': (value: QuestionAnswer) => wrapper.setProps({ modelValue: value }),
      },
      global: { plugins: [i18n] },
      attachTo: document.body,
    })
    await wrapper.get('[data-testid="qv-option-C"] input').setValue(true)
    await wrapper.get('[data-testid="qv-option-A"] input').setValue(true)
    // Choices are reported in option order, whatever the order of the clicks.
    expect(wrapper.props('modelValue')).toEqual({ choices: ['A', 'C'] })
    expect(wrapper.findAll('.is-chosen')).toHaveLength(2)
    await wrapper.get('[data-testid="qv-option-C"] input').setValue(false)
    expect(wrapper.props('modelValue')).toEqual({ choices: ['A'] })
    wrapper.unmount()
  })

  it('keeps one choice in a single-choice question', async () => {
    const wrapper = mount(QuestionView, {
      props: {
        question: version(),
        modelValue: {} as QuestionAnswer,
        'onUpdate:modelValue': (value: QuestionAnswer) => wrapper.setProps({ modelValue: value }),
      },
      global: { plugins: [i18n] },
      attachTo: document.body,
    })
    await wrapper.get('[data-testid="qv-option-B"] input').setValue(true)
    await wrapper.get('[data-testid="qv-option-D"] input').setValue(true)
    expect(wrapper.props('modelValue')).toEqual({ choices: ['D'] })
    wrapper.unmount()
  })

  it('reports typed blanks', async () => {
    const wrapper = mountView(version({ type: 'fill_blank', stem: '甲 ___ 乙 ___', options: [] }), {})
    const second = wrapper.findAll('input.qv-blank')[1]!
    await second.setValue('四')
    expect((wrapper.emitted('update:modelValue') as QuestionAnswer[][]).at(-1)![0]).toEqual({ blanks: ['', '四'] })
    wrapper.unmount()
  })

  it('removes unsafe markup from the stem and options', () => {
    const wrapper = mountView(
      version({ stem: '<p onclick="alert(1)">题</p><script>alert(1)</script>', options: [{ key: 'A', text: '<img src=x onerror=alert(1)>' }, { key: 'B', text: 'b' }] }),
    )
    expect(wrapper.html()).not.toMatch(/onclick|onerror|<script/)
    wrapper.unmount()
  })
})
