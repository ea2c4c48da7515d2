// Tests for decideExit: no broken, empty or all-skipped run may exit 0.
import { describe, expect, it } from 'vitest'
import { decideExit } from './exit.ts'
import { stepResult } from './testing/step-result.ts'
import type { StepResult, SuiteResult } from './types.ts'

const step = stepResult

function result(steps: StepResult[], fatal?: string): SuiteResult {
  const base: SuiteResult = {
    target: 'http://x',
    level: 'full',
    startedAt: '',
    durationMs: 1,
    steps,
  }
  return fatal === undefined ? base : { ...base, fatal }
}

describe('decideExit', () => {
  it('exits 0 when checks ran and none failed, skips included', () => {
    expect(decideExit(result([step('passed', 3), step('skipped', 0)]))).toEqual({
      code: 0,
      reason: '1 passed, 1 skipped, 3 checks',
    })
  })

  it('exits 2 with the fatal text, whatever the steps say', () => {
    expect(decideExit(result([step('passed', 3)], 'target unreachable: ECONNREFUSED'))).toEqual({
      code: 2,
      reason: 'target unreachable: ECONNREFUSED',
    })
  })

  it('exits 1 when a step failed', () => {
    expect(decideExit(result([step('passed', 3), step('failed', 2), step('failed', 1)]))).toEqual({
      code: 1,
      reason: '2 steps failed',
    })
  })

  it('exits 1 when a step carries failures though marked passed', () => {
    const failure = { check: 'status' as const, path: '$', message: 'expected 200, got 500' }
    expect(decideExit(result([step('passed', 1, { failures: [failure] })])).code).toBe(1)
  })

  it('exits 1 when no check ran: no steps, or everything skipped', () => {
    expect(decideExit(result([]))).toEqual({ code: 1, reason: 'no check ran' })
    expect(decideExit(result([step('skipped', 0), step('skipped', 0)]))).toEqual({
      code: 1,
      reason: 'no check ran',
    })
    expect(decideExit(result([step('passed', 0)]))).toEqual({ code: 1, reason: 'no check ran' })
  })
})
