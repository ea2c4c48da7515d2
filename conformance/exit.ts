// Turns a SuiteResult into the process exit code, so CI never reads a broken run as a pass.
import { summarize } from './types.ts'
import type { SuiteResult } from './types.ts'

export interface ExitDecision {
  /** 0 every check passed; 1 a check failed or none ran; 2 the run could not proceed. */
  code: 0 | 1 | 2
  reason: string
}

export function decideExit(
  result: SuiteResult,
  options: { minCoverage?: number | undefined } = {}
): ExitDecision {
  if (result.fatal !== undefined) {
    return { code: 2, reason: result.fatal }
  }
  const summary = summarize(result)
  if (summary.failed > 0) {
    const steps = summary.failed === 1 ? 'step' : 'steps'
    return { code: 1, reason: `${summary.failed} ${steps} failed` }
  }
  // Everything skipped, or nothing selected, proves nothing about the target.
  if (summary.checks === 0) {
    return { code: 1, reason: 'no check ran' }
  }
  if (
    options.minCoverage !== undefined &&
    result.coverage !== undefined &&
    result.coverage.percent < options.minCoverage
  ) {
    return {
      code: 1,
      reason: `coverage ${result.coverage.percent} % of the documented responses is below --min-coverage ${options.minCoverage}`,
    }
  }
  return {
    code: 0,
    reason: `${summary.passed} passed, ${summary.skipped} skipped, ${summary.checks} checks`,
  }
}
