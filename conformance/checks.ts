// The checks of one answered step. Each returns its failures, or undefined when it does not apply
// to this step (then it is not counted). runStep runs them in order; more can be added per run.
import type { BroadcastWatch } from './broadcast-sources.ts'
import { capture, matchExample, show } from './match.ts'
import type { Matcher } from './match.ts'
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
  /** What the scenario's `collectSecrets` steps saw, for `noLeaks`. */
  secrets: Set<string>
  /** Where the scenario's broadcasts are read, or why they cannot be checked. */
  broadcasts?: BroadcastWatch | string
  /** The AsyncAPI document's example payloads, by event name. */
  broadcastExamples?: Readonly<Record<string, unknown>>
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

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  return Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1]
}

const methodSet = (list: readonly string[]) =>
  [...new Set(list.map((m) => m.trim().toUpperCase()).filter((m) => m !== ''))].sort()

/** A 405 lists exactly the path's methods in `Allow` and in Laravel's text, naming the one used. */
const allowCheck: StepCheck = ({ step, request, response, statusOk }) => {
  const expected = step.expect.allow
  if (expected === undefined || !statusOk) {
    return undefined
  }
  const failures: CheckFailure[] = []
  const want = methodSet(expected)
  const header = headerValue(response.headers, 'allow')
  const got = methodSet((header ?? '').split(','))
  if (header === undefined || got.join() !== want.join()) {
    failures.push({
      check: 'allow',
      path: 'Allow',
      message: `the Allow header must list exactly ${want.join(', ')}, got ${header ?? 'no Allow header'}`,
      expected: want.join(', '),
      actual: header ?? null,
    })
  }
  const body = response.body as { message?: unknown } | null
  const message = typeof body?.message === 'string' ? body.message : ''
  const parsed =
    /^The (\w+) method is not supported for this route\. Supported methods: (.*)\.$/.exec(message)
  const listed = parsed?.[2] === undefined ? [] : methodSet(parsed[2].split(','))
  if (parsed?.[1] !== request.method || listed.join() !== want.join()) {
    failures.push({
      check: 'allow',
      path: '$.message',
      message: `the 405 text must name ${request.method} and list ${want.join(', ')}`,
      expected: `The ${request.method} method is not supported for this route. Supported methods: ${want.join(', ')}.`,
      actual: message,
    })
  }
  return failures
}

/** The documented message texts of an error answer. */
const messageCheck: StepCheck = ({ step, response, statusOk }) => {
  const rule = step.expect.message
  if (
    rule === undefined ||
    !statusOk ||
    (rule.status !== undefined && rule.status !== response.status)
  ) {
    return undefined
  }
  const body = response.body as { message?: unknown } | null
  const message = typeof body?.message === 'string' ? body.message : undefined
  const ok =
    message !== undefined &&
    (rule.oneOf === undefined || rule.oneOf.includes(message)) &&
    (rule.prefix === undefined || message.startsWith(rule.prefix))
  if (ok) {
    return []
  }
  const expected = rule.oneOf ?? `${rule.prefix ?? ''}…`
  return [
    {
      check: 'message',
      path: '$.message',
      message: `expected ${rule.oneOf ? `one of the documented texts` : `a text starting ${JSON.stringify(rule.prefix)}`}, got ${JSON.stringify(message)}`,
      expected,
      actual: message,
    },
  ]
}

/** A 422 names exactly the one field whose constraint was broken, with the documented text. */
const validationCheck: StepCheck = ({ step, response, statusOk }) => {
  const rule = step.expect.validation
  if (rule === undefined || !statusOk) {
    return undefined
  }
  const body = response.body as { errors?: unknown } | null
  const errors =
    typeof body?.errors === 'object' && body.errors !== null
      ? (body.errors as Record<string, unknown>)
      : {}
  const fields = Object.keys(errors)
  const failures: CheckFailure[] = []
  if (fields.length !== 1 || fields[0] !== rule.field) {
    failures.push({
      check: 'validation',
      path: '$.errors',
      message: `errors must name exactly ${rule.field}, got ${fields.length > 0 ? fields.join(', ') : 'none'}`,
      expected: [rule.field],
      actual: fields,
    })
  }
  const texts = errors[rule.field]
  if (
    rule.texts !== undefined &&
    !(Array.isArray(texts) && texts.some((t) => rule.texts?.includes(t as string)))
  ) {
    failures.push({
      check: 'validation',
      path: `$.errors.${rule.field}`,
      message: `expected the documented text among ${rule.field}'s messages`,
      expected: rule.texts,
      actual: texts,
    })
  }
  return failures
}

