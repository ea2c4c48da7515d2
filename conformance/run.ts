// runSuite(): replays the scenarios against a target and returns the results as data. It prints
// nothing and never exits; the CLI and the reporters decide what to do with the result.
import { randomBytes } from 'node:crypto'
import type { DocumentedPair, StepCheck, StepContext } from './checks.ts'
import { checkCredentials, control, hasControlApi, reach, sleep } from './control.ts'
import { isWaitStep } from './scenario.ts'
import type { Scenario, TargetProfile } from './scenario.ts'
import type { SpecValidator } from './schema.ts'
import { runStep } from './step.ts'
import type { Level, StepResult, SuiteResult } from './types.ts'
import { stepId } from './types.ts'
import { baseVariables } from './variables.ts'

export type { DocumentedPair } from './checks.ts'

export interface RunOptions {
  baseUrl: string
  level: Level
  scenarios: Scenario[]
  /** The target's actors and ids; when absent, the target must be the mock (its control API). */
  profile: TargetProfile | undefined
  /** The documents' own actors, ids and base URL (fixtures/conformance/documented-world.json). */
  documentedWorld: TargetProfile
  pairs: DocumentedPair[]
  validator: SpecValidator
  /** Which steps to report (scenario, step) → boolean; all when absent. */
  only?: ((scenario: string, step: string) => boolean) | undefined
  waitForSeconds: number
  timeoutMs?: number
  /** Called as each step finishes, for live output. */
  onStep?: ((step: StepResult) => void) | undefined
  /** Checks run on every answered step after the built-in ones. */
  extraChecks?: readonly StepCheck[]
}

function skipAll(scenario: Scenario, reason: string): StepResult[] {
  return scenario.steps
    .filter((step) => !isWaitStep(step))
    .map((step) => ({
      id: stepId(scenario.name, step.name),
      scenario: scenario.name,
      step: step.name,
      operationId: isWaitStep(step) ? '' : step.operationId,
      outcome: 'skipped' as const,
      reason,
      checks: 0,
      failures: [],
      durationMs: 0,
    }))
}

/** What every scenario of a run shares. */
interface RunContext {
  options: RunOptions
  profile: TargetProfile
  capabilities: ReadonlySet<string>
  run: string
  report: (step: StepResult) => void
}

async function runScenario(run: RunContext, scenario: Scenario, index: number): Promise<void> {
  const { options } = run
  const lacking = scenario.requires.filter((need) => !run.capabilities.has(need))
  if (lacking.length > 0) {
    skipAll(scenario, `the target does not offer ${lacking.join(', ')}`).forEach(run.report)
    return
  }
  const sandbox = run.capabilities.has('control') ? `conformance-${run.run}-${index}` : undefined
  if (sandbox !== undefined) {
    const reset = await control(options.baseUrl, sandbox, 'POST', '/mock/world/reset')
    if (!reset.ok) {
      skipAll(scenario, `setting up a fresh sandbox failed: ${reset.error}`).forEach(run.report)
      return
    }
  }
  const ctx: StepContext = {
    capabilities: run.capabilities,
    baseUrl: options.baseUrl,
    level: options.level,
    profile: run.profile,
    documented: options.documentedWorld,
    scenario,
    vars: baseVariables(run.profile, options.baseUrl),
    sandbox,
    pairs: options.pairs,
    validator: options.validator,
    timeoutMs: options.timeoutMs ?? 10_000,
  }
  for (const step of scenario.steps) {
    if (isWaitStep(step)) {
      if (sandbox !== undefined) {
        await control(options.baseUrl, sandbox, 'POST', '/mock/clock', {
          advance_seconds: step.wait.seconds,
        })
      } else {
        await sleep(step.wait.seconds * 1000)
      }
      continue
    }
    run.report(await runStep(step, ctx, options.extraChecks))
  }
  if (sandbox !== undefined) {
    await control(options.baseUrl, sandbox, 'DELETE', `/mock/sandboxes/${sandbox}`)
  }
}

export async function runSuite(options: RunOptions): Promise<SuiteResult> {
  const startedAt = new Date().toISOString()
  const started = performance.now()
  const result = (steps: StepResult[], fatal?: string): SuiteResult => ({
    target: options.baseUrl,
    level: options.level,
    startedAt,
    durationMs: performance.now() - started,
    steps,
    ...(fatal === undefined ? {} : { fatal }),
  })
  const selected = options.scenarios.filter(
    (s) => !options.only || s.steps.some((step) => options.only?.(s.name, step.name))
  )
  if (selected.length === 0) {
    return result([], 'no case matched --only')
  }
  const unreachable = await reach(options.baseUrl, options.waitForSeconds)
  if (unreachable !== undefined) {
    return result([], unreachable)
  }
  const controlled = await hasControlApi(options.baseUrl)
  // The mock builds absolute links from the origin it was called on, unless told otherwise.
  const profile =
    options.profile ??
    (controlled ? { ...options.documentedWorld, public_url: options.baseUrl } : undefined)
  if (!profile) {
    return result(
      [],
      `${options.baseUrl} has no mock control API (GET /mock/health), so the runner needs --config with the actors' credentials and the ids of the threads to use`
    )
  }
  const refused = await checkCredentials(options.baseUrl, profile)
  if (refused !== undefined) {
    return result([], refused)
  }
  const steps: StepResult[] = []
  const run: RunContext = {
    options,
    profile,
    capabilities: new Set(profile.capabilities.filter((c) => c !== 'control' || controlled)),
    run: randomBytes(4).toString('hex'),
    report: (step) => {
      if (!options.only || options.only(step.scenario, step.step)) {
        steps.push(step)
        options.onStep?.(step)
      }
    },
  }
  for (const [index, scenario] of selected.entries()) {
    await runScenario(run, scenario, index)
  }
  return result(steps)
}
