// The suite against Prism serving the contract (a spec-only mock): at --level schema every step
// that Prism can answer passes, and what it cannot offer is skipped with the reason.
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { startPrism } from '../scripts/prism-process.ts'
import { startMock } from './testing/mock-process.ts'
import { readFixtureProfile, runAgainst } from './testing/suite.ts'
import { summarize } from './types.ts'
import { usePrismMock } from '../scripts/prism-for-tests.ts'

const prismMock = usePrismMock()

describe('the suite against Prism at --level schema', () => {
  it('passes every step Prism can answer; the rest is skipped with a reason', async () => {
    const result = await runAgainst(prismMock.current().url, {
      level: 'schema',
      profile: readFixtureProfile('prism-profile'),
    })
    const failed = result.steps.filter((s) => s.outcome === 'failed')
    expect(failed.map((s) => `${s.id}: ${JSON.stringify(s.failures)}`)).toEqual([])
    const summary = summarize(result)
    expect(summary.passed).toBeGreaterThan(80)
    for (const step of result.steps.filter((s) => s.outcome === 'skipped')) {
      expect(step.reason).toMatch(
        /does not offer (control|lenient-ids|method-errors|multipart|images|broadcasts)/
      )
    }
    // A step that expects broadcasts is checked over HTTP; its broadcast half is skipped apart.
    const started = result.steps.filter((s) => s.step.startsWith('John starts a call with Jairo'))
    expect(started.map((s) => [s.step, s.outcome, s.reason])).toEqual([
      ['John starts a call with Jairo', 'passed', undefined],
      [
        'John starts a call with Jairo [broadcasts]',
        'skipped',
        expect.stringMatching(/^broadcasts not checked: the target does not offer broadcasts/),
      ],
    ])
  }, 120_000)
})

describe("the suite through Prism's validation proxy in front of the mock", () => {
  it('checks every answer the backend gives; what Prism answers itself is skipped, saying so', async () => {
    const mock = await startMock()
    const proxy = await startPrism({
      mode: 'proxy',
      spec: fileURLToPath(new URL('../openapi/openapi.yaml', import.meta.url)),
      upstream: mock.url,
      logLevel: 'error',
    })
    try {
      const result = await runAgainst(proxy.url, { controlUrl: mock.url, maxCases: 40 })
      // Prism's proxy re-encodes multipart bodies, so the upload reaches the mock broken (a 422
      // from the mock itself); README lists it among what a run through the proxy cannot check.
      const failed = result.steps.filter(
        (s) => s.outcome === 'failed' && s.step !== 'John uploads an avatar'
      )
      expect(failed.map((s) => `${s.id}: ${JSON.stringify(s.failures)}`)).toEqual([])
      expect(summarize(result).passed).toBeGreaterThan(100)
      const skipped = result.steps.filter((s) => s.outcome === 'skipped')
      expect(skipped.length).toBeGreaterThan(0)
      for (const step of skipped) {
        expect(step.reason).toMatch(/answered by Prism's validation proxy itself|needs \{\{/)
      }
    } finally {
      await proxy.stop()
      await mock.stop()
    }
  }, 240_000)
})
