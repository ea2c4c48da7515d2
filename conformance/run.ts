// runSuite(): replays the scenarios against a target and returns the results as data. It prints
// nothing and never exits; the CLI and the reporters decide what to do with the result.
import { randomBytes, randomUUID } from 'node:crypto'
import { broadcastsUnavailable, journalWatch } from './broadcast-sources.ts'
import type { BroadcastWatch } from './broadcast-sources.ts'
import type { DocumentedPair, StepCheck, StepContext } from './checks.ts'
import {
  checkControlAccess,
  checkCredentials,
  control,
  hasControlApi,
  reach,
  sleep,
} from './control.ts'
import type { ControlApi } from './control.ts'
import { isWaitStep } from './scenario.ts'
import type { RequestStep, Scenario, Step, TargetProfile } from './scenario.ts'
import type { SpecValidator } from './schema.ts'
import { runStep } from './step.ts'
import type { Level, StepResult, SuiteResult } from './types.ts'
import { stepId } from './types.ts'
import { baseVariables } from './variables.ts'
import type { components } from '../src/generated/mock-control.ts'

type WorldDocument = components['schemas']['WorldDocument']
type WorldUser = components['schemas']['WorldUser']

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
  /** Where the mock's control API answers, when `baseUrl` is a proxy in front of the mock. */
  controlUrl?: string | undefined
  /** The control API's token (X-Mock-Token), for a mock that requires one. */
  controlToken?: string | undefined
  /** The AsyncAPI document's example payloads by event name, for `documented` broadcasts. */
  broadcastExamples?: Readonly<Record<string, unknown>>
  /** Reported with the result: the seed and counts of the generated cases in `scenarios`. */
  seed?: number
  generated?: Record<string, number>
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

/** Requests in flight at once in a `parallel` scenario. */
const PARALLEL_REQUESTS = 8
/** Scenarios played at once, each in its own sandbox (only on the mock). */
const PARALLEL_SCENARIOS = 3

/**
 * The actors a scenario needs that the profile lacks: on the mock, users added to the scenario's
 * sandbox (world export, then replace); elsewhere the profile must have them.
 */
async function provideActors(
  api: ControlApi,
  sandbox: string | undefined,
  profile: TargetProfile,
  needed: readonly string[]
): Promise<{ profile: TargetProfile } | { error: string }> {
  const lacking = needed.filter((name) => profile.actors[name] === undefined)
  if (lacking.length === 0) {
    return { profile }
  }
  if (sandbox === undefined) {
    return {
      error: `the config names no ${lacking.map((n) => `"${n}"`).join(', ')} actor (a user who is in none of the target's threads)`,
    }
  }
  const exported = await control(api, sandbox, 'GET', '/mock/world')
  if (!exported.ok) {
    return { error: `exporting the sandbox's world failed: ${exported.error}` }
  }
  const world = exported.body as WorldDocument
  const actors = { ...profile.actors }
  for (const name of lacking) {
    const user: WorldUser = {
      id: randomUUID(),
      name: `Conformance ${name}`,
      email: `${name}@conformance.invalid`,
      token: `${name}-${randomBytes(6).toString('hex')}`,
    }
    world.users.push(user)
    actors[name] = { id: user.id, headers: { Authorization: `Bearer ${user.token}` } }
  }
  const replaced = await control(api, sandbox, 'PUT', '/mock/world', world)
  if (!replaced.ok) {
    return { error: `adding ${lacking.join(', ')} to the sandbox failed: ${replaced.error}` }
  }
  return { profile: { ...profile, actors } }
}

/** Steps that must run alone: they capture or collect values, wait, or repeat a request. */
const isBarrier = (step: Step) =>
  'wait' in step ||
  step.capture !== undefined ||
  step.collectSecrets === true ||
  step.repeat !== undefined ||
  // What a step broadcasts is told apart from its neighbours' only when it runs alone.
  step.expect.broadcasts !== undefined

