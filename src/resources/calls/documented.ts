// Test helper: a call response against the documented example of its operation, where ids,
// timestamps and the room's id and pin only need to be of the same kind.
import { expect } from 'vitest'
import { documented, idsAndTimestamps, unlikeDocumented } from '../../testing/documented.ts'
import type { Loose } from '../../testing/documented.ts'

export { documented }

const callLoose: Loose = (path, value) =>
  idsAndTimestamps(path, value) || path.endsWith('.room_pin') || path.endsWith('.room_id')

/** Asserts that a response is the documented one of `operationId` but for ids and times. */
export function expectLikeDocumentedCall(operationId: string, status: number, body: unknown) {
  const doc = documented(operationId)
  expect(status, `${operationId} status`).toBe(doc.status)
  expect(unlikeDocumented(body, doc.body, { loose: callLoose }), operationId).toEqual([])
}
