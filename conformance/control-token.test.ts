// A mock whose control API requires a token (X-Mock-Token, as on a non-loopback address): the runner
// sends the one it was given on every control request, and without it stops at once, saying what to
// pass. Real mock process, real HTTP.
import { spawnSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startMock } from './testing/mock-process.ts'
import type { RunningMock } from './testing/mock-process.ts'
import { CLI, runAgainst } from './testing/suite.ts'

const TOKEN = 'conformance-test-token'
const SCENARIO = 'channel authorisation'

let mock: RunningMock
beforeAll(async () => {
  mock = await startMock(['--control-token', TOKEN])
})
afterAll(async () => {
  await mock.stop()
})

describe('the control token', () => {
  it('without it the run stops before any step, naming --control-token', async () => {
    const result = await runAgainst(mock.url, { only: (scenario) => scenario === SCENARIO })
    expect(result.steps).toEqual([])
    expect(result.fatal).toMatch(/answered 401: it needs its token\. Pass --control-token TOKEN/)
    expect(result.fatal).toContain('MOCK_CONTROL_TOKEN')
  })

  it('a wrong token is refused with the same advice', async () => {
    const result = await runAgainst(mock.url, {
      only: (scenario) => scenario === SCENARIO,
      controlToken: 'not-the-token',
    })
    expect(result.fatal).toMatch(/answered 401 to the token given with --control-token/)
  })

  it('with it every control request gets through: sandboxes are made, used and deleted', async () => {
    const result = await runAgainst(mock.url, {
      only: (scenario) => scenario === SCENARIO,
      controlToken: TOKEN,
    })
    expect(result.fatal).toBeUndefined()
    expect(result.steps.length).toBeGreaterThan(0)
    expect(result.steps.filter((s) => s.outcome !== 'passed').map((s) => s.id)).toEqual([])
    const left = await fetch(`${mock.url}/mock/sandboxes`, { headers: { 'X-Mock-Token': TOKEN } })
    expect(((await left.json()) as { data: unknown[] }).data).toEqual([])
  })

  it('the CLI takes it from MOCK_CONTROL_TOKEN, and exits 2 with the advice without it', () => {
    const cli = (env: Record<string, string>) =>
      spawnSync(
        process.execPath,
        ['--import', 'tsx', CLI, '--base-url', mock.url, '--only', SCENARIO],
        { encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1', ...env } }
      )
    const withToken = cli({ MOCK_CONTROL_TOKEN: TOKEN })
    expect(withToken.status, withToken.stdout + withToken.stderr).toBe(0)
    expect(withToken.stdout).toMatch(/\n[1-9]\d* passed, 0 failed, 0 skipped\n?$/)
    const without = cli({ MOCK_CONTROL_TOKEN: '' })
    expect(without.status).toBe(2)
    expect(without.stderr).toMatch(/Pass --control-token TOKEN \(or set MOCK_CONTROL_TOKEN\)/)
  })
})
