// runSuite(): replays the scenarios against a target and returns the results as data. It prints
// nothing and never exits; the CLI and the reporters decide what to do with the result.
import { randomBytes } from 'node:crypto'
import { capture, matchExample } from './match.ts'
import type { Matcher } from './match.ts'
import { isWaitStep } from './scenario.ts'
import type { RequestStep, Scenario, TargetProfile } from './scenario.ts'
import type { SpecValidator } from './schema.ts'
import { send } from './target.ts'
import type { CheckFailure, Level, StepResult, SuiteResult } from './types.ts'
import { stepId } from './types.ts'

export interface DocumentedPair {
  operationId: string
  response: { status: number; body: unknown }
}

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
}

const SANDBOX_HEADER = 'X-Mock-Sandbox'
const VAR = /\{\{([\w.]+)\}\}/g

const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms)
  })

/** Polls until the target answers anything, or the time is up. */
async function reach(baseUrl: string, waitForSeconds: number): Promise<string | undefined> {
  const deadline = Date.now() + waitForSeconds * 1000
  let last: string
  do {
    try {
      await fetch(`${baseUrl}/`, { signal: AbortSignal.timeout(2000), redirect: 'manual' })
      return undefined
    } catch (error) {
      const cause =
        error instanceof Error ? (error as Error & { cause?: unknown }).cause : undefined
      last = cause instanceof Error ? cause.message : String(error)
    }
    if (Date.now() < deadline) {
      await sleep(250)
    }
  } while (Date.now() < deadline)
  return `cannot reach ${baseUrl}: ${last}${waitForSeconds > 0 ? ` (waited ${waitForSeconds} s)` : ''}`
}

async function hasControlApi(baseUrl: string): Promise<boolean> {
  try {
    const res = await fetch(`${baseUrl}/mock/health`, { signal: AbortSignal.timeout(5000) })
    const body = (await res.json()) as { status?: unknown }
    return res.status === 200 && body.status === 'ok'
  } catch {
    return false
  }
}

function actorHeaders(profile: TargetProfile, actor: string | undefined): Record<string, string> {
  if (actor === undefined) {
    return {}
  }
  const entry = profile.actors[actor]
  const headers: Record<string, string> = { ...(entry?.headers ?? {}) }
  const cookies = Object.entries(entry?.cookies ?? {})
  if (cookies.length > 0) {
    headers['Cookie'] = cookies.map(([k, v]) => `${k}=${v}`).join('; ')
  }
  return headers
}

/** Every actor must be able to log in; if none can, the run cannot say anything useful. */
async function checkCredentials(
  baseUrl: string,
  profile: TargetProfile
): Promise<string | undefined> {
  const refused: string[] = []
  const actors = Object.keys(profile.actors)
  for (const actor of actors) {
    try {
      const res = await fetch(`${baseUrl}/api/messenger`, {
        headers: { Accept: 'application/json', ...actorHeaders(profile, actor) },
        signal: AbortSignal.timeout(5000),
      })
      if (res.status === 401) {
        refused.push(actor)
      }
    } catch {
      return undefined // unreachable is reported elsewhere
    }
  }
  return actors.length > 0 && refused.length === actors.length
    ? `every credential was refused: GET ${baseUrl}/api/messenger answered 401 for ${refused.join(', ')}`
    : undefined
}

/** The variables a step may use: the target's ids and actors, then what earlier steps captured. */
function baseVariables(profile: TargetProfile, baseUrl: string): Map<string, string> {
  const vars = new Map<string, string>()
  for (const [name, actor] of Object.entries(profile.actors)) {
    vars.set(`actors.${name}`, actor.id)
  }
  for (const [name, id] of Object.entries(profile.ids)) {
    vars.set(name, id)
  }
  vars.set('base_url', profile.public_url ?? baseUrl)
  return vars
}

/** Documented literal → the target's value, for comparing with the documented examples. */
function documentedToActual(
  documented: TargetProfile,
  scenario: Scenario,
  step: RequestStep,
  vars: Map<string, string>
): Map<string, string> {
  const map = new Map<string, string>()
  const add = (literal: string, name: string) => {
    const value = vars.get(name)
    if (value !== undefined) {
      map.set(literal, value)
    }
  }
  for (const [name, actor] of Object.entries(documented.actors)) {
    add(actor.id, `actors.${name}`)
  }
  for (const [name, literal] of Object.entries(documented.ids)) {
    add(literal, name)
  }
  if (documented.public_url !== undefined) {
    add(documented.public_url, 'base_url')
  }
  for (const [name, literal] of Object.entries({ ...scenario.aliases, ...step.aliases })) {
    add(literal, name)
  }
  // A step's own mapping wins for the literals it names.
  for (const [name, literal] of Object.entries(step.aliases ?? {})) {
    add(literal, name)
  }
  return map
}

