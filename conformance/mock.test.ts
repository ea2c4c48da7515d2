// The suite against the mock (a real server process on a free port): everything passes, every
// operation is exercised, and the CLI reports and exits as CI needs.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { XMLParser } from 'fast-xml-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { startMock } from './testing/mock-process.ts'
import type { RunningMock } from './testing/mock-process.ts'
import { CLI, readFixtureProfile, runAgainst } from './testing/suite.ts'
import { summarize } from './types.ts'

let mock: RunningMock
beforeAll(async () => {
  mock = await startMock()
})
afterAll(async () => {
  await mock.stop()
})

function cli(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, NO_COLOR: '1' },
  })
}

/** The CLI against the mock, with only the generated negative checks of one kind. */
const negativeRun = (kind: string, ...more: string[]) =>
  cli(['--base-url', mock.url, '--level', 'negative', '--only', `negative: ${kind}`, ...more])

describe('the suite against the mock', () => {
  it('passes every step, skips none, and exercises every operation of the contract', async () => {
    const result = await runAgainst(mock.url)
    const failed = result.steps.filter((s) => s.outcome !== 'passed')
    expect(failed.map((s) => `${s.id}: ${s.reason ?? JSON.stringify(s.failures)}`)).toEqual([])
    const summary = summarize(result)
    expect(summary.failed).toBe(0)
    expect(summary.skipped).toBe(0)
    expect(summary.passed).toBeGreaterThan(100)

    const spec = parse(
      readFileSync(new URL('../openapi/openapi.yaml', import.meta.url), 'utf8')
    ) as {
      paths: Record<string, Record<string, { operationId?: string }>>
    }
    const operations = Object.values(spec.paths).flatMap((item) =>
      Object.values(item).flatMap((op) => (op.operationId === undefined ? [] : [op.operationId]))
    )
    const exercised = new Set(
      result.steps.filter((s) => s.outcome === 'passed').map((s) => s.operationId)
    )
    expect(operations.filter((op) => !exercised.has(op))).toEqual([])
  })

  it('leaves no sandbox behind', async () => {
    await runAgainst(mock.url, { only: (scenario) => scenario === 'invites' })
    const res = await fetch(`${mock.url}/mock/sandboxes`)
    expect(((await res.json()) as { data: unknown[] }).data).toEqual([])
  })
})

describe('the CLI', () => {
  it('exits 0, ends with the plain counts line and writes JUnit and JSON reports', () => {
    const output = mkdtempSync(join(tmpdir(), 'conformance-'))
    const run = cli([
      '--base-url',
      mock.url,
      '--reporter',
      'console,junit,json',
      '--output',
      output,
    ])
    expect(run.status, run.stdout + run.stderr).toBe(0)
    const lines = run.stdout.trim().split('\n')
    expect(lines[lines.length - 1]).toMatch(/^\d+ passed, 0 failed, 0 skipped$/)
    const junit = new XMLParser({ ignoreAttributes: false }).parse(
      readFileSync(join(output, 'conformance.junit.xml'), 'utf8')
    ) as { testsuites: { '@_failures': string; '@_tests': string } }
    expect(junit.testsuites['@_failures']).toBe('0')
    expect(Number(junit.testsuites['@_tests'])).toBeGreaterThan(100)
    const json = JSON.parse(readFileSync(join(output, 'conformance.json'), 'utf8')) as {
      summary: { failed: number }
      coverage: { documented: number; exercised: number; percent: number; missing: string[] }
      generated: Record<string, number>
    }
    expect(json.summary.failed).toBe(0)
    expect(json.coverage.documented).toBeGreaterThan(100)
    expect(json.coverage.exercised + json.coverage.missing.length).toBe(json.coverage.documented)
    expect(json.coverage.missing).not.toContain('showCall 200')
    expect(Object.keys(json.generated)).toEqual([
      'authentication',
      'authorization',
      'ids',
      'methods',
      'bodies',
    ])
    expect(run.stdout).toMatch(
      /Coverage: \d+ of \d+ documented responses exercised \([\d.]+ %\); negative checks on \d+ of \d+ operations/
    )
    const xml = readFileSync(join(output, 'conformance.junit.xml'), 'utf8')
    expect(xml).toContain(`<property name="coverage.percent" value="${json.coverage.percent}"/>`)
  })

  it('fails a run below --min-coverage, saying so', () => {
    const run = negativeRun('bodies', '--min-coverage', '90')
    expect(run.status, run.stdout + run.stderr).toBe(1)
    expect(run.stderr).toMatch(
      /coverage [\d.]+ % of the documented responses is below --min-coverage 90/
    )
  })

  it('fails at once with a clear reason when the target is unreachable', () => {
    const run = cli(['--base-url', 'http://127.0.0.1:9'])
    expect(run.status).toBe(2)
    expect(run.stderr).toMatch(/cannot reach http:\/\/127\.0\.0\.1:9/)
  })

  it('fails with a clear reason when every credential is refused', () => {
    const profile = readFixtureProfile('documented-world')
    for (const actor of Object.values(profile.actors)) {
      actor.headers = { Authorization: 'Bearer wrong' }
    }
    const file = join(mkdtempSync(join(tmpdir(), 'conformance-')), 'config.json')
    writeFileSync(file, JSON.stringify(profile))
    const run = cli(['--base-url', mock.url, '--config', file])
    expect(run.status).toBe(2)
    expect(run.stderr).toMatch(/every credential was refused/)
  })

  it('fails when no case matches --only', () => {
    const run = cli(['--base-url', mock.url, '--only', 'no such scenario'])
    expect(run.status).toBe(2)
    expect(run.stderr).toMatch(/no case matched --only/)
  })

  it('lists every case by name, the generated ones included, without a target', () => {
    const run = cli(['--list', '--seed', '3'])
    expect(run.status, run.stderr).toBe(0)
    const ids = run.stdout.trim().split('\n')
    expect(ids).toContain('invites › John creates an invite for two weeks and 25 uses')
    expect(ids).toContain('negative: authentication › getSettings without credentials')
    expect(ids).toContain('negative: authorization › showCall as an outsider')
    expect(ids).toContain('negative: ids › destroyInvite with an unknown {invite}')
    expect(ids).toContain('negative: bodies › storeInvite with expires above its maximum')
    const bounded = cli(['--list', '--level', 'negative', '--max-cases', '12', '--seed', '3'])
    const cases = bounded.stdout
      .trim()
      .split('\n')
      .filter((id) => !id.includes('a member'))
    expect(cases).toHaveLength(12)
  })

  it('runs the generated checks of one kind with --level negative --only, naming the seed', () => {
    const run = negativeRun('ids', '--seed', '11')
    expect(run.status, run.stdout + run.stderr).toBe(0)
    expect(run.stdout).toMatch(/negative: ids › showCall with a malformed \{call\}/)
    expect(run.stdout).not.toMatch(/negative: authentication ›/)
    expect(run.stdout).toMatch(/seed 11/)
  })

  it('runs only the matching cases and still counts their checks', () => {
    const run = cli(['--base-url', mock.url, '--only', 'invites'])
    expect(run.status, run.stdout + run.stderr).toBe(0)
    expect(run.stdout).toMatch(/invites › John creates an invite/)
    expect(run.stdout).not.toMatch(/calls in a private thread ›/)
  })
})
