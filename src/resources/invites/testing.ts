// Test support for the invite routes: the documented bodies, a key-by-key comparison with them,
// and editing the test world (config switches, extra users, threads and invites).
import type { TestMock } from '../../testing/harness.ts'
import { exportWorld } from '../../world/export.ts'
import { loadWorld } from '../../world/load.ts'
import type { WorldDocument } from '../../world/schema.ts'
import { documented, expectLikeDocumented as expectShared } from '../../testing/documented.ts'
import type { Loose } from '../../testing/documented.ts'

export { documented }
export { TIMESTAMP, UUID, idsAndTimestamps, timestamps } from '../../testing/documented.ts'
export type { Loose }

/** Like the documented body but where `loose` allows any value of the same kind. */
export function expectLikeDocumented(actual: unknown, expected: unknown, loose?: Loose): void {
  expectShared(actual, expected, loose === undefined ? {} : { loose })
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
