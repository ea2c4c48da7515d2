// The suite against Prism serving the contract (a spec-only mock): at --level schema every step
// that Prism can answer passes, and what it cannot offer is skipped with the reason.
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPrism } from '../scripts/prism-process.ts'
import type { RunningPrism } from '../scripts/prism-process.ts'
import { readFixtureProfile, runAgainst } from './testing/suite.ts'
import { summarize } from './types.ts'

let prism: RunningPrism
beforeAll(async () => {
  prism = await startPrism({
    mode: 'mock',
    spec: fileURLToPath(new URL('../openapi/openapi.yaml', import.meta.url)),
    logLevel: 'error',
  })
})
afterAll(async () => {
  await prism.stop()
})

describe('the suite against Prism at --level schema', () => {
  it('passes every step Prism can answer; the rest is skipped with a reason', async () => {
    const result = await runAgainst(prism.url, {
      level: 'schema',
      profile: readFixtureProfile('prism-profile'),
    })
    const failed = result.steps.filter((s) => s.outcome === 'failed')
    expect(failed.map((s) => `${s.id}: ${JSON.stringify(s.failures)}`)).toEqual([])
    const summary = summarize(result)
    expect(summary.passed).toBeGreaterThan(80)
    for (const step of result.steps.filter((s) => s.outcome === 'skipped')) {
      expect(step.reason).toMatch(
        /does not offer (control|lenient-ids|method-errors|multipart|images)/
      )
    }
  }, 120_000)
})