/** Keys whose values are a thread's own: ids, codes, pins, room numbers, names and links. */
const SECRET_KEY = /^(id|\w+_id|code|room_pin|room_id|thread_name|route)$/

function harvest(value: unknown, into: Set<string>, key = ''): void {
  if (Array.isArray(value)) {
    value.forEach((item) => {
      harvest(item, into, key)
    })
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      harvest(v, into, k)
    }
  } else if ((typeof value === 'string' || typeof value === 'number') && SECRET_KEY.test(key)) {
    const text = String(value)
    if (text.length >= 4) {
      into.add(text)
    }
  }
}

const collectCheck: StepCheck = ({ step, ctx, response, statusOk }) => {
  if (step.collectSecrets !== true || !statusOk) {
    return undefined
  }
  harvest(response.body, ctx.secrets)
  return []
}

/** Nothing a member saw (other than what the request itself names) is in the answer. */
const leakCheck: StepCheck = ({ step, ctx, request, response }) => {
  if (step.expect.noLeaks !== true) {
    return undefined
  }
  const text = typeof response.body === 'string' ? response.body : JSON.stringify(response.body)
  const asked = decodeURIComponent(request.url)
  const leaked = [...ctx.secrets].filter(
    (secret) => !asked.includes(secret) && text.includes(secret)
  )
  return leaked.length === 0
    ? []
    : [
        {
          check: 'leak',
          path: '$',
          message: `the answer to a user outside the thread shows what only members may see: ${leaked.slice(0, 5).join(', ')}`,
          actual: response.body,
        },
      ]
}

const isMatcher = (value: unknown): value is Matcher =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && 'kind' in value

/** Each expected list element is there (with its values) or, if so asked, missing. */
const itemsCheck: StepCheck = ({ step, ctx, response, statusOk }) => {
  // Values, like the documented examples, are not checked at level schema (Prism has no state).
  if (step.expect.items === undefined || !statusOk || ctx.level === 'schema') {
    return undefined
  }
  const failures: CheckFailure[] = []
  for (const item of fillLoosely(step.expect.items, ctx.vars)) {
    const found = capture(response.body, item.in)
    // An object stands for a list of one: the show of a thing is a view of it too.
    const list =
      typeof found === 'object' && found !== null && !Array.isArray(found) ? [found] : found
    const where = Object.entries(item.where)
    const index = Array.isArray(list)
      ? list.findIndex((element) =>
          where.every(([path, want]) => capture(element, `$.${path}`) === want)
        )
      : -1
    const described = `the element of ${item.in} with ${show(item.where)}`
    if (item.absent === true) {
      if (index >= 0) {
        failures.push({
          check: 'view',
          path: `${item.in}[${index}]`,
          message: `${described} must be gone`,
          actual: (list as unknown[])[index],
        })
      }
      continue
    }
    if (index < 0) {
      failures.push({
        check: 'view',
        path: item.in,
        message: `${described} is missing`,
        actual: list,
      })
      continue
    }
    const element = (list as unknown[])[index]
    for (const [path, want] of Object.entries(item.values ?? {})) {
      const at = `${item.in}[${index}].${path}`
      const got = capture(element, `$.${path}`)
      const found = isMatcher(want)
        ? matchExample(null, got, { vars: new Map(), overrides: { $: want } })
        : JSON.stringify(got) === JSON.stringify(want)
          ? []
          : [
              {
                check: 'view' as const,
                path: '$',
                message: `expected ${show(want)}, got ${show(got)}`,
                expected: want,
                actual: got,
              },
            ]
      failures.push(...found.map((f) => ({ ...f, check: 'view' as const, path: at })))
    }
  }
  return failures
}

/** The checks generated cases add, after the common ones. */
export const EXPECTATION_CHECKS: readonly StepCheck[] = [
  itemsCheck,
  allowCheck,
  messageCheck,
  validationCheck,
  collectCheck,
  leakCheck,
]
