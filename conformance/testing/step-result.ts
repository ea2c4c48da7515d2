// A step result for the tests of what is made of results (exit codes, summaries, reporters).
import type { StepResult } from '../types.ts'

/** A step `s › t` of operation `op` with `outcome` and `checks`; `changes` replace any field. */
export function stepResult(
  outcome: StepResult['outcome'],
  checks: number,
  changes: Partial<StepResult> = {}
): StepResult {
  return {
    id: 's › t',
    scenario: 's',
    step: 't',
    operationId: 'op',
    outcome,
    checks,
    failures: [],
    durationMs: 1,
    ...changes,
  }
}