/** `{{name}}` → value everywhere in a request part; the names that had no value are returned. */
function fill<T>(value: T, vars: Map<string, string>, missing: Set<string>): T {
  if (typeof value === 'string') {
    return value.replace(VAR, (whole, name: string) => {
      const found = vars.get(name)
      if (found === undefined) {
        missing.add(name)
        return whole
      }
      return found
    }) as T
  }
  if (Array.isArray(value)) {
    return value.map((item: unknown) => fill(item, vars, missing)) as T
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, fill(v, vars, missing)])
    ) as T
  }
  return value
}

interface StepContext {
  capabilities: ReadonlySet<string>
  baseUrl: string
  level: Level
  profile: TargetProfile
  documented: TargetProfile
  scenario: Scenario
  vars: Map<string, string>
  sandbox: string | undefined
  pairs: DocumentedPair[]
  validator: SpecValidator
  timeoutMs: number
}

async function runStep(step: RequestStep, ctx: StepContext): Promise<StepResult> {
  const started = performance.now()
  const id = stepId(ctx.scenario.name, step.name)
  const base = { id, scenario: ctx.scenario.name, step: step.name, operationId: step.operationId }
  const lacking = (step.requires ?? []).filter((need) => !ctx.capabilities.has(need))
  if (lacking.length > 0) {
    return {
      ...base,
      outcome: 'skipped',
      reason: `the target does not offer ${lacking.join(', ')}`,
      checks: 0,
      failures: [],
      durationMs: 0,
    }
  }
  const missing = new Set<string>()
  const path = fill(step.request.path, ctx.vars, missing)
  const json = fill(step.request.body, ctx.vars, missing)
  const extraHeaders = fill(step.request.headers ?? {}, ctx.vars, missing)
  if (missing.size > 0) {
    return {
      ...base,
      outcome: 'skipped',
      reason: `needs ${[...missing].map((m) => `{{${m}}}`).join(', ')}, which no earlier step captured and the target profile does not give`,
      checks: 0,
      failures: [],
      durationMs: 0,
    }
  }
  const headers: Record<string, string> = {
    Accept: step.expect.image ? 'image/*' : 'application/json',
    // Prism answers the documented response of this status; other servers ignore the header.
    Prefer: `code=${step.expect.status}`,
    ...actorHeaders(ctx.profile, step.actor),
    ...extraHeaders,
  }
  if (ctx.sandbox !== undefined) {
    headers[SANDBOX_HEADER] = ctx.sandbox
  }
  const sendOnce = () =>
    send({
      method: step.request.method,
      url: `${ctx.baseUrl}${path}`,
      actor: step.actor ?? null,
      headers,
      ...(json === undefined ? {} : { json }),
      ...(step.request.multipart ? { multipart: step.request.multipart } : {}),
      timeoutMs: ctx.timeoutMs,
    })
  const warmUp: CheckFailure[] = []
  for (let i = 1; i <= (step.repeat ?? 0); i += 1) {
    const before = await sendOnce()
    const status = before.ok ? before.response.status : 0
    if (status < 200 || status > 299) {
      warmUp.push({
        check: 'status',
        path: '$',
        message: `request ${i} of ${step.repeat ?? 0} sent before the checked one answered ${before.ok ? status : before.error}`,
      })
      break
    }
  }
  const sent = await sendOnce()
  if (!sent.ok) {
    return {
      ...base,
      outcome: 'failed',
      checks: 1,
      failures: [{ check: 'transport', path: '$', message: sent.error }],
      request: sent.request,
      durationMs: performance.now() - started,
    }
  }
  const { response, contentType } = sent
  const failures: CheckFailure[] = [...warmUp]
  let checks = 1
  const statusOk = response.status === step.expect.status
  if (!statusOk) {
    failures.push({
      check: 'status',
      path: '$',
      message: `expected status ${step.expect.status}, got ${response.status}`,
      expected: step.expect.status,
      actual: response.status,
    })
  }
  checks += 1
  const typeOk = step.expect.image
    ? /^image\//i.test(contentType)
    : /^application\/json\b/i.test(contentType)
  if (!typeOk) {
    failures.push({
      check: 'content-type',
      path: '$',
      message: `expected ${step.expect.image ? 'an image' : 'application/json'}, got ${contentType || 'no Content-Type'}`,
      expected: step.expect.image ? 'image/*' : 'application/json',
      actual: contentType,
    })
  }
  if (!step.expect.image) {
    checks += 1
    failures.push(
      ...ctx.validator.validateResponse(
        step.operationId,
        response.status,
        contentType,
        response.body
      )
    )
  }
  if (statusOk && step.capture) {
    for (const [name, from] of Object.entries(step.capture)) {
      const value = capture(response.body, from)
      if (typeof value === 'string' || typeof value === 'number') {
        ctx.vars.set(name, String(value))
      } else {
        failures.push({
          check: 'capture',
          path: from,
          message: `cannot capture {{${name}}}: no string or number at ${from}`,
          actual: value,
        })
      }
    }
  }
  const expected = expectedBody(step, ctx)
  if (ctx.level === 'full' && statusOk && typeOk && expected !== undefined) {
    checks += 1
    failures.push(
      ...matchExample(expected, response.body, {
        vars: documentedToActual(ctx.documented, ctx.scenario, step, ctx.vars),
        ...(step.expect.overrides
          ? { overrides: fillOverrides(step.expect.overrides, ctx.vars) }
          : {}),
      })
    )
  }
  return {
    ...base,
    outcome: failures.length > 0 ? 'failed' : 'passed',
    checks,
    failures,
    request: sent.request,
    response,
    durationMs: performance.now() - started,
  }
}

