// Broadcasts checked over real sockets, as against a backend without the mock's control API: the
// mock (a fresh process) is the target, the config gives its socket settings and the capability
// `broadcasts` but no control, so the runner subscribes with pusher-js. The suite passes; with a
// WebSocket proxy in front of the sockets that drops or misroutes one event, it fails at that step.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { TargetProfile } from './scenario.ts'
import { startMock } from './testing/mock-process.ts'
import type { RunningMock } from './testing/mock-process.ts'
import { startSocketProxy } from './testing/socket-proxy.ts'
import type { RunningSocketProxy, SocketMutant } from './testing/socket-proxy.ts'
import { readFixtureProfile, runAgainst } from './testing/suite.ts'

const SCENARIO = 'call broadcasts'
const JAIRO = 'private-user.922f8476-dfb5-45d5-8a76-ab6422e10e5d'
const JANE = 'private-user.922f8476-c5f4-4024-8ba2-1a0d1cd22d71'

let mock: RunningMock
let proxy: RunningSocketProxy
beforeAll(async () => {
  mock = await startMock()
  proxy = await startSocketProxy(Number(new URL(mock.url).port))
})
afterAll(async () => {
  await proxy.close()
  await mock.stop()
})
// Without sandboxes the scenario changes the main world; each run starts from the default one.
beforeEach(async () => {
  const reset = await fetch(`${mock.url}/mock/world/reset`, { method: 'POST' })
  expect(reset.status).toBe(200)
})

/** The mock as a backend without control: its actors and ids, its sockets at `wsPort`. */
function socketProfile(wsPort: number): TargetProfile {
  const documented = readFixtureProfile('documented-world')
  return {
    ...documented,
    public_url: mock.url,
    capabilities: ['default-world', 'broadcasts'],
    broadcasts: {
      key: 'messenger-mock',
      ws_host: '127.0.0.1',
      ws_port: wsPort,
      auth_endpoint: '/messenger/broadcasting/auth',
    },
  }
}

const run = (wsPort: number) =>
  runAgainst(mock.url, { profile: socketProfile(wsPort), only: (s) => s === SCENARIO })

describe('broadcasts over pusher-js sockets', () => {
  it("pass against the mock's own sockets, every step checked", async () => {
    const result = await run(Number(new URL(mock.url).port))
    expect(result.fatal).toBeUndefined()
    expect(result.steps.length).toBe(13)
    expect(result.steps.filter((s) => s.outcome !== 'passed').map((s) => s.id)).toEqual([])
  })

  const cases: [string, SocketMutant, string, RegExp][] = [
    [
      "a dropped left.call to Jairo's channel",
      (frame) => (frame.event === 'left.call' && frame.channel === JAIRO ? 'drop' : 'pass'),
      'Jairo leaves: left.call reaches Jairo only, and the call goes on',
      new RegExp(`^left\\.call never reached ${JAIRO} \\(over sockets.*\\); nothing arrived$`),
    ],
    [
      "an incoming.call misrouted to Jane's channel",
      (frame) =>
        frame.event === 'incoming.call' && frame.channel === JAIRO ? { to: JANE } : 'pass',
      'John calls Jairo: incoming.call reaches Jairo, not John',
      new RegExp(
        `^incoming\\.call never reached ${JAIRO} .*what arrived: incoming\\.call on ${JANE}`
      ),
    ],
  ]
  it.each(cases)('fail on %s, at that step', async (_label, mutant, step, message) => {
    proxy.use(mutant)
    const result = await run(proxy.port)
    expect(proxy.hits(), 'the mutant never acted').toBeGreaterThan(0)
    // Every other step passes through the proxy: the failure is the mutant's, not the proxy's.
    const failing = result.steps.filter((s) => s.outcome === 'failed')
    expect(failing.map((s) => s.step)).toEqual([step])
    expect(failing[0]?.failures.map((f) => [f.check, f.message])).toContainEqual([
      'broadcast',
      expect.stringMatching(message),
    ])
  })
})
