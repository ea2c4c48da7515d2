// Where a step's broadcasts are read from. On the mock (its control API) the sandbox's broadcast
// journal says exactly what each request sent; on any other target that offers `broadcasts`, the
// runner holds a pusher-js socket per actor on their private channel (socket-watch.ts).
import type { Delivery } from './broadcasts.ts'
import { BROADCAST_QUIET_MS, BROADCAST_WAIT_MS } from './broadcasts.ts'
import { control } from './control.ts'
import type { ControlApi } from './control.ts'
import type { TargetProfile } from './scenario.ts'

/** An event a step waits for. */
export interface Awaited {
  event: string
  channel: string
}

export type Collected = { deliveries: Delivery[] } | { error: string }

export interface BroadcastWatch {
  /** How the events are read, for messages. */
  readonly source: string
  /** A point before the step's request: only what arrives after it counts for the step. */
  mark(): Promise<number | { error: string }>
  /** What arrived since `mark`; waits, within a bound, until every `awaited` event is there. */
  collect(mark: number, awaited: readonly Awaited[]): Promise<Collected>
  close(): Promise<void>
}

interface JournalEntry {
  id: number
  event: string
  channels: string[]
  data: unknown
}

/** The mock's journal of the scenario's sandbox (GET /mock/broadcasts). */
export function journalWatch(api: ControlApi, sandbox: string): BroadcastWatch {
  const read = async (): Promise<JournalEntry[] | { error: string }> => {
    const answer = await control(api, sandbox, 'GET', '/mock/broadcasts')
    if (!answer.ok) {
      return { error: `reading the broadcast journal failed: ${answer.error}` }
    }
    const data = (answer.body as { data?: unknown } | null)?.data
    return Array.isArray(data)
      ? (data as JournalEntry[])
      : { error: 'GET /mock/broadcasts answered no {"data": [...]}' }
  }
  return {
    source: 'read from the mock’s broadcast journal',
    async mark() {
      const entries = await read()
      return 'error' in entries ? entries : (entries.at(-1)?.id ?? 0)
    },
    async collect(mark) {
      const entries = await read()
      if ('error' in entries) {
        return entries
      }
      return {
        deliveries: entries
          .filter((entry) => entry.id > mark)
          .flatMap((entry) =>
            entry.channels.map((channel) => ({ event: entry.event, channel, data: entry.data }))
          ),
      }
    },
    close: () => Promise.resolve(),
  }
}

/** A watch that could not be set up: every step that expects broadcasts fails with the reason. */
export function brokenWatch(error: string): BroadcastWatch {
  return {
    source: 'no socket',
    mark: () => Promise.resolve({ error }),
    collect: () => Promise.resolve({ error }),
    close: () => Promise.resolve(),
  }
}

/**
 * Deliveries collected as they arrive (over sockets): `collect` waits up to BROADCAST_WAIT_MS after
 * the step's answer, ending as soon as every awaited event is there. A step that awaits none (it
 * only expects absences) listens BROADCAST_QUIET_MS, since nothing else says when to stop looking.
 */
export function arrivals() {
  const deliveries: Delivery[] = []
  let wake: (() => void) | undefined
  return {
    push(delivery: Delivery) {
      deliveries.push(delivery)
      wake?.()
    },
    mark: () => deliveries.length,
    async collect(mark: number, awaited: readonly Awaited[]): Promise<Delivery[]> {
      const deadline = Date.now() + (awaited.length > 0 ? BROADCAST_WAIT_MS : BROADCAST_QUIET_MS)
      const since = () => deliveries.slice(mark)
      const complete = () =>
        awaited.length > 0 &&
        awaited.every((a) => since().some((d) => d.event === a.event && d.channel === a.channel))
      while (!complete() && Date.now() < deadline) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, deadline - Date.now())
          wake = () => {
            clearTimeout(timer)
            resolve()
          }
        })
        wake = undefined
      }
      return since()
    },
  }
}

/** Why a target's broadcasts cannot be checked, or undefined when they can. */
export function broadcastsUnavailable(
  capabilities: ReadonlySet<string>,
  profile: TargetProfile
): string | undefined {
  if (capabilities.has('control')) {
    return undefined
  }
  if (!capabilities.has('broadcasts')) {
    return 'broadcasts not checked: the target does not offer broadcasts (a config lists the "broadcasts" capability with its socket settings)'
  }
  return profile.broadcasts === undefined
    ? 'broadcasts not checked: the config lists the "broadcasts" capability but gives no "broadcasts" socket settings (key, ws_host, ws_port, auth_endpoint)'
    : undefined
}
