// Test helper: compares a call response with the documented example of its operation, key by key.
import { expect } from 'vitest'
import { documented } from '../../testing/documented.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000000Z$/
const ROOM_PIN = /^[A-Za-z0-9]{6}$/

export { documented }

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * The differences between `actual` and `expected`: same keys in the same order, same values,
 * except that ids, timestamps and the room's id and pin only need to be of the same kind.
 */
export function differences(actual: unknown, expected: unknown, path = '$', key = ''): string[] {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) {
      return [`${path}: expected an array`]
    }
    if (actual.length !== expected.length) {
      return [`${path}: expected ${expected.length} items, got ${actual.length}`]
    }
    return expected.flatMap((item, i) => differences(actual[i], item, `${path}[${i}]`))
  }
  if (isObject(expected)) {
    if (!isObject(actual)) {
      return [`${path}: expected an object`]
    }
    const want = Object.keys(expected)
    const got = Object.keys(actual)
    if (want.join() !== got.join()) {
      return [`${path}: keys ${JSON.stringify(got)} instead of ${JSON.stringify(want)}`]
    }
    return want.flatMap((k) => differences(actual[k], expected[k], `${path}.${k}`, k))
  }
  const kind = (pattern: RegExp) =>
    typeof actual === 'string' && pattern.test(actual)
      ? []
      : [`${path}: ${JSON.stringify(actual)} is not like ${JSON.stringify(expected)}`]
  if (typeof expected === 'string' && UUID.test(expected)) {
    return kind(UUID)
  }
  if (typeof expected === 'string' && TIMESTAMP.test(expected)) {
    return kind(TIMESTAMP)
  }
  if (key === 'room_pin' && typeof expected === 'string') {
    return kind(ROOM_PIN)
  }
  if (key === 'room_id' && typeof expected === 'number') {
    return Number.isSafeInteger(actual) ? [] : [`${path}: ${JSON.stringify(actual)} is no room id`]
  }
  return Object.is(actual, expected)
    ? []
    : [`${path}: ${JSON.stringify(actual)} instead of ${JSON.stringify(expected)}`]
}

/** Asserts that a response is the documented one of `operationId` but for ids and times. */
export function expectLikeDocumented(operationId: string, status: number, body: unknown): void {
  const doc = documented(operationId)
  expect(status, `${operationId} status`).toBe(doc.status)
  expect(differences(body, doc.body), `${operationId} vs documented`).toEqual([])
}
