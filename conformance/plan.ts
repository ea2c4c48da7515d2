// What a run plays, by level: the scenarios (schema, full) and the cases generated from the
// contract (negative, full), reproducible by seed and bounded by --max-cases.
import { readContract } from './contract.ts'
import type { NegativeKind } from './negative/generate.ts'
import { generateNegative, limitCases } from './negative/generate.ts'
import type { Scenario } from './scenario.ts'
import type { Level } from './types.ts'

export interface Plan {
  scenarios: Scenario[]
  /** Generated cases of each kind (after --max-cases); absent when the level has none. */
  generated?: Record<NegativeKind, number>
}

export interface PlanOptions {
  level: Level
  spec: object
  scenarios: Scenario[]
  seed: number
  maxCases?: number | undefined
}

export function planRun(options: PlanOptions): Plan {
  const scripted = options.level === 'negative' ? [] : options.scenarios
  if (options.level === 'schema') {
    return { scenarios: scripted }
  }
  const { scenarios } = generateNegative(options.spec, readContract(options.spec), options.seed)
  const negative =
    options.maxCases === undefined
      ? scenarios
      : limitCases(scenarios, options.maxCases, options.seed)
  const generated = Object.fromEntries(
    negative.map((s) => [
      s.name.replace(/^negative: /, ''),
      s.steps.filter((step) => !('collectSecrets' in step && step.collectSecrets)).length,
    ])
  ) as Record<NegativeKind, number>
  return { scenarios: [...scripted, ...negative], generated }
}

/** Every case id of a plan ("<scenario> › <step>"), in run order, for --list. */
export function caseIds(plan: Plan): string[] {
  return plan.scenarios.flatMap((s) =>
    s.steps.filter((step) => !('wait' in step)).map((step) => `${s.name} › ${step.name}`)
  )
}