function fillOverrides(overrides: Record<string, Matcher>, vars: Map<string, string>) {
  return fill(overrides, vars, new Set<string>())
}

function expectedBody(step: RequestStep, ctx: StepContext): unknown {
  if (step.expect.body !== undefined) {
    return fill(step.expect.body, ctx.vars, new Set<string>())
  }
  if (step.expect.documented) {
    const pair = ctx.pairs.find((p) => p.operationId === step.operationId)
    return pair?.response.body
  }
  return undefined
}

async function control(
  baseUrl: string,
  sandbox: string,
  method: string,
  path: string,
  body?: unknown
): Promise<string | undefined> {
  try {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        Accept: 'application/json',
        [SANDBOX_HEADER]: sandbox,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(10_000),
    })
    return res.ok ? undefined : `${method} ${path} answered ${res.status}`
  } catch (error) {
    return `${method} ${path} failed: ${String(error)}`
  }
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
  const capabilities = new Set(profile.capabilities.filter((c) => c !== 'control' || controlled))
  const refused = await checkCredentials(options.baseUrl, profile)
  if (refused !== undefined) {
    return result([], refused)
  }
  const run = randomBytes(4).toString('hex')
  const steps: StepResult[] = []
  const report = (step: StepResult) => {
    if (!options.only || options.only(step.scenario, step.step)) {
      steps.push(step)
      options.onStep?.(step)
    }
  }
  for (const [index, scenario] of selected.entries()) {
    const lacking = scenario.requires.filter((need) => !capabilities.has(need))
    if (lacking.length > 0) {
      skipAll(scenario, `the target does not offer ${lacking.join(', ')}`).forEach(report)
      continue
    }
    const sandbox = capabilities.has('control') ? `conformance-${run}-${index}` : undefined
    if (sandbox !== undefined) {
      const failed = await control(options.baseUrl, sandbox, 'POST', '/mock/world/reset')
      if (failed !== undefined) {
        skipAll(scenario, `setting up a fresh sandbox failed: ${failed}`).forEach(report)
        continue
      }
    }
    const ctx: StepContext = {
      capabilities,
      baseUrl: options.baseUrl,
      level: options.level,
      profile,
      documented: options.documentedWorld,
      scenario,
      vars: baseVariables(profile, options.baseUrl),
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
      report(await runStep(step, ctx))
    }
    if (sandbox !== undefined) {
      await control(options.baseUrl, sandbox, 'DELETE', `/mock/sandboxes/${sandbox}`)
    }
  }
  return result(steps)
}
