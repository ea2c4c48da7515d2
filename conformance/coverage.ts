// Which documented responses (operation × status) a run exercised, and which operations had
// generated negative checks: the measure of what a green run actually says about a target.
import type { ContractOperation } from './contract.ts'
import { effectiveOutcome } from './types.ts'
import type { Coverage, StepResult } from './types.ts'

/** The step got the status it expected (whatever else failed, that response was exercised). */
function exercisedStatus(step: StepResult): number | undefined {
  if (effectiveOutcome(step) === 'skipped' || step.response === undefined) {
    return undefined
  }
  return step.failures.some((f) => f.check === 'status' || f.check === 'transport')
    ? undefined
    : step.response.status
}

export function computeCoverage(
  operations: readonly ContractOperation[],
  steps: readonly StepResult[]
): Coverage {
  const seen = new Set<string>()
  const negative = new Map<string, Set<string>>()
  for (const step of steps) {
    const status = exercisedStatus(step)
    for (const operationId of step.covers ?? [step.operationId]) {
      if (status !== undefined) {
        seen.add(`${operationId} ${status}`)
      }
      if (step.kind !== undefined && effectiveOutcome(step) !== 'skipped') {
        negative.set(operationId, (negative.get(operationId) ?? new Set()).add(step.kind))
      }
    }
  }
  const responses = operations.flatMap((op) =>
    op.responses.map((r) => ({
      operationId: op.operationId,
      status: r.status,
      exercised: seen.has(`${op.operationId} ${r.status}`),
    }))
  )
  const exercised = responses.filter((r) => r.exercised).length
  return {
    documented: responses.length,
    exercised,
    percent: responses.length === 0 ? 0 : Math.round((exercised / responses.length) * 1000) / 10,
    missing: responses.filter((r) => !r.exercised).map((r) => `${r.operationId} ${r.status}`),
    negative: Object.fromEntries(
      operations.map((op) => [op.operationId, [...(negative.get(op.operationId) ?? [])].sort()])
    ),
  }
}

/** One line for the console summary. */
export function formatCoverage(coverage: Coverage): string {
  const operations = Object.keys(coverage.negative)
  const checked = operations.filter((op) => (coverage.negative[op] ?? []).length > 0)
  return (
    `Coverage: ${coverage.exercised} of ${coverage.documented} documented responses exercised ` +
    `(${coverage.percent.toFixed(1)} %); negative checks on ${checked.length} of ${operations.length} operations`
  )
}
