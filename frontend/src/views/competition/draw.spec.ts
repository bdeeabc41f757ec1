import { describe, expect, it } from 'vitest'
import type { Draw, Roster } from '@/api/types'
import { checkDraw, drawPhase, drawRows, groupHex, runDraw, sha256, toHex } from './draw'

const text = (s: string) => new TextEncoder().encode(s)

/** A draw the server performed (demo stage, entropy called out in the room). */
const performed: Draw = {
  version: 'skillarena-draw-v1',
  number: 1,
  commitment: 'f45c25f632948739abcc8e0527cb878f4c400d05e89fe3ba77b27a76801b26da',
  committed_at: '2026-11-25T00:20:53Z',
  reason: '',
  seed: '94fc94dc0fba9415169917f7fddf2e0bc1a8ba9acf9499cc821e17798251ed91',
  entropy: '37 12 89',
  drawn_at: '2026-11-25T00:20:54Z',
  teams: [
    { team_id: 4, pool: [18, 19, 20, 21, 22, 23, 24, 25] },
    { team_id: 5, pool: [28, 29, 30, 31, 32, 33, 34, 35] },
    { team_id: 6, pool: [38, 39, 40, 41, 42, 43, 44, 45] },
    { team_id: 7, pool: [48, 49, 50, 51, 52, 53, 54, 55] },
    { team_id: 8, pool: [58, 59, 60, 61, 62, 63, 64, 65] },
    { team_id: 9, pool: [68, 69, 70, 71, 72, 73, 74, 75] },
  ],
  result: [
    { team_id: 4, contestant_id: 25 },
    { team_id: 5, contestant_id: 30 },
    { team_id: 6, contestant_id: 44 },
    { team_id: 7, contestant_id: 51 },
    { team_id: 8, contestant_id: 63 },
    { team_id: 9, contestant_id: 73 },
  ],
}

describe('sha256', () => {
  it('gives the FIPS 180-2 test vectors', () => {
    expect(toHex(sha256(text('')))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
    expect(toHex(sha256(text('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
    expect(toHex(sha256(text('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    )
  })

  it('hashes messages across the 55/56/64-byte padding boundaries like any other', () => {
    // 'a' × 1,000 is the one-block-boundary-crossing vector of many test suites.
    expect(toHex(sha256(text('a'.repeat(1000))))).toBe('41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3')
  })
})

describe('runDraw (skillarena-draw-v1)', () => {
  it('gives the golden result of scoring/draw_test.go, whatever the order of teams and pools', () => {
    const seed = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f'
    const pools = [
      { team_id: 14, pool: [301, 305, 302, 307, 303, 306, 304] },
      { team_id: 12, pool: [211, 212, 213, 214, 215, 216, 217] },
      { team_id: 13, pool: [999] },
    ]
    const golden = [
      { team_id: 12, contestant_id: 216 },
      { team_id: 13, contestant_id: 999 },
      { team_id: 14, contestant_id: 307 },
    ]
    expect(runDraw(seed, '现场报数 4 8 15 16 23 42', pools)).toEqual(golden)
    expect(runDraw(seed, '现场报数 4 8 15 16 23 42', [...pools].reverse())).toEqual(golden)
    expect(runDraw(seed, '现场报数 4 8 15 16 23 43', pools)).not.toEqual(golden)
  })

  it('refuses an empty pool', () => {
    expect(() => runDraw('00', 'x', [{ team_id: 1, pool: [] }])).toThrow(/empty pool/)
  })
})

describe('checkDraw', () => {
  it('confirms a draw the server performed: the seed matches the commitment and the result recomputes', () => {
    expect(checkDraw(performed)).toEqual({ commitmentOk: true, resultOk: true, recomputed: performed.result })
  })

  it('catches a seed that is not the committed one and a result that was changed', () => {
    const otherSeed = { ...performed, seed: 'a35f6281aa16bf1eb1ad6802ae6815302fd42d90f76fa2a7c0bdd8582efefc23' }
    expect(checkDraw(otherSeed)?.commitmentOk).toBe(false)
    const changed = { ...performed, result: performed.result.map((r) => (r.team_id === 4 ? { ...r, contestant_id: 18 } : r)) }
    expect(checkDraw(changed)).toMatchObject({ commitmentOk: true, resultOk: false })
  })

  it('has nothing to check before the draw is performed', () => {
    const committed = { ...performed, seed: null, entropy: null, teams: [], result: [] }
    expect(checkDraw(committed)).toBeNull()
    expect(drawPhase(committed)).toBe('committed')
    expect(drawPhase(performed)).toBe('performed')
    expect(drawPhase(null)).toBe('none')
  })
})

describe('drawRows', () => {
  it('names the drawn contestants from the rosters the caller can read, and leaves ids for the public', () => {
    const rosters: Roster[] = [
      {
        team_id: 4,
        team_name: '东江城区分局',
        written: [{ user_id: 25, username: 'eng008', name: '汪佳怡' }],
        nominee: null,
        drawn: null,
      },
    ]
    const rows = drawRows(performed, rosters)
    expect(rows[0]).toEqual({
      teamId: 4,
      teamName: '东江城区分局',
      contestantId: 25,
      contestantName: '汪佳怡',
      contestantUsername: 'eng008',
      poolSize: 8,
    })
    expect(rows[1]).toMatchObject({ teamId: 5, teamName: null, contestantName: null, contestantId: 30 })
  })
})

it('groups hex for reading aloud', () => {
  expect(groupHex('f45c25f632948739abcc')).toBe('f45c25f6 32948739 abcc')
})
