// Tests for summarize and effectiveOutcome.
import { describe, expect, it } from 'vitest'
import { stepResult } from './testing/step-result.ts'
import { effectiveOutcome, stepId, summarize } from './types.ts'
import type { StepResult } from './types.ts'

const step = (
  outcome: StepResult['outcome'],
  checks: number,
  failures: StepResult['failures'] = []
): StepResult => stepResult(outcome, checks, { failures })

const FAILURE = { check: 'example' as const, path: '$.a', message: 'expected 1, got 2' }

describe('summarize', () => {
  it('counts outcomes and adds up checks', () => {
    const steps = [
      step('passed', 3),
      step('passed', 2),
      step('failed', 4, [FAILURE]),
      step('skipped', 0),
    ]
    expect(summarize({ target: 'x', level: 'full', startedAt: '', durationMs: 0, steps })).toEqual({
      passed: 2,
      failed: 1,
      skipped: 0 + 1,
      checks: 9,
    })
  })

  it('counts a step that carries failures as failed whatever its outcome', () => {
    expect(effectiveOutcome(step('passed', 1, [FAILURE]))).toBe('failed')
    expect(effectiveOutcome(step('skipped', 0, [FAILURE]))).toBe('failed')
    expect(effectiveOutcome(step('skipped', 0))).toBe('skipped')
    const steps = [step('passed', 1, [FAILURE])]
    expect(
      summarize({ target: 'x', level: 'full', startedAt: '', durationMs: 0, steps }).failed
    ).toBe(1)
  })

  it('builds step ids with the › separator', () => {
    expect(stepId('calls lifecycle', 'John starts a call')).toBe(
      'calls lifecycle › John starts a call'
    )
  })
})
