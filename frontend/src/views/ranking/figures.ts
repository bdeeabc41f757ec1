// Exact arithmetic on published figures, so the browser can check every row of a
// ranking from what the row shows (API.md "Rankings"): decimal strings are read as
// exact fractions (BigInt), combined without floating point and rounded once, half
// up, at the stage's precision, as the server does (scoring/arith.go).
import type { Aggregation, RankingIndividualRow, RankingMember, RankingStage, RankingTeamRow } from '@/api/types'

/** An exact fraction num/den, den > 0. */
export interface Fraction {
  num: bigint
  den: bigint
}

const ZERO: Fraction = { num: 0n, den: 1n }

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a
  b = b < 0n ? -b : b
  while (b) [a, b] = [b, a % b]
  return a || 1n
}

function frac(num: bigint, den: bigint): Fraction {
  if (den < 0n) [num, den] = [-num, -den]
  const g = gcd(num, den)
  return { num: num / g, den: den / g }
}

function add(a: Fraction, b: Fraction): Fraction {
  return frac(a.num * b.den + b.num * a.den, a.den * b.den)
}

function mul(a: Fraction, b: Fraction): Fraction {
  return frac(a.num * b.num, a.den * b.den)
}

/** A decimal string ("87.25", "-3", "0.4") as an exact fraction; null for anything else. */
export function parseDecimal(text: string | null | undefined): Fraction | null {
  if (text === null || text === undefined) return null
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim())
  if (!m) return null
  const digits = m[3] ?? ''
  const num = BigInt(m[2]! + digits) * (m[1] ? -1n : 1n)
  return frac(num, 10n ** BigInt(digits.length))
}

function must(text: string | null | undefined): Fraction {
  return parseDecimal(text) ?? ZERO
}

/** Rounds x to `precision` decimal places, halves away from zero, and writes it with that many places. */
export function roundHalfUp(x: Fraction, precision: number): string {
  const scale = 10n ** BigInt(precision)
  const neg = x.num < 0n
  const abs = neg ? -x.num : x.num
  // floor(|x| × scale + 1/2)
  const q = (abs * scale * 2n + x.den) / (x.den * 2n)
  let s = q.toString()
  if (precision > 0) {
    s = s.padStart(precision + 1, '0')
    s = `${s.slice(0, -precision)}.${s.slice(-precision)}`
  }
  return neg && q !== 0n ? `-${s}` : s
}

/** The exact decimal of a fraction when it has one of at most `max` places, else the fraction "n/d". */
export function exactText(x: Fraction, max = 6): string {
  for (let p = 0; p <= max; p++) {
    const scale = 10n ** BigInt(p)
    if ((x.num * scale) % x.den === 0n) return roundHalfUp(x, p)
  }
  return `${x.num}/${x.den}`
}

/** The mean of some figures, or an average over a fixed size (missing ones as 0); 0 for none. */
function average(figures: Fraction[], size: number, absentAsZero: boolean): Fraction {
  const sum = figures.reduce(add, ZERO)
  if (absentAsZero && size > 0) return frac(sum.num, sum.den * BigInt(size))
  if (figures.length === 0) return ZERO
  return frac(sum.num, sum.den * BigInt(figures.length))
}

/** How a team's figures follow from its members: exact and as published. */
export interface TeamCheck {
  /** The members counted in each part and their published figures. */
  writtenFigures: string[]
  practicalFigures: string[]
  written: Fraction
  practical: Fraction
  total: Fraction
  /** Rounded once at the stage's precision. */
  writtenText: string
  practicalText: string
  totalText: string
  /** The published row agrees with the recomputation. */
  agrees: boolean
}

/** Recomputes a team row from its members and the stage rules (written and practical averages, weights, one rounding). */
export function checkTeam(row: Pick<RankingTeamRow, 'written' | 'practical' | 'total' | 'members'>, stage: RankingStage): TeamCheck {
  const inWritten = row.members.filter((m) => m.in_written)
  const inPractical = row.members.filter((m) => m.practical_role !== null)
  const writtenFigures = inWritten.filter((m) => m.written !== null).map((m) => m.written as string)
  const practicalFigures = inPractical.filter((m) => m.practical !== null).map((m) => m.practical as string)
  const written = average(writtenFigures.map(must), stage.written_roster_size, stage.absent_counts_as_zero)
  const practical = average(practicalFigures.map(must), stage.practical_size, stage.absent_counts_as_zero)
  const total = add(mul(written, must(stage.weights.written)), mul(practical, must(stage.weights.practical)))
  const p = stage.precision
  const writtenText = roundHalfUp(written, p)
  const practicalText = roundHalfUp(practical, p)
  const totalText = roundHalfUp(total, p)
  return {
    writtenFigures,
    practicalFigures,
    written,
    practical,
    total,
    writtenText,
    practicalText,
    totalText,
    agrees: writtenText === row.written && practicalText === row.practical && totalText === row.total,
  }
}

