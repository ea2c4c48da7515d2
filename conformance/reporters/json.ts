// Machine-readable report: the whole SuiteResult, pretty-printed, with summary and exit decision.
import { decideExit } from '../exit.ts'
import { summarize } from '../types.ts'
import type { SuiteResult } from '../types.ts'

export function toJson(
  result: SuiteResult,
  options: { minCoverage?: number | undefined } = {}
): string {
  // Summary and exit first, so a reader (or `head`) sees the verdict before hundreds of steps.
  const { target, level, startedAt, durationMs, fatal, steps } = result
  const { seed, generated, coverage, comparedWith } = result
  const report = {
    target,
    level,
    startedAt,
    durationMs,
    summary: summarize(result),
    exit: decideExit(result, options),
    ...(seed === undefined ? {} : { seed }),
    ...(generated === undefined ? {} : { generated }),
    ...(coverage === undefined ? {} : { coverage }),
    ...(comparedWith === undefined ? {} : { comparedWith }),
    ...(fatal === undefined ? {} : { fatal }),
    steps,
  }
  return `${JSON.stringify(report, null, 2)}\n`
}
