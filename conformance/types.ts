// The conformance result model: plain JSON-serialisable data for the runner, reporters and exit.

/** schema: scenarios, schema only; full: scenarios and generated checks; negative: generated only. */
export type Level = 'full' | 'schema' | 'negative'

export type CheckName =
  | 'transport'
  | 'status'
  | 'server-error'
  | 'content-type'
  | 'schema'
  | 'example'
  | 'capture'
  | 'setup'
  | 'allow'
  | 'message'
  | 'validation'
  | 'leak'
  | 'view'
  | 'compare'
  | 'broadcast'

export interface CheckFailure {
  check: CheckName
  /** JSON path of the value, '$' for the root, e.g. "$.data[0].options.admin". */
  path: string
  message: string
  expected?: unknown
  actual?: unknown
}

export interface RecordedRequest {
  method: string
  url: string
  actor: string | null
  headers: Record<string, string>
  body?: unknown
}

export interface RecordedResponse {
  status: number
  headers: Record<string, string>
  body: unknown
}

export type Outcome = 'passed' | 'failed' | 'skipped'

export interface StepResult {
  /** "<scenario> › <step>" */
  id: string
  scenario: string
  step: string
  operationId: string
  /** The kind of generated check ("authentication", …); absent for a scenario step. */
  kind?: string
  /** Operations whose documented response this step exercises, when not just `operationId`. */
  covers?: string[]
  outcome: Outcome
  /** Why the step was skipped. */
  reason?: string
  /** How many checks ran. */
  checks: number
  failures: CheckFailure[]
  request?: RecordedRequest
  response?: RecordedResponse
  durationMs: number
}

export interface SuiteResult {
  target: string
  level: Level
  startedAt: string
  durationMs: number
  steps: StepResult[]
  /** The seed of the generated cases (repeat a run with --seed). */
  seed?: number
  /** Generated cases of each kind in this run. */
  generated?: Record<string, number>
  /** Documented responses exercised, and the operations that had generated negative checks. */
  coverage?: Coverage
  /** The second target of a differential run (--compare-with). */
  comparedWith?: string
  /**
   * Set when the run could not proceed: unreachable target, every credential refused, no case
   * matched --only.
   */
  fatal?: string
}

export interface Coverage {
  /** Documented responses: operation × status. */
  documented: number
  exercised: number
  /** exercised / documented, in percent, one decimal. */
  percent: number
  /** The documented responses no step got ("showCall 405"). */
  missing: string[]
  /** For each operation, the kinds of generated checks that ran on it (none: an empty list). */
  negative: Record<string, string[]>
}

export interface Summary {
  passed: number
  failed: number
  skipped: number
  checks: number
}

/** The separator between scenario and step in a step id. */
export const ID_SEPARATOR = ' › '

export function stepId(scenario: string, step: string): string {
  return `${scenario}${ID_SEPARATOR}${step}`
}

/**
 * The outcome every reporter and the exit code use. A step that carries failures counts as failed
 * whatever its `outcome` says, so a runner bug can never turn a recorded failure into a pass.
 */
export function effectiveOutcome(step: StepResult): Outcome {
  return step.failures.length > 0 ? 'failed' : step.outcome
}

export function summarize(result: SuiteResult): Summary {
  const summary: Summary = { passed: 0, failed: 0, skipped: 0, checks: 0 }
  for (const step of result.steps) {
    summary[effectiveOutcome(step)] += 1
    summary.checks += step.checks
  }
  return summary
}
