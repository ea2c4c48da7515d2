// Test helper: raw requests to the call routes and direct reads of the call tables.
import { expect } from 'vitest'
import type { components } from '../../generated/openapi.ts'
import { IDS, createTestMock } from '../../testing/harness.ts'
import type { TestMock } from '../../testing/harness.ts'
import type { CallParticipantRow, CallRow } from '../../db/rows.ts'

export type Call = components['schemas']['Call']
export type CallParticipant = components['schemas']['CallParticipant']
export type CallsPage = components['schemas']['CallsPage']

export interface Answer {
  status: number
  body: unknown
}

/** Sends a request as `token` (JSON body when given) and reads the JSON answer. */
export async function send(
  mock: TestMock,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown
): Promise<Answer> {
  const init: RequestInit & { token?: string } = { method }
  if (token !== undefined) {
    init.token = token
  }
  if (body !== undefined) {
    init.headers = { 'Content-Type': 'application/json' }
    init.body = JSON.stringify(body)
  }
  const res = await mock.request(path, init)
  return { status: res.status, body: await res.json() }
}

export const callsPath = (thread: string) => `/api/messenger/threads/${thread}/calls`
export const callPath = (thread: string, call: string, rest = '') =>
  `/api/messenger/threads/${thread}/calls/${call}${rest}`

/** Starts a call as `token` and returns its id (fails the test unless 201). */
export async function startCall(mock: TestMock, token: string, thread: string): Promise<string> {
  const res = await send(mock, token, 'POST', callsPath(thread))
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return (res.body as Call).id
}

/** Joins a call as `token` and returns the call participant. */
export async function joinCall(
  mock: TestMock,
  token: string,
  thread: string,
  call: string
): Promise<CallParticipant> {
  const res = await send(mock, token, 'POST', callPath(thread, call, '/join'))
  expect([200, 201], JSON.stringify(res.body)).toContain(res.status)
  return res.body as CallParticipant
}

/** A fresh mock where John has started a call in his thread with Jairo and Jairo has joined it. */
export async function johnAndJairoInCall(): Promise<{ mock: TestMock; id: string }> {
  const mock = createTestMock()
  const id = await startCall(mock, 'john', IDS.johnJairo)
  await joinCall(mock, 'jairo', IDS.johnJairo, id)
  return { mock, id }
}

const OPTION_FLAGS = ['admin', 'setup_complete', 'in_call', 'left_call', 'joined', 'kicked']

/** A call's `options` with the flags named in `set` true and every other false. */
export const optionsWith = (...set: string[]) =>
  Object.fromEntries(OPTION_FLAGS.map((flag) => [flag, set.includes(flag)]))

export function callRow(mock: TestMock, id: string): CallRow | undefined {
  return mock.world.db.prepare<[string], CallRow>('SELECT * FROM calls WHERE id = ?').get(id)
}

export function participantRow(
  mock: TestMock,
  call: string,
  user: string
): CallParticipantRow | undefined {
  return mock.world.db
    .prepare<[string, string], CallParticipantRow>(
      'SELECT * FROM call_participants WHERE call_id = ? AND owner_id = ?'
    )
    .get(call, user)
}

export function threadRow(mock: TestMock, id: string) {
  return mock.world.db
    .prepare<[string], { updated_at: string; call_lockout_until: string | null }>(
      'SELECT updated_at, call_lockout_until FROM threads WHERE id = ?'
    )
    .get(id)
}

/** Lets a group member start calls (the default world's Jane may not). */
export function allowStartCalls(mock: TestMock, thread: string, user: string): void {
  mock.world.db
    .prepare('UPDATE participants SET start_calls = 1 WHERE thread_id = ? AND owner_id = ?')
    .run(thread, user)
  mock.world.reloaded()
}

export const notFound = (model: string, id: string) => ({
  message: `No query results for model [RTippin\\Messenger\\Models\\${model}] ${id}`,
})