/** A contestant's practical score from the signed-off judges' totals by the stage's aggregation, exact. */
export function judgesScore(totals: readonly string[], aggregation: Aggregation): Fraction | null {
  if (totals.length === 0) return null
  let marks = totals.map(must).sort((a, b) => (a.num * b.den < b.num * a.den ? -1 : a.num * b.den > b.num * a.den ? 1 : 0))
  if (aggregation === 'trimmed_mean' && marks.length >= 5) marks = marks.slice(1, -1)
  return average(marks, 0, false)
}

/** How an individual row follows from its figures. */
export interface IndividualCheck {
  /** The aggregation of the judges' totals, rounded; null without signed-off marks. */
  practicalText: string | null
  totalText: string
  agrees: boolean
}

/** Recomputes an individual row: practical from the judges' totals, total = weighted sum (missing as 0), one rounding each. */
export function checkIndividual(
  row: Pick<RankingIndividualRow, 'written' | 'practical' | 'total' | 'practical_judges'>,
  stage: RankingStage,
): IndividualCheck {
  const js = judgesScore(row.practical_judges, stage.aggregation)
  const practicalText = js ? roundHalfUp(js, stage.precision) : null
  const total = add(mul(must(row.written), must(stage.weights.written)), mul(must(row.practical), must(stage.weights.practical)))
  const totalText = roundHalfUp(total, stage.precision)
  const practicalAgrees = row.practical_judges.length === 0 || practicalText === row.practical
  return { practicalText, totalText, agrees: practicalAgrees && totalText === row.total }
}

/** A figure as a number, for charts only (never for scores). */
export function toNumber(text: string | null | undefined): number {
  const x = parseDecimal(text)
  return x ? Number(x.num) / Number(x.den) : 0
}

/** The weighted parts of a team's total, rounded at the stage's precision, for the stacked bar chart. */
export function weightedParts(row: Pick<RankingTeamRow, 'written' | 'practical'>, stage: RankingStage): { written: string; practical: string } {
  return {
    written: roundHalfUp(mul(must(row.written), must(stage.weights.written)), stage.precision),
    practical: roundHalfUp(mul(must(row.practical), must(stage.weights.practical)), stage.precision),
  }
}

/** One bar of a distribution: totals in [from, to), the last bar [from, to]. */
export interface Bin {
  from: number
  to: number
  count: number
}

/** Counts totals in bins of `width` from 0 to the larger of 100 and the highest total (rounded up to a bin). */
export function distribution(totals: readonly string[], width = 10): Bin[] {
  const values = totals.map(toNumber)
  const top = Math.max(100, Math.ceil(Math.max(0, ...values) / width) * width)
  const bins: Bin[] = []
  for (let from = 0; from < top; from += width) bins.push({ from, to: from + width, count: 0 })
  for (const v of values) {
    const i = Math.min(bins.length - 1, Math.max(0, Math.floor(v / width)))
    bins[i]!.count += 1
  }
  return bins
}

/** A member's role in the team, as an i18n key suffix. */
export function memberRole(m: RankingMember): 'nominee' | 'drawn' | 'written' | 'other' {
  if (m.practical_role) return m.practical_role
  return m.in_written ? 'written' : 'other'
}

/** A weight "0.40" as a percentage "40". */
export function percent(weight: string): string {
  const x = parseDecimal(weight)
  return x ? exactText(mul(x, { num: 100n, den: 1n }), 2) : weight
}

/** The first 12 hex digits of a SHA-256, grouped by four, for display (the full value goes in a title). */
export function shortHash(sha: string): string {
  return (sha.slice(0, 12).match(/.{1,4}/g) ?? []).join(' ')
}
