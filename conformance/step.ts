// Runs one request step: fills its variables, sends it (after any warm-up repeats) with the actor's
// credentials, and runs the step checks on the answer.
import type { BroadcastWatch } from './broadcast-sources.ts'
import { checkBroadcasts } from './broadcasts.ts'
import { EXPECTATION_CHECKS, STEP_CHECKS, expectedStatuses } from './checks.ts'
import type { StepCheck, StepContext } from './checks.ts'
import { SANDBOX_HEADER, actorHeaders } from './control.ts'
import type { RequestStep } from './scenario.ts'
import { send } from './target.ts'
import type { CheckFailure, StepResult } from './types.ts'
import { stepId } from './types.ts'
import { documentedToActual, fill, fillLoosely, namedValues } from './variables.ts'

function notRun(
  base: Omit<StepResult, 'outcome' | 'checks' | 'failures' | 'durationMs'>,
  reason: string
): StepResult {
  return { ...base, outcome: 'skipped', reason, checks: 0, failures: [], durationMs: 0 }
}

const PRISM_ERROR = 'https://stoplight.io/prism/errors#'

/**
 * Prism's validation proxy answers a request that breaks the contract itself (problem+json), so
 * the backend never sees it: such a step says nothing about the backend and is skipped with the
 * reason. A response that breaks the contract (VIOLATIONS, a 500) is the backend's and is checked.
 */
function proxyAnswer(contentType: string, body: unknown): string | undefined {
  const problem = body as { type?: unknown; title?: unknown } | null
  if (
    !/^application\/problem\+json/i.test(contentType) ||
    typeof problem?.type !== 'string' ||
    !problem.type.startsWith(PRISM_ERROR) ||
    problem.type === `${PRISM_ERROR}VIOLATIONS`
  ) {
    return undefined
  }
  const title = typeof problem.title === 'string' ? `: ${problem.title}` : ''
  return `answered by Prism's validation proxy itself (${problem.type.slice(PRISM_ERROR.length)}${title}); the request never reached the backend`
}

/** The step's broadcasts against what it expects; the watch was marked before the request. */
async function broadcastFailures(
  step: RequestStep,
  ctx: StepContext,
  watch: BroadcastWatch,
  mark: number | { error: string }
): Promise<CheckFailure[]> {
  const raw = step.expect.broadcasts ?? []
  const expectations = fillLoosely(raw, ctx.vars)
  const awaited = expectations.filter((e) => e.absent !== true)
  const collected = typeof mark === 'number' ? await watch.collect(mark, awaited) : mark
  if ('error' in collected) {
    return [{ check: 'broadcast', path: '$', message: collected.error }]
  }
  const vars = new Map([
    ...documentedToActual(ctx.documented, ctx.scenario, step, ctx.vars),
    ...namedValues(raw, ctx.vars),
  ])
  return checkBroadcasts(expectations, collected.deliveries, {
    vars,
    values: ctx.level !== 'schema',
    examples: ctx.broadcastExamples ?? {},
    source: watch.source,
  })
}

export async function runStep(
  step: RequestStep,
  ctx: StepContext,
  extraChecks: readonly StepCheck[] = []
): Promise<StepResult> {
  const started = performance.now()
  const base = {
    id: stepId(ctx.scenario.name, step.name),
    scenario: ctx.scenario.name,
    step: step.name,
    operationId: step.operationId,
    ...(step.kind === undefined ? {} : { kind: step.kind }),
    ...(step.covers === undefined ? {} : { covers: step.covers }),
  }
  const lacking = (step.requires ?? []).filter((need) => !ctx.capabilities.has(need))
  if (lacking.length > 0) {
    return notRun(base, `the target does not offer ${lacking.join(', ')}`)
  }
  const missing = new Set<string>()
  const path = fill(step.request.path, ctx.vars, missing)
  const json = fill(step.request.body, ctx.vars, missing)
  const extraHeaders = fill(step.request.headers ?? {}, ctx.vars, missing)
  if (missing.size > 0) {
    const names = [...missing].map((m) => `{{${m}}}`).join(', ')
    return notRun(
      base,
      `needs ${names}, which no earlier step captured and the target profile does not give`
    )
  }
  const statuses = expectedStatuses(step)
  const headers: Record<string, string> = {
    Accept: step.expect.image ? 'image/*' : 'application/json',
    ...actorHeaders(ctx.profile, step.actor),
    ...extraHeaders,
  }
  if (ctx.sandbox !== undefined) {
    headers[SANDBOX_HEADER] = ctx.sandbox
  } else if (ctx.capabilities.has('prefer')) {
    // A spec-only mock (Prism) answers the documented response of this status. Only asked of a
    // target that says it is one: the mock would obey it too, and answer examples instead of itself.
    headers['Prefer'] = `code=${statuses[0] ?? 200}`
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
  const failures: CheckFailure[] = []
  for (let i = 1; i <= (step.repeat ?? 0); i += 1) {
    const before = await sendOnce()
    const status = before.ok ? before.response.status : 0
    if (status < 200 || status > 299) {
      failures.push({
        check: 'status',
        path: '$',
        message: `request ${i} of ${step.repeat ?? 0} sent before the checked one answered ${before.ok ? status : before.error}`,
      })
      break
    }
  }
  // Only what arrives after this point counts for the step (not its warm-up requests).
  const watch = (step.expect.broadcasts ?? []).length > 0 ? ctx.broadcasts : undefined
  const mark = typeof watch === 'object' ? await watch.mark() : undefined
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
  const intercepted = proxyAnswer(sent.contentType, sent.response.body)
  if (intercepted !== undefined) {
    return {
      ...notRun(base, intercepted),
      request: sent.request,
      response: sent.response,
      durationMs: performance.now() - started,
    }
  }
  const input = {
    step,
    ctx,
    request: sent.request,
    response: sent.response,
    contentType: sent.contentType,
    statusOk: statuses.includes(sent.response.status),
  }
  let checks = 0
  for (const check of [...STEP_CHECKS, ...EXPECTATION_CHECKS, ...extraChecks]) {
    const found = check(input)
    if (found !== undefined) {
      checks += 1
      failures.push(...found)
    }
  }
  // As with the views, events are only expected from a request that got the status it expects.
  if (typeof watch === 'object' && mark !== undefined && input.statusOk) {
    checks += 1
    failures.push(...(await broadcastFailures(step, ctx, watch, mark)))
  }
  return {
    ...base,
    outcome: failures.length > 0 ? 'failed' : 'passed',
    checks,
    failures,
    request: sent.request,
    response: sent.response,
    durationMs: performance.now() - started,
  }
}
