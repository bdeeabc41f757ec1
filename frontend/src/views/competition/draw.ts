// The practical draw checked in the browser: SHA-256 of the revealed seed against the
// commitment, and every team's drawn contestant recomputed from seed, entropy and the
// pools by the published algorithm (skillarena-draw-v1, docs/DRAW.md). Self-contained
// (no Web Crypto, which plain-HTTP pages on a LAN do not get), like docs/draw.py.
import type { Draw, DrawTeamResult, DrawTeamPool, Roster } from '@/api/types'

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
])

/** SHA-256 of some bytes. */
export function sha256(data: Uint8Array): Uint8Array {
  const bitLength = data.length * 8
  const padded = new Uint8Array(Math.ceil((data.length + 9) / 64) * 64)
  padded.set(data)
  padded[data.length] = 0x80
  const view = new DataView(padded.buffer)
  view.setUint32(padded.length - 8, Math.floor(bitLength / 0x100000000))
  view.setUint32(padded.length - 4, bitLength >>> 0)

  const h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19])
  const w = new Uint32Array(64)
  const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n))
  for (let offset = 0; offset < padded.length; offset += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(offset + i * 4)
    for (let i = 16; i < 64; i++) {
      const a = w[i - 15]!
      const b = w[i - 2]!
      const s0 = rotr(a, 7) ^ rotr(a, 18) ^ (a >>> 3)
      const s1 = rotr(b, 17) ^ rotr(b, 19) ^ (b >>> 10)
      w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) >>> 0
    }
    let [a, b, c, d, e, f, g, hh] = [h[0]!, h[1]!, h[2]!, h[3]!, h[4]!, h[5]!, h[6]!, h[7]!]
    for (let i = 0; i < 64; i++) {
      const s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
      const ch = (e & f) ^ (~e & g)
      const t1 = (hh + s1 + ch + K[i]! + w[i]!) >>> 0
      const s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
      const maj = (a & b) ^ (a & c) ^ (b & c)
      const t2 = (s0 + maj) >>> 0
      hh = g
      g = f
      f = e
      e = (d + t1) >>> 0
      d = c
      c = b
      b = a
      a = (t1 + t2) >>> 0
    }
    h[0] = (h[0]! + a) >>> 0
    h[1] = (h[1]! + b) >>> 0
    h[2] = (h[2]! + c) >>> 0
    h[3] = (h[3]! + d) >>> 0
    h[4] = (h[4]! + e) >>> 0
    h[5] = (h[5]! + f) >>> 0
    h[6] = (h[6]! + g) >>> 0
    h[7] = (h[7]! + hh) >>> 0
  }
  const out = new Uint8Array(32)
  const outView = new DataView(out.buffer)
  for (let i = 0; i < 8; i++) outView.setUint32(i * 4, h[i]!)
  return out
}

/** Bytes as lower-case hex. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

/** Hex as bytes; null when it is not an even number of hex digits. */
export function fromHex(hex: string): Uint8Array | null {
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(hex)) return null
  const out = new Uint8Array(hex.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16)
  return out
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

const utf8 = new TextEncoder()
const TWO_64 = 1n << 64n

/**
 * Every team's drawn contestant, as the server's scoring.RunDraw and docs/draw.py
 * compute it: key = SHA-256(seed ‖ 0x00 ‖ entropy); per team in ascending id, from its
 * sorted distinct pool of n, the first counter c whose SHA-256(key ‖ "team:<id>:<c>")
 * starts with 8 bytes v < 2^64 − (2^64 mod n) picks pool[v mod n].
 */
export function runDraw(seedHex: string, entropy: string, teams: readonly DrawTeamPool[]): DrawTeamResult[] {
  const seed = fromHex(seedHex)
  if (!seed) throw new Error('the seed is not hex')
  const key = sha256(concat(seed, new Uint8Array([0]), utf8.encode(entropy)))
  const out: DrawTeamResult[] = []
  for (const team of [...teams].sort((a, b) => a.team_id - b.team_id)) {
    const pool = [...new Set(team.pool)].sort((a, b) => a - b)
    const n = BigInt(pool.length)
    if (n === 0n) throw new Error(`team ${team.team_id} has an empty pool`)
    const limit = TWO_64 - (TWO_64 % n)
    for (let c = 0; ; c++) {
      const digest = sha256(concat(key, utf8.encode(`team:${team.team_id}:${c}`)))
      const v = new DataView(digest.buffer).getBigUint64(0)
      if (v < limit) {
        out.push({ team_id: team.team_id, contestant_id: pool[Number(v % n)]! })
        break
      }
    }
  }
  return out
}

/** What the browser found when it re-ran a performed draw. */
export interface DrawCheck {
  /** SHA-256(seed) equals the commitment published before the draw. */
  commitmentOk: boolean
  /** The recomputed result equals the published one. */
  resultOk: boolean
  recomputed: DrawTeamResult[]
}

/** Re-runs a performed draw from its published inputs; null when it is not performed yet. */
export function checkDraw(draw: Draw): DrawCheck | null {
  if (!draw.seed || draw.entropy === null) return null
  const seed = fromHex(draw.seed)
  const commitmentOk = seed !== null && toHex(sha256(seed)) === draw.commitment.toLowerCase()
  let recomputed: DrawTeamResult[] = []
  try {
    recomputed = runDraw(draw.seed, draw.entropy, draw.teams)
  } catch {
    return { commitmentOk, resultOk: false, recomputed }
  }
  const published = [...draw.result].sort((a, b) => a.team_id - b.team_id)
  const resultOk =
    published.length === recomputed.length &&
    published.every((r, i) => r.team_id === recomputed[i]!.team_id && r.contestant_id === recomputed[i]!.contestant_id)
  return { commitmentOk, resultOk, recomputed }
}

/** A draw's state: committed (the seed still secret) or performed. */
export function drawPhase(draw: Draw | null | undefined): 'none' | 'committed' | 'performed' {
  if (!draw) return 'none'
  return draw.seed ? 'performed' : 'committed'
}

/** One row of a draw's result, with names where the caller knows them. */
export interface DrawRow {
  teamId: number
  teamName: string | null
  contestantId: number
  contestantName: string | null
  contestantUsername: string | null
  /** The pool's size, for "1 of n". */
  poolSize: number
}

/** The result of a draw by team, named from the rosters the caller can read (none for the public). */
export function drawRows(draw: Draw, rosters: readonly Roster[] = []): DrawRow[] {
  const teams = new Map(rosters.map((r) => [r.team_id, r]))
  const pools = new Map(draw.teams.map((p) => [p.team_id, p.pool.length]))
  return [...draw.result]
    .sort((a, b) => a.team_id - b.team_id)
    .map((r) => {
      const roster = teams.get(r.team_id)
      const member = roster?.written.find((w) => w.user_id === r.contestant_id) ?? (roster?.drawn?.user_id === r.contestant_id ? roster.drawn : null)
      return {
        teamId: r.team_id,
        teamName: roster?.team_name ?? null,
        contestantId: r.contestant_id,
        contestantName: member?.name ?? null,
        contestantUsername: member?.username ?? null,
        poolSize: pools.get(r.team_id) ?? 0,
      }
    })
}

/** The public address of a stage's draw JSON, for `curl` and the script. */
export function publicDrawJsonUrl(origin: string, stageId: number): string {
  return `${origin}/api/v1/public/stages/${stageId}/draw`
}

/** A commitment or seed cut into groups of 8 hex digits, easier to read out aloud. */
export function groupHex(hex: string, size = 8): string {
  return hex.match(new RegExp(`.{1,${size}}`, 'g'))?.join(' ') ?? hex
}
