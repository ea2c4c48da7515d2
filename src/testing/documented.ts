// Test helpers: the documented response of an operation (fixtures/documented-pairs.json, derived
// from the spec's `documented` examples), and the one comparison of a response with it.
import { readFileSync } from 'node:fs'
import { expect } from 'vitest'
import { isRecord } from '../records.ts'

interface DocumentedPair {
  operationId: string
  response: { status: number; body: unknown }
}

let pairs: DocumentedPair[] | undefined

/** The documented status and body of `operationId`; the body is a fresh copy each call. */
export function documented(operationId: string): { status: number; body: unknown } {
  pairs ??= JSON.parse(
    readFileSync(new URL('../../fixtures/documented-pairs.json', import.meta.url), 'utf8')
  ) as DocumentedPair[]
  const pair = pairs.find((p) => p.operationId === operationId)
  if (!pair) {
    throw new Error(`No documented pair for ${operationId}`)
  }
  return { status: pair.response.status, body: structuredClone(pair.response.body) }
}

export const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000000Z$/
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** Which documented values only need a value of the same kind: (JSON path, documented value). */
export type Loose = (path: string, value: unknown) => boolean

export const timestamps: Loose = (_path, value) =>
  typeof value === 'string' && TIMESTAMP.test(value)

export const idsAndTimestamps: Loose = (path, value) =>
  timestamps(path, value) || (typeof value === 'string' && UUID.test(value))

export interface Likeness {
  /** Values that only need to be of the documented value's kind; none by default. */
  loose?: Loose
  /** The values this world has instead of the documented ones, by path (`$.a.b[0]`). */
  overrides?: Record<string, unknown>
}

/** Whether `actual` is of the kind of `expected`: a timestamp, an id, else its type and length. */
function sameKind(actual: unknown, expected: unknown): boolean {
  if (typeof expected === 'string') {
    const pattern = [TIMESTAMP, UUID].find((p) => p.test(expected))
    return typeof actual === 'string' && (pattern ? pattern.test(actual) : true)
  }
  if (typeof expected === 'number' && Number.isInteger(expected)) {
    return Number.isSafeInteger(actual)
  }
  return typeof actual === typeof expected
}

/**
 * The differences between `actual` and the documented `expected`: the same keys in the same order
 * at every level, and the same values but where `likeness` allows otherwise.
 */
export function unlikeDocumented(
  actual: unknown,
  expected: unknown,
  likeness: Likeness = {},
  path = '$'
): string[] {
  const { loose = () => false, overrides = {} } = likeness
  if (path in overrides) {
    return JSON.stringify(actual) === JSON.stringify(overrides[path])
      ? []
      : [`${path}: ${JSON.stringify(actual)} instead of ${JSON.stringify(overrides[path])}`]
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) {
      return [`${path}: expected an array`]
    }
    if (actual.length !== expected.length) {
      return [`${path}: expected ${expected.length} items, got ${actual.length}`]
    }
    return expected.flatMap((item, i) =>
      unlikeDocumented(actual[i], item, likeness, `${path}[${i}]`)
    )
  }
  if (isRecord(expected)) {
    if (!isRecord(actual)) {
      return [`${path}: expected an object`]
    }
    const want = Object.keys(expected)
    const got = Object.keys(actual)
    if (want.join() !== got.join()) {
      return [`${path}: keys ${JSON.stringify(got)} instead of ${JSON.stringify(want)}`]
    }
    return want.flatMap((k) => unlikeDocumented(actual[k], expected[k], likeness, `${path}.${k}`))
  }
  if (loose(path, expected)) {
    return sameKind(actual, expected)
      ? []
      : [`${path}: ${JSON.stringify(actual)} is not like ${JSON.stringify(expected)}`]
  }
  return JSON.stringify(actual) === JSON.stringify(expected)
    ? []
    : [`${path}: ${JSON.stringify(actual)} instead of ${JSON.stringify(expected)}`]
}

/** Asserts that `actual` is like the documented `expected` (see unlikeDocumented). */
export function expectLikeDocumented(
  actual: unknown,
  expected: unknown,
  likeness: Likeness = {}
): void {
  expect(unlikeDocumented(actual, expected, likeness)).toEqual([])
}
