// Broadcast expectations of a step: which events must reach which private channels (and which must
// not), with payloads matched like bodies. Pure: the events a step caused come from a source
// (broadcast-sources.ts), and this compares them with what the step expects.
import { matchExample } from './match.ts'
import type { Matcher } from './match.ts'
import type { CheckFailure } from './types.ts'

/** One event as it reached one channel. */
export interface Delivery {
  event: string
  channel: string
  data: unknown
}

/**
 * An event the step must cause on a channel (`{{vars}}` allowed), with this payload: `data` (matched
 * like a body: documented literals stand for this run's values, generated ones match by kind), or
 * the AsyncAPI example of the event when `documented`; `overrides` as in bodies. `absent`: the
 * event must not reach the channel. `only`: the event reaches no watched channel but the ones the
 * step's expectations of that event name.
 */
export interface BroadcastExpectation {
  event: string
  channel: string
  data?: unknown
  documented?: boolean
  overrides?: Record<string, Matcher>
  absent?: boolean
  only?: boolean
}

/** Over sockets: how long a step waits at most for the events it expects to arrive. */
export const BROADCAST_WAIT_MS = 5000
/** Over sockets: how long a step that expects only absences listens for events. */
export const BROADCAST_QUIET_MS = 1000

/** The first example of each event in the AsyncAPI document, by event name. */
export function broadcastExamples(asyncapi: unknown): Record<string, unknown> {
  const messages = (asyncapi as { components?: { messages?: Record<string, unknown> } } | null)
    ?.components?.messages
  const examples: Record<string, unknown> = {}
  for (const message of Object.values(messages ?? {})) {
    const { name, examples: list } = message as { name?: unknown; examples?: unknown }
    const first = Array.isArray(list) ? (list[0] as { payload?: unknown } | undefined) : undefined
    if (typeof name === 'string' && first?.payload !== undefined) {
      examples[name] = first.payload
    }
  }
  return examples
}

const describe = (deliveries: readonly Delivery[]) =>
  deliveries.length === 0
    ? 'nothing arrived'
    : `what arrived: ${deliveries.map((d) => `${d.event} on ${d.channel}`).join(', ')}`

export interface BroadcastCheckOptions {
  /** Documented literal → this run's value, as for bodies. */
  vars: ReadonlyMap<string, string>
  /** Compare payloads (false at --level schema). */
  values: boolean
  /** The AsyncAPI examples, for `documented` expectations. */
  examples: Readonly<Record<string, unknown>>
  /** How the events were read, for the messages ("in the journal", "within 2 s"). */
  source: string
}

function payloadFailures(
  expectation: BroadcastExpectation,
  delivery: Delivery,
  options: BroadcastCheckOptions
): CheckFailure[] {
  const expected = expectation.documented ? options.examples[expectation.event] : expectation.data
  if (expectation.documented && expected === undefined) {
    return [
      {
        check: 'broadcast',
        path: '$',
        message: `the scenario asks for the documented ${expectation.event} payload, but the AsyncAPI document has no example of it`,
      },
    ]
  }
  if (!options.values || expected === undefined) {
    return []
  }
  return matchExample(expected, delivery.data, {
    vars: options.vars,
    ...(expectation.overrides ? { overrides: expectation.overrides } : {}),
  }).map((failure) => ({
    ...failure,
    check: 'broadcast',
    message: `${expectation.event} on ${expectation.channel}: ${failure.message}`,
  }))
}

/** Compares what arrived with what the step expects (channels already filled). */
export function checkBroadcasts(
  expectations: readonly BroadcastExpectation[],
  deliveries: readonly Delivery[],
  options: BroadcastCheckOptions
): CheckFailure[] {
  const failures: CheckFailure[] = []
  for (const expectation of expectations) {
    const { event, channel } = expectation
    const arrived = deliveries.filter((d) => d.event === event && d.channel === channel)
    const first = arrived[0]
    if (expectation.absent === true) {
      if (first !== undefined) {
        failures.push({
          check: 'broadcast',
          path: '$',
          message: `${event} must not reach ${channel}, but it did (${options.source})`,
          actual: first.data,
        })
      }
      continue
    }
    if (expectation.only === true) {
      const named = new Set(
        expectations.filter((e) => e.event === event && e.absent !== true).map((e) => e.channel)
      )
      for (const stray of deliveries.filter((d) => d.event === event && !named.has(d.channel))) {
        failures.push({
          check: 'broadcast',
          path: '$',
          message: `${event} also reached ${stray.channel}, where it does not belong (only ${[...named].join(', ')})`,
          actual: { channel: stray.channel, data: stray.data },
        })
      }
    }
    if (first === undefined) {
      failures.push({
        check: 'broadcast',
        path: '$',
        message: `${event} never reached ${channel} (${options.source}); ${describe(deliveries)}`,
        expected: { event, channel },
        actual: deliveries.map((d) => ({ event: d.event, channel: d.channel })),
      })
      continue
    }
    if (arrived.length > 1) {
      failures.push({
        check: 'broadcast',
        path: '$',
        message: `${event} reached ${channel} ${arrived.length} times, once expected`,
        actual: arrived.map((d) => d.data),
      })
    }
    failures.push(...payloadFailures(expectation, first, options))
  }
  return dedupe(failures)
}

/** `only` on several expectations of one event would report the same stray delivery each time. */
function dedupe(failures: CheckFailure[]): CheckFailure[] {
  const seen = new Set<string>()
  return failures.filter((failure) => {
    const key = `${failure.path} ${failure.message}`
    if (seen.has(key)) {
      return false
    }
    seen.add(key)
    return true
  })
}
