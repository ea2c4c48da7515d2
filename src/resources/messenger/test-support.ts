// Shared by the account and image tests: the documented examples, a key-by-key comparison with
// them, world and config changes, and image fixtures.
import sharp from 'sharp'
import { expect } from 'vitest'
import { documented, timestamps } from '../../testing/documented.ts'
import { expectLikeDocumented as expectShared } from '../../testing/documented.ts'
import { createTestMock } from '../../testing/harness.ts'
import type { TestMock } from '../../testing/harness.ts'
import { expectValidResponse } from '../../testing/spec-validator.ts'
import { readDefaultWorld } from '../../world/default-world.ts'
import { loadWorld } from '../../world/load.ts'
import type { WorldDocument, WorldDocumentInput } from '../../world/schema.ts'

/** The documented response body of an operation (a fresh copy). */
export function documentedBody(operationId: string): unknown {
  return documented(operationId).body
}

/** Like the documented body, timestamps of any time; `overrides` give this world's values. */
export function expectLikeDocumented(
  actual: unknown,
  expected: unknown,
  overrides: Record<string, unknown> = {}
): void {
  expectShared(actual, expected, { loose: timestamps, overrides })
}

/**
 * John's GET of `path` on a fresh mock: 200, valid against the contract and like the documented
 * answer of `operationId`. The parsed body, for further checks.
 */
export async function expectDocumentedGet(
  path: string,
  operationId: string
): Promise<Record<string, unknown>> {
  const res = await createTestMock().request(path, { token: 'john' })
  expect(res.status).toBe(200)
  const body = (await res.json()) as Record<string, unknown>
  expectValidResponse(operationId, 200, body)
  expectLikeDocumented(body, documentedBody(operationId))
  return body
}

/** Without a valid token the request gets Laravel's 401 body (on a fresh mock). */
export async function expectGuestRefused(
  path: string,
  init: RequestInit & { token?: string } = {}
): Promise<void> {
  const res = await createTestMock().request(path, init)
  expect(res.status).toBe(401)
  expect(await res.json()).toEqual({ message: 'Unauthenticated.' })
}

/** Sends `body` as JSON with `token`'s login; the status and the parsed answer. */
export async function sendJson(
  mock: TestMock,
  method: 'POST' | 'PUT',
  path: string,
  body: unknown,
  token: string
) {
  const res = await mock.request(path, {
    method,
    token,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

/** Changes one config switch of the mock's world. */
export function setConfig(mock: TestMock, key: string, value: unknown): void {
  mock.world.db
    .prepare(`UPDATE world_config SET config = json_set(config, '$.' || ?, json(?))`)
    .run(key, JSON.stringify(value))
  mock.world.reloaded()
}

/** Replaces the mock's world with the default world changed by `change` (frozen clock). */
export function loadCustomWorld(
  mock: TestMock,
  change: (world: WorldDocument) => WorldDocumentInput
): void {
  const base = readDefaultWorld()
  const document = change({ ...base, clock: { ...base.clock, frozen: true } })
  const result = loadWorld(mock.world.db, document)
  expect(result).toEqual({ ok: true })
  mock.world.reloaded()
}

/** A solid-colour PNG of the given size. */
export function png(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#3366cc' } })
    .png()
    .toBuffer()
}

export async function imageSize(bytes: ArrayBuffer | Uint8Array) {
  const { width, height, format } = await sharp(new Uint8Array(bytes)).metadata()
  return { width, height, format }
}

/** A multipart avatar upload request of `content` under `name`. */
export function avatarForm(content: Uint8Array | string, name = 'avatar.png'): FormData {
  const form = new FormData()
  form.append('image', typeof content === 'string' ? content : new File([content], name))
  return form
}
