// The checks of one answered step. Each returns its failures, or undefined when it does not apply
// to this step (then it is not counted). runStep runs them in order; more can be added per run.
import { capture, matchExample } from './match.ts'
import type { RequestStep, Scenario, TargetProfile } from './scenario.ts'
import type { SpecValidator } from './schema.ts'
import type { CheckFailure, Level, RecordedRequest, RecordedResponse } from './types.ts'
import { documentedToActual, fillLoosely } from './variables.ts'

export interface DocumentedPair {
  operationId: string
  response: { status: number; body: unknown }
}

/** What a step's checks may read: the run, the scenario, and the variables so far. */
export interface StepContext {
  capabilities: ReadonlySet<string>
  baseUrl: string
  level: Level
  profile: TargetProfile
  documented: TargetProfile
  scenario: Scenario
  /** Values of this scenario's variables; a check may add captured ones. */
  vars: Map<string, string>
  sandbox: string | undefined
  pairs: DocumentedPair[]
  validator: SpecValidator
  timeoutMs: number
}

export interface CheckInput {
  step: RequestStep
  ctx: StepContext
  request: RecordedRequest
  response: RecordedResponse
  contentType: string
  /** The status was one the step expects. */
  statusOk: boolean
}

export type StepCheck = (input: CheckInput) => CheckFailure[] | undefined

/** The statuses a step accepts (the first is the one it asks Prism for). */
export function expectedStatuses(step: RequestStep): number[] {
  return Array.isArray(step.expect.status) ? step.expect.status : [step.expect.status]
}

const statusCheck: StepCheck = ({ step, response, statusOk }) => {
  if (statusOk) {
    return []
  }
  const expected = expectedStatuses(step)
  return [
    {
      check: 'status',
      path: '$',
      message: `expected status ${expected.join(' or ')}, got ${response.status}`,
      expected: expected.length === 1 ? expected[0] : expected,
      actual: response.status,
    },
  ]
}

/** Whatever a step expects, a 5xx is a server error; the message carries the request. */
const serverErrorCheck: StepCheck = ({ request, response }) =>
  response.status >= 500
    ? [
        {
          check: 'server-error',
          path: '$',
          message: `${request.method} ${request.url}${request.body === undefined ? '' : ` with ${JSON.stringify(request.body)}`} answered ${response.status}, a server error`,
          actual: response.body,
        },
      ]
    : []

const contentTypeCheck: StepCheck = ({ step, contentType }) => {
  const image = step.expect.image === true
  const ok = image ? /^image\//i.test(contentType) : /^application\/json\b/i.test(contentType)
  return ok
    ? []
    : [
        {
          check: 'content-type',
          path: '$',
          message: `expected ${image ? 'an image' : 'application/json'}, got ${contentType || 'no Content-Type'}`,
          expected: image ? 'image/*' : 'application/json',
          actual: contentType,
        },
      ]
}

const schemaCheck: StepCheck = ({ step, ctx, response, contentType }) =>
  step.expect.image === true
    ? undefined
    : ctx.validator.validateResponse(step.operationId, response.status, contentType, response.body)

/** Stores captured values in the scenario's variables; a missing one is a failure. */
const captureCheck: StepCheck = ({ step, ctx, response, statusOk }) => {
  if (!statusOk || !step.capture) {
    return undefined
  }
  const failures: CheckFailure[] = []
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
  return failures
}

function expectedBody(step: RequestStep, ctx: StepContext): unknown {
  if (step.expect.body !== undefined) {
    return fillLoosely(step.expect.body, ctx.vars)
  }
  if (step.expect.documented) {
    return ctx.pairs.find((p) => p.operationId === step.operationId)?.response.body
  }
  return undefined
}

const exampleCheck: StepCheck = ({ step, ctx, response, contentType, statusOk }) => {
  const expected = expectedBody(step, ctx)
  const typeOk = step.expect.image === true || /^application\/json\b/i.test(contentType)
  if (ctx.level === 'schema' || !statusOk || !typeOk || expected === undefined) {
    return undefined
  }
  return matchExample(expected, response.body, {
    vars: documentedToActual(ctx.documented, ctx.scenario, step, ctx.vars),
    ...(step.expect.overrides ? { overrides: fillLoosely(step.expect.overrides, ctx.vars) } : {}),
  })
}

/** The checks every step gets, in the order they run. */
export const STEP_CHECKS: readonly StepCheck[] = [
  statusCheck,
  serverErrorCheck,
  contentTypeCheck,
  schemaCheck,
  captureCheck,
  exampleCheck,
]
