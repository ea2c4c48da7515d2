// The benchmark's worlds: the default world plus what the write benchmarks need (users that join
// and leave one call, group threads to start calls in), optionally grown to many users and calls.
// Written to a database file the mock then opens, as `npm start -- --db FILE` would.
import { migrate } from '../src/db/migrate.ts'
import { openDb } from '../src/db/open.ts'
import { readDefaultWorld } from '../src/world/default-world.ts'
import { loadWorld } from '../src/world/load.ts'

export const JOHN = '922f8476-bdda-4ebd-b283-be23602c658d'
/** The private thread of John and Jairo, where the grown calls go. */
export const JOHN_JAIRO = '92316158-d218-4b23-b90b-a708fb354685'
/** A group thread of John and the join/leave users, with an active call John stays in. */
export const BENCH_GROUP = '00000000-0000-4000-8000-0000000b0000'
export const BENCH_CALL = '00000000-0000-4000-8000-0000000c0000'
/** An active call of John and Jairo, newer than every other call of their thread. */
export const SHOW_CALL = '00000000-0000-4000-8000-0000000c0001'

export interface WorldSize {
  /** Users who join and leave the bench call, one per connection (tokens bench-0, bench-1, …). */
  joiners: number
  /** Group threads John may start a call in, one start each. */
  startThreads: number
  /** Extra searchable users ("Member 0", …), none matching the benchmark's search. */
  users: number
  /** Extra ended calls in John and Jairo's thread, older than the documented ones. */
  calls: number
}

const uuid = (kind: number, n: number) =>
  `00000000-0000-4000-8${kind.toString(16).padStart(3, '0')}-${n.toString(16).padStart(12, '0')}`
export const startThreadId = (n: number) => uuid(0xd, n)
/** The n-th grown call of John and Jairo's thread (0 is the oldest). */
export const grownCallId = (n: number) => uuid(0x1c, n)
const at = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '.000000Z')

// Older than every documented row, one second apart.
const BASE_MS = Date.parse('2020-01-01T00:00:00Z')

export function benchWorld(size: WorldSize): object {
  const world: Record<string, unknown> = { ...readDefaultWorld() }
  // The document's lists, copied so that rows can be added.
  const list = (key: string): object[] => {
    const rows = [...(world[key] as object[])]
    world[key] = rows
    return rows
  }
  const users = list('users')
  const threads = list('threads')
  const participants = list('participants')
  const calls = list('calls')
  const callParticipants = list('call_participants')
  const user = (id: string, name: string, token: string, n: number) => ({
    id,
    name,
    email: `${token}@bench.example`,
    token,
    created_at: at(BASE_MS + n * 1000),
    updated_at: at(BASE_MS + n * 1000),
    settings: {},
  })
  const member = (threadId: string, userId: string, admin: boolean) => ({
    thread_id: threadId,
    user_id: userId,
    admin,
    start_calls: admin,
  })
  threads.push({ id: BENCH_GROUP, type: 2, subject: 'Bench', created_at: at(BASE_MS) })
  participants.push(member(BENCH_GROUP, JOHN, true))
  calls.push({ id: BENCH_CALL, thread_id: BENCH_GROUP, owner_id: JOHN, created_at: at(BASE_MS) })
  callParticipants.push({ id: uuid(0xe, 0), call_id: BENCH_CALL, user_id: JOHN })
  const showAt = '2020-12-08T06:20:00.000000Z'
  calls.push({ id: SHOW_CALL, thread_id: JOHN_JAIRO, owner_id: JOHN, created_at: showAt })
  callParticipants.push({ id: uuid(0xe, 1), call_id: SHOW_CALL, user_id: JOHN, created_at: showAt })
  for (let i = 0; i < size.joiners; i += 1) {
    const id = uuid(0xa, i)
    users.push(user(id, `Bench Joiner ${i}`, `bench-${i}`, i))
    participants.push(member(BENCH_GROUP, id, false))
  }
  for (let i = 0; i < size.startThreads; i += 1) {
    threads.push({ id: startThreadId(i), type: 2, subject: `Start ${i}`, created_at: at(BASE_MS) })
    participants.push(member(startThreadId(i), JOHN, true))
  }
  for (let i = 0; i < size.users; i += 1) {
    users.push(user(uuid(0xf, i), `Member ${i}`, `member-${i}`, size.joiners + i))
  }
  for (let i = 0; i < size.calls; i += 1) {
    const time = at(BASE_MS + i * 1000)
    calls.push({
      id: grownCallId(i),
      thread_id: JOHN_JAIRO,
      owner_id: JOHN,
      call_ended: time,
      created_at: time,
      updated_at: time,
    })
    callParticipants.push({ id: uuid(0x1e, i), call_id: grownCallId(i), user_id: JOHN })
  }
  // No search rate limit, so search can be loaded like any other read.
  world['config'] = { ...(world['config'] as object), search_rate_limit: 0 }
  return world
}

/** Writes `world` into a new database file for the mock to open. */
export function writeWorldFile(file: string, world: object): void {
  const db = openDb(file)
  try {
    migrate(db)
    const result = loadWorld(db, world)
    if (!result.ok) {
      throw new Error(`bench world rejected: ${JSON.stringify(result.errors).slice(0, 2000)}`)
    }
  } finally {
    db.close()
  }
}