/** Calls `work` for each index below `count`, at most `lanes` at a time, each index once. */
async function inLanes(
  count: number,
  lanes: number,
  work: (index: number) => Promise<void>
): Promise<void> {
  let next = 0
  const lane = async () => {
    while (next < count) {
      const index = next
      next += 1
      await work(index)
    }
  }
  await Promise.all(Array.from({ length: Math.min(lanes, count) }, lane))
}

/** Runs `steps` a few at a time; results come back in the steps' order. */
async function runConcurrently(
  steps: RequestStep[],
  run: (step: RequestStep) => Promise<StepResult>
): Promise<StepResult[]> {
  const results: StepResult[] = new Array<StepResult>(steps.length)
  await inLanes(steps.length, PARALLEL_REQUESTS, async (index) => {
    const step = steps[index]
    if (step !== undefined) {
      results[index] = await run(step)
    }
  })
  return results
}

const expectsBroadcasts = (step: Step) =>
  !isWaitStep(step) && (step.expect.broadcasts ?? []).length > 0

/**
 * Where a scenario's broadcasts are read: the sandbox's journal on the mock, the actors' sockets on
 * a target whose config gives them; otherwise why they are not checked.
 */
async function watchBroadcasts(
  run: RunContext,
  scenario: Scenario,
  sandbox: string | undefined,
  profile: TargetProfile
): Promise<BroadcastWatch | string | undefined> {
  if (!scenario.steps.some(expectsBroadcasts)) {
    return undefined
  }
  if (sandbox !== undefined) {
    return journalWatch(run.control, sandbox)
  }
  const unavailable = broadcastsUnavailable(run.capabilities, profile)
  if (unavailable !== undefined || profile.broadcasts === undefined) {
    return unavailable ?? 'broadcasts not checked'
  }
  // Loaded only here: pusher-js is needed by runs that watch sockets, and by no other.
  const { socketWatch } = await import('./socket-watch.ts')
  return socketWatch(profile.broadcasts, profile, run.options.baseUrl)
}

/** The broadcast half of a step whose request was checked but whose broadcasts cannot be. */
function broadcastsSkipped(scenario: Scenario, step: RequestStep, reason: string): StepResult {
  const name = `${step.name} [broadcasts]`
  return {
    id: stepId(scenario.name, name),
    scenario: scenario.name,
    step: name,
    operationId: step.operationId,
    outcome: 'skipped',
    reason,
    checks: 0,
    failures: [],
    durationMs: 0,
  }
}

