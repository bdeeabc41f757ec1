import { describe, expect, it } from 'vitest'
import { criterionProblems, defaultScale, newCriterion, parseScale, rubricMax, steppedScale, steppedScaleText, taskRequest } from './rubric'

describe('a rubric criterion', () => {
  it('of kind measurement needs a name and a positive maximum', () => {
    expect(criterionProblems({ ...newCriterion(), name: '接线正确' })).toEqual([])
    expect(criterionProblems({ ...newCriterion(), name: ' ', max_points: '0' })).toEqual(['name', 'max'])
  })

  it('of kind judgement needs a scale of 2 to 21 ascending values from 0 that ends at its maximum', () => {
    const c = { ...newCriterion('judgement'), name: '工艺' }
    expect(criterionProblems(c)).toEqual([])
    expect(criterionProblems({ ...c, scale: '0，10，20、30 40' })).toEqual([])
    expect(criterionProblems({ ...c, scale: '10 20 30 40' })).toEqual(['scaleEnds'])
    expect(criterionProblems({ ...c, scale: '0 20 10 40' })).toEqual(['scaleOrder'])
    expect(criterionProblems({ ...c, scale: '0 10 20 30' })).toEqual(['scaleEnds'])
    expect(criterionProblems({ ...c, scale: '40' })).toEqual(['scaleSize', 'scaleEnds'])
    expect(criterionProblems({ ...c, scale: '0 x 40' })).toEqual(['scaleFormat'])
  })

  it('can have an evenly stepped scale', () => {
    expect(steppedScale('40', '10')).toEqual(['0.00', '10.00', '20.00', '30.00', '40.00'])
    expect(steppedScale('10', '0.5')).toHaveLength(21)
    expect(steppedScale('10', '0.25')).toBeNull()
    expect(steppedScale('40', '15')).toBeNull()
    expect(steppedScaleText('10', '2.5')).toBe('0 2.5 5 7.5 10')
  })

  it('gets a scale that follows its maximum until the organiser types one', () => {
    expect(defaultScale('40')).toBe('0 10 20 30 40')
    expect(defaultScale('15')).toBe('0 5 10 15')
    expect(defaultScale('7')).toBe('0 1 2 3 4 5 6 7')
    expect(defaultScale('2.5')).toBe('0 0.5 1 1.5 2 2.5')
    expect(defaultScale('0.3')).toBe('0 0.3')
    expect(defaultScale('x')).toBe('')
  })
})

describe('a task', () => {
  it('is sent with each judgement’s scale as a list and no scale for measurements', () => {
    const body = taskRequest(' 配电箱接线 ', '', [
      { name: '接线正确', kind: 'measurement', max_points: '60', scale: '' },
      { name: '工艺', kind: 'judgement', max_points: '40', scale: '0 10 20 30 40' },
    ])
    expect(body).toEqual({
      name: '配电箱接线',
      description: '',
      criteria: [
        { name: '接线正确', kind: 'measurement', max_points: '60' },
        { name: '工艺', kind: 'judgement', max_points: '40', scale: ['0', '10', '20', '30', '40'] },
      ],
    })
    expect(parseScale(' 0  5 ')).toEqual(['0', '5'])
  })

  it('is worth the sum of its criteria, exactly', () => {
    expect(rubricMax([{ ...newCriterion(), max_points: '60.5' }, { ...newCriterion('judgement') }])).toBe('100.50')
  })
})
