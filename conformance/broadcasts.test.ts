// The broadcast check alone: what arrived against what a step expects.
import { describe, expect, it } from 'vitest'
import { broadcastExamples, checkBroadcasts } from './broadcasts.ts'
import type { BroadcastCheckOptions, Delivery } from './broadcasts.ts'

const JAIRO = 'private-user.jairo-id'
const JANE = 'private-user.jane-id'
const JOHN = 'private-user.john-id'
const CALL = { id: 'call-id', type: 1, created_at: '2020-12-08T06:10:54.000000Z' }
const options: BroadcastCheckOptions = {
  vars: new Map(),
  values: true,
  examples: { 'joined.call': CALL },
  source: 'read from the journal',
}
const at = (event: string, channel: string, data: unknown = CALL): Delivery => ({
  event,
  channel,
  data,
})

describe('checkBroadcasts', () => {
  it('passes when the event reached the channel with the payload', () => {
    expect(
      checkBroadcasts(
        [{ event: 'joined.call', channel: JAIRO, data: CALL, only: true }],
        [at('joined.call', JAIRO), at('left.call', JOHN)],
        options
      )
    ).toEqual([])
  })

  it('names the event, the channel and what arrived instead when it is missing', () => {
    const failures = checkBroadcasts(
      [{ event: 'incoming.call', channel: JAIRO }],
      [at('incoming.call', JANE), at('joined.call', JOHN)],
      options
    )
    expect(failures).toHaveLength(1)
    expect(failures[0]).toMatchObject({ check: 'broadcast', path: '$' })
    expect(failures[0]?.message).toBe(
      `incoming.call never reached ${JAIRO} (read from the journal); what arrived: incoming.call on ${JANE}, joined.call on ${JOHN}`
    )
    expect(
      checkBroadcasts([{ event: 'incoming.call', channel: JAIRO }], [], options)[0]?.message
    ).toMatch(/nothing arrived$/)
  })

  it('fails an event that must not reach a channel, and one that reached another with only', () => {
    const absent = { event: 'joined.call', channel: JOHN, absent: true }
    expect(checkBroadcasts([absent], [at('joined.call', JOHN)], options)[0]?.message).toBe(
      `joined.call must not reach ${JOHN}, but it did (read from the journal)`
    )
    const strays = checkBroadcasts(
      [
        { event: 'call.ended', channel: JOHN, only: true },
        { event: 'call.ended', channel: JAIRO, only: true },
      ],
      [at('call.ended', JOHN), at('call.ended', JAIRO), at('call.ended', JANE)],
      options
    )
    expect(strays.map((f) => f.message)).toEqual([
      `call.ended also reached ${JANE}, where it does not belong (only ${JOHN}, ${JAIRO})`,
    ])
    // A misrouted event: missing where it belongs, and a stray where it does not.
    expect(
      checkBroadcasts(
        [{ event: 'incoming.call', channel: JAIRO, only: true }],
        [at('incoming.call', JANE)],
        options
      ).map((f) => f.message)
    ).toEqual([
      `incoming.call also reached ${JANE}, where it does not belong (only ${JAIRO})`,
      `incoming.call never reached ${JAIRO} (read from the journal); what arrived: incoming.call on ${JANE}`,
    ])
    // Without `only`, other channels are not the step's business.
    expect(
      checkBroadcasts(
        [{ event: 'call.ended', channel: JOHN }],
        [at('call.ended', JOHN), at('call.ended', JANE)],
        options
      )
    ).toEqual([])
  })

  it('reports the JSON path where the payload differs, and a repeated delivery', () => {
    const failures = checkBroadcasts(
      [{ event: 'joined.call', channel: JAIRO, documented: true }],
      [at('joined.call', JAIRO, { ...CALL, type: 2 }), at('joined.call', JAIRO)],
      options
    )
    expect(failures.map((f) => [f.path, f.message])).toEqual([
      ['$', `joined.call reached ${JAIRO} 2 times, once expected`],
      ['$.type', `joined.call on ${JAIRO}: expected 1, got 2`],
    ])
  })

  it('matches generated values by kind and documented literals by this run’s values', () => {
    const expectation = {
      event: 'joined.call',
      channel: JAIRO,
      data: { ...CALL, id: '9231616a-43ad-4232-ba58-0d79f0b89871' },
    }
    const actual = { ...CALL, id: 'b1c4a3f0-0000-4000-8000-000000000001' }
    const vars = new Map([['9231616a-43ad-4232-ba58-0d79f0b89871', actual.id]])
    expect(
      checkBroadcasts([expectation], [at('joined.call', JAIRO, actual)], { ...options, vars })
    ).toEqual([])
    const other = { ...actual, id: 'b1c4a3f0-0000-4000-8000-000000000002' }
    expect(
      checkBroadcasts([expectation], [at('joined.call', JAIRO, other)], {
        ...options,
        vars,
      }).map((f) => f.path)
    ).toEqual(['$.id'])
    // At --level schema only the routing is checked.
    expect(
      checkBroadcasts([expectation], [at('joined.call', JAIRO, other)], {
        ...options,
        vars,
        values: false,
      })
    ).toEqual([])
  })

  it('says so when a documented payload has no example', () => {
    const documented = { event: 'left.call', channel: JAIRO, documented: true }
    const failures = checkBroadcasts([documented], [at('left.call', JAIRO)], options)
    expect(failures[0]?.message).toMatch(/AsyncAPI document has no example of it/)
  })
})

describe('broadcastExamples', () => {
  it('maps each message name to its first example payload', () => {
    expect(
      broadcastExamples({
        components: {
          messages: {
            JoinedCall: { name: 'joined.call', examples: [{ payload: CALL }, { payload: {} }] },
            Bare: { name: 'bare' },
          },
        },
      })
    ).toEqual({ 'joined.call': CALL })
  })
})
