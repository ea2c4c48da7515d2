// Test support for the invite routes: the documented bodies, a key-by-key comparison with them,
// and editing the test world (config switches, extra users, threads and invites).
import { expect } from 'vitest'
import type { TestMock } from '../../testing/harness.ts'
import { exportWorld } from '../../world/export.ts'
import { loadWorld } from '../../world/load.ts'
import type { WorldDocument } from '../../world/schema.ts'
import { documented } from '../../testing/documented.ts'

export { documented }

export const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000000Z$/
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

/** Which documented values only need a value of the same kind: (JSON path, documented value). */
export type Loose = (path: string, value: unknown) => boolean

export const timestamps: Loose = (_path, value) =>
  typeof value === 'string' && TIMESTAMP.test(value)

export const idsAndTimestamps: Loose = (path, value) =>
  timestamps(path, value) || (typeof value === 'string' && UUID.test(value))

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function sameKind(actual: unknown, expected: unknown, path: string): void {
  if (typeof expected === 'string' && TIMESTAMP.test(expected)) {
    expect(actual, path).toMatch(TIMESTAMP)
  } else if (typeof expected === 'string' && UUID.test(expected)) {
    expect(actual, path).toMatch(UUID)
  } else {
    expect(typeof actual, path).toBe(typeof expected)
  }
}

/**
 * Asserts `actual` has exactly the documented keys, in the documented order, at every level,
 * and the documented values except where `loose` allows any value of the same kind.
 */
export function expectLikeDocumented(
  actual: unknown,
  expected: unknown,
  loose: Loose = () => false,
  path = '$'
): void {
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), `${path} is an array`).toBe(true)
    const items = actual as unknown[]
    expect(items.length, `${path} length`).toBe(expected.length)
    expected.forEach((item, i) => {
      expectLikeDocumented(items[i], item, loose, `${path}[${i}]`)
    })
    return
  }
  if (isRecord(expected)) {
    expect(isRecord(actual), `${path} is an object`).toBe(true)
    const record = actual as Record<string, unknown>
    expect(Object.keys(record), `${path} keys`).toEqual(Object.keys(expected))
    for (const [key, value] of Object.entries(expected)) {
      expectLikeDocumented(record[key], value, loose, `${path}.${key}`)
    }
    return
  }
  if (loose(path, expected)) {
    sameKind(actual, expected, path)
  } else {
    expect(actual, path).toEqual(expected)
  }
}

/** Replaces the test world with an edited copy of itself (as PUT /mock/world would). */
export function editWorld(mock: TestMock, edit: (document: WorldDocument) => void): void {
  const document = exportWorld(mock.world.db)
  edit(document)
  const result = loadWorld(mock.world.db, document)
  if (!result.ok) {
    throw new Error(`The edited world is invalid: ${JSON.stringify(result.errors)}`)
  }
  mock.world.reloaded()
}

/** A user entry for a world document (token = `token`). */
export function worldUser(id: string, name: string, token: string): WorldDocument['users'][number] {
  return {
    id,
    name,
    email: `${token}@example.net`,
    email_verified_at: null,
    avatar: null,
    token,
    created_at: '2020-12-07T08:00:00.000000Z',
    updated_at: '2020-12-07T08:00:00.000000Z',
    settings: null,
    online_status: 0,
  }
}

/** A made-up but well-formed v4 UUID numbered `n` (for extra world rows). */
export function testId(prefix: string, n: number): string {
  return `${prefix.padEnd(8, '0').slice(0, 8)}-0000-4000-8000-${String(n).padStart(12, '0')}`
}

/** Raw JSON request helper: method, token and body. */
export async function call(
  mock: TestMock,
  method: string,
  path: string,
  token?: string,
  body?: unknown
): Promise<{ status: number; body: unknown }> {
  const init: RequestInit & { token?: string } = { method }
  if (token !== undefined) {
    init.token = token
  }
  if (body !== undefined) {
    init.headers = { 'Content-Type': 'application/json' }
    init.body = typeof body === 'string' ? body : JSON.stringify(body)
  }
  const res = await mock.request(path, init)
  return { status: res.status, body: await res.json() }
}