/** What every scenario of a run shares. */
interface RunContext {
  options: RunOptions
  profile: TargetProfile
  capabilities: ReadonlySet<string>
  run: string
  control: ControlApi
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
    const reset = await control(run.control, sandbox, 'POST', '/mock/world/reset')
    if (!reset.ok) {
      skipAll(scenario, `setting up a fresh sandbox failed: ${reset.error}`).forEach(run.report)
      return
    }
  }
  const actors = await provideActors(run.control, sandbox, run.profile, scenario.actors ?? [])
  if ('error' in actors) {
    skipAll(scenario, actors.error).forEach(run.report)
    if (sandbox !== undefined) {
      await control(run.control, sandbox, 'DELETE', `/mock/sandboxes/${sandbox}`)
    }
    return
  }
  const ctx: StepContext = {
    capabilities: run.capabilities,
    baseUrl: options.baseUrl,
    level: options.level,
    profile: actors.profile,
    documented: options.documentedWorld,
    scenario,
    vars: baseVariables(actors.profile, options.baseUrl),
    sandbox,
    pairs: options.pairs,
    validator: options.validator,
    timeoutMs: options.timeoutMs ?? 10_000,
    secrets: new Set<string>(),
  }
  const watch = await watchBroadcasts(run, scenario, sandbox, actors.profile)
  if (watch !== undefined) {
    ctx.broadcasts = watch
  }
  if (options.broadcastExamples !== undefined) {
    ctx.broadcastExamples = options.broadcastExamples
  }
  const pending: RequestStep[] = []
  const flush = async () => {
    const batch = pending.splice(0)
    const results = await runConcurrently(batch, (step) => runStep(step, ctx, options.extraChecks))
    results.forEach(run.report)
  }
  for (const step of scenario.steps) {
    if (scenario.parallel === true && !isBarrier(step) && !isWaitStep(step)) {
      // Independent steps that --only leaves out are not sent at all.
      if (!options.only || options.only(scenario.name, step.name)) {
        pending.push(step)
      }
      continue
    }
    await flush()
    if (isWaitStep(step)) {
      if (sandbox !== undefined) {
        await control(run.control, sandbox, 'POST', '/mock/clock', {
          advance_seconds: step.wait.seconds,
        })
      } else {
        await sleep(step.wait.seconds * 1000)
      }
      continue
    }
    const result = await runStep(step, ctx, options.extraChecks)
    run.report(result)
    if (typeof watch === 'string' && expectsBroadcasts(step) && result.outcome !== 'skipped') {
      run.report(broadcastsSkipped(scenario, step, watch))
    }
  }
  await flush()
  if (typeof watch === 'object') {
    await watch.close()
  }
  if (sandbox !== undefined) {
    await control(run.control, sandbox, 'DELETE', `/mock/sandboxes/${sandbox}`)
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
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.generated === undefined ? {} : { generated: options.generated }),
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
  const controlUrl = options.controlUrl ?? options.baseUrl
  const controlled = await hasControlApi(controlUrl)
  // The mock builds absolute links from the origin it was called on, unless told otherwise.
  const profile =
    options.profile ??
    // Behind a proxy the mock is usually called on its own origin (the proxy's upstream).
    (controlled ? { ...options.documentedWorld, public_url: controlUrl } : undefined)
  if (!profile) {
    return result(
      [],
      `${controlUrl} has no mock control API (GET /mock/health answered no {"status":"ok"}), so the runner needs --config with the actors' credentials and the ids of the threads to use; if ${options.baseUrl} is a proxy in front of the mock, give the mock's own address with --control-url`
    )
  }
  const controlApi: ControlApi = { url: controlUrl, token: options.controlToken }
  const usesControl = controlled && profile.capabilities.includes('control')
  const locked = usesControl ? await checkControlAccess(controlApi) : undefined
  if (locked !== undefined) {
    return result([], locked)
  }
  const refused = await checkCredentials(options.baseUrl, profile)
  if (refused !== undefined) {
    return result([], refused)
  }
  const steps: StepResult[] = []
  const run: RunContext = {
    options,
    profile,
    capabilities: new Set(profile.capabilities.filter((c) => c !== 'control' || usesControl)),
    run: randomBytes(4).toString('hex'),
    control: controlApi,
    report: (step) => {
      if (!options.only || options.only(step.scenario, step.step)) {
        steps.push(step)
        options.onStep?.(step)
      }
    },
  }
  // Sandboxed scenarios cannot see each other, so a few run at once; their steps are still
  // reported scenario by scenario, in order. Without sandboxes they share one world: one at a time.
  const buffers: StepResult[][] = selected.map(() => [])
  const done: boolean[] = selected.map(() => false)
  let emitted = 0
  const emit = () => {
    while (emitted < selected.length && done[emitted] === true) {
      ;(buffers[emitted] ?? []).forEach(run.report)
      emitted += 1
    }
  }
  const lanes = run.capabilities.has('control') ? PARALLEL_SCENARIOS : 1
  await inLanes(selected.length, lanes, async (index) => {
    const scenario = selected[index]
    if (scenario !== undefined) {
      await runScenario({ ...run, report: (step) => buffers[index]?.push(step) }, scenario, index)
    }
    done[index] = true
    emit()
  })
  return result(steps)
}
