// Negative checks generated from the contract, no case written per operation: missing and unknown
// credentials, an outsider on every thread-scoped operation, malformed and unknown ids in every
// path parameter, every undocumented method, and request bodies that break one constraint each.
import type { ContractOperation } from '../contract.ts'
import {
  HTTP_METHODS,
  deref,
  documentedFieldTexts,
  documentedMessages,
  methodsByPath,
} from '../contract.ts'
import type { RequestStep, Scenario } from '../scenario.ts'
import { anchorFor, fillPath, isThreadScoped } from './anchors.ts'
import type { Random } from './random.ts'
import { createRandom } from './random.ts'

export const NEGATIVE_KINDS = [
  'authentication',
  'authorization',
  'ids',
  'methods',
  'bodies',
] as const
export type NegativeKind = (typeof NEGATIVE_KINDS)[number]

/** The generated scenario of each kind is named "negative: <kind>". */
export const negativeScenarioName = (kind: NegativeKind) => `negative: ${kind}`

/** The user the authorization checks act as: in no thread of the target. */
export const OUTSIDER = 'outsider'

type Obj = Record<string, unknown>
const isObj = (value: unknown): value is Obj =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

function jsonBody(operation: ContractOperation): unknown {
  return operation.requestBody?.mediaType === 'application/json'
    ? (operation.requestBody.example ?? {})
    : undefined
}

function documented(operation: ContractOperation, status: number): boolean {
  return operation.responses.some((r) => r.status === status)
}

/** A step of a generated kind; its request is the anchored valid request, changed as given. */
function caseStep(
  kind: NegativeKind,
  operation: ContractOperation,
  name: string,
  fields: Partial<RequestStep> & Pick<RequestStep, 'expect'>,
  request: Partial<RequestStep['request']> = {}
): RequestStep {
  const anchor = anchorFor(operation)
  const body = jsonBody(operation)
  return {
    name,
    kind,
    operationId: operation.operationId,
    actor: anchor.member,
    ...fields,
    request: {
      method: operation.method,
      path: fillPath(operation, anchor.params),
      ...(body === undefined ? {} : { body }),
      ...request,
    },
  }
}

function authentication(operations: readonly ContractOperation[], random: Random): RequestStep[] {
  const token = `unknown-${random.text(16, 'abcdefghijklmnopqrstuvwxyz0123456789')}`
  return operations
    .filter((op) => op.authRequired)
    .flatMap((op) => {
      const expect = {
        status: 401,
        body: op.responses.find((r) => r.status === 401)?.examples[0]?.value ?? {
          message: 'Unauthenticated.',
        },
      }
      const anonymous = caseStep('authentication', op, `${op.operationId} without credentials`, {
        expect,
      })
      delete anonymous.actor
      const unknown = caseStep(
        'authentication',
        op,
        `${op.operationId} with an unknown token`,
        { expect },
        {
          headers: { Authorization: `Bearer ${token}`, Cookie: `laravel_session=${token}` },
        }
      )
      delete unknown.actor
      return [anonymous, unknown]
    })
}

function authorization(operations: readonly ContractOperation[]): RequestStep[] {
  const scoped = operations.filter(isThreadScoped)
  // First the members read what the outsider must never see: ids, codes, pins, names.
  const reads = scoped
    .filter((op) => op.method === 'GET' && documented(op, 200))
    .filter((op) => op.responses.some((r) => r.status === 200 && r.examples.length > 0))
    .map((op) => {
      const anchor = anchorFor(op)
      return caseStep(
        'authorization',
        op,
        `${op.operationId} as ${anchor.member}, a member (what an outsider must not see)`,
        { expect: { status: 200 }, collectSecrets: true }
      )
    })
  const denials = scoped.flatMap((op) => {
    const statuses = [403, 404].filter((status) => documented(op, status))
    if (statuses.length === 0) {
      return []
    }
    const messages = documentedMessages(op, 403)
    return [
      caseStep('authorization', op, `${op.operationId} as an outsider`, {
        actor: OUTSIDER,
        expect: {
          status: statuses,
          noLeaks: true,
          ...(messages.length > 0 ? { message: { status: 403, oneOf: messages } } : {}),
        },
      }),
    ]
  })
  return [...reads, ...denials]
}

const MALFORMED_IDS = ['not-a-uuid', '12345', 'null', '0', '9231616a-43ad-4232-ba58', '..%2F..']
const MALFORMED_CODES = ['!!', 'SHORT', 'TOOLONGCODE1', '1234-567']

function ids(operations: readonly ContractOperation[], random: Random): RequestStep[] {
  return operations.flatMap((op) => {
    if (!documented(op, 404)) {
      return []
    }
    const anchor = anchorFor(op)
    const notFound = op.responses.find((r) => r.status === 404)
    return op.parameters.flatMap((param) => {
      const uuid = param.schema['format'] === 'uuid'
      const code = typeof param.schema['pattern'] === 'string'
      if (!uuid && !code) {
        return []
      }
      // The contract names each 404 example after the parameter it is about.
      const example = notFound?.examples.find((e) => e.name === param.name)?.value
      const text =
        isObj(example) && typeof example['message'] === 'string' ? example['message'] : ''
      const prefix = /^.*\] /.exec(text)?.[0]
      const values = {
        malformed: random.pick(uuid ? MALFORMED_IDS : MALFORMED_CODES),
        unknown: uuid ? random.uuid() : random.text(8, 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'),
      }
      return Object.entries(values).map(([which, value]) =>
        caseStep(
          'ids',
          op,
          `${op.operationId} with ${which === 'unknown' ? 'an' : 'a'} ${which} {${param.name}}`,
          {
            expect: {
              status: 404,
              ...(prefix === undefined ? {} : { message: { status: 404, prefix } }),
            },
          },
          { path: fillPath(op, anchor.params, { [param.name]: decodeURIComponent(value) }) }
        )
      )
    })
  })
}

function methods(operations: readonly ContractOperation[]): RequestStep[] {
  return [...methodsByPath(operations)].flatMap(([path, allowed]) => {
    const ops = operations.filter((op) => op.path === path)
    const first = ops[0]
    if (first === undefined || !ops.every((op) => documented(op, 405))) {
      return []
    }
    // GET routes answer HEAD as well, as Laravel (and HTTP) do.
    const allow = allowed.includes('GET') ? [...allowed, 'HEAD'] : allowed
    return HTTP_METHODS.filter((method) => !allowed.includes(method)).map((method) => {
      const step = caseStep(
        'methods',
        first,
        `${method} ${path}`,
        { expect: { status: 405, allow }, covers: ops.map((op) => op.operationId) },
        { method }
      )
      delete step.request.body
      return step
    })
  })
}

interface Breakage {
  label: string
  /** The body with the one constraint broken. */
  body: Obj
  /** Laravel's text for this rule looks like this (to pick the documented one). */
  text: RegExp
}

function breakages(field: string, schema: Obj, base: Obj, random: Random): Breakage[] {
  const out: Breakage[] = []
  const put = (value: unknown) => ({ ...base, [field]: value })
  const type = schema['type']
  if (type === 'boolean') {
    out.push({
      label: 'not a boolean',
      body: put(random.pick(['maybe', 7, ['yes']])),
      text: /true or false/,
    })
  } else if (type === 'integer') {
    out.push({
      label: 'not an integer',
      body: put(random.pick(['seven', 1.5])),
      text: /must be an integer/,
    })
  } else if (type === 'string') {
    out.push({
      label: 'not a string',
      body: put(random.pick([12, ['x']])),
      text: /must be a string/,
    })
  }
  const values = Array.isArray(schema['enum']) ? schema['enum'] : undefined
  if (values !== undefined) {
    const numbers = values.filter((v): v is number => typeof v === 'number')
    const outside =
      numbers.length === values.length
        ? random.pick([Math.max(...numbers) + 1, Math.min(...numbers) - 1])
        : `not-${random.text(6, 'abcdefghijklmnopqrstuvwxyz')}`
    out.push({ label: 'outside its values', body: put(outside), text: /selected .* is invalid/ })
  }
  if (typeof schema['minimum'] === 'number') {
    out.push({
      label: 'below its minimum',
      body: put(schema['minimum'] - 1),
      text: /at least|between/,
    })
  }
  if (typeof schema['maximum'] === 'number') {
    out.push({
      label: 'above its maximum',
      body: put(schema['maximum'] + 1),
      text: /greater than|between/,
    })
  }
  if (typeof schema['minLength'] === 'number' && schema['minLength'] > 0) {
    out.push({
      label: 'too short',
      body: put('x'.repeat(schema['minLength'] - 1)),
      text: /at least|between/,
    })
  }
  if (typeof schema['maxLength'] === 'number') {
    out.push({
      label: 'too long',
      body: put('x'.repeat(schema['maxLength'] + 1)),
      text: /greater than|between/,
    })
  }
  if (typeof schema['pattern'] === 'string') {
    out.push({ label: 'not matching its pattern', body: put('\u0000'), text: /format is invalid/ })
  }
  return out
}

function bodies(
  spec: object,
  operations: readonly ContractOperation[],
  random: Random
): RequestStep[] {
  return operations.flatMap((op) => {
    const body = op.requestBody
    if (body?.mediaType !== 'application/json' || !documented(op, 422) || !isObj(body.example)) {
      return []
    }
    const base = body.example
    const required = Array.isArray(body.schema['required']) ? body.schema['required'] : []
    const properties = isObj(body.schema['properties']) ? body.schema['properties'] : {}
    return Object.entries(properties).flatMap(([field, raw]) => {
      const schema = deref(spec as Obj, raw)
      const broken: Breakage[] = breakages(field, schema, base, random)
      if (required.includes(field)) {
        const { [field]: _dropped, ...rest } = base
        broken.unshift({ label: 'missing', body: rest, text: /is required/ })
      }
      const texts = documentedFieldTexts(op, field)
      return broken.map(({ label, body: sent, text }) => {
        const documentedTexts = texts.filter((t) => text.test(t))
        return caseStep(
          'bodies',
          op,
          `${op.operationId} with ${field} ${label}`,
          {
            expect: {
              status: 422,
              validation: {
                field,
                ...(documentedTexts.length > 0 ? { texts: documentedTexts } : {}),
              },
            },
          },
          { body: sent }
        )
      })
    })
  })
}

export interface GeneratedChecks {
  scenarios: Scenario[]
  /** How many cases of each kind were generated (before --max-cases). */
  counts: Record<NegativeKind, number>
}

/** The generated cases of every kind, as scenarios the runner plays like the others. */
export function generateNegative(
  spec: object,
  operations: readonly ContractOperation[],
  seed: number
): GeneratedChecks {
  const random = createRandom(seed)
  const byKind: Record<NegativeKind, RequestStep[]> = {
    authentication: authentication(operations, random),
    authorization: authorization(operations),
    ids: ids(operations, random),
    methods: methods(operations),
    bodies: bodies(spec, operations, random),
  }
  const scenarios = NEGATIVE_KINDS.map((kind) => ({
    name: negativeScenarioName(kind),
    description: `Generated from the contract: ${kind}`,
    requires: [],
    aliases: {},
    ...(kind === 'authorization' ? { actors: [OUTSIDER] } : {}),
    parallel: true,
    steps: byKind[kind],
  }))
  const counts = Object.fromEntries(
    NEGATIVE_KINDS.map((kind) => [kind, byKind[kind].filter((s) => !s.collectSecrets).length])
  ) as Record<NegativeKind, number>
  return { scenarios, counts }
}

/**
 * At most `max` generated cases, chosen by the seed, taking from every kind in turn so each stays
 * represented; the members' reads that authorization needs are kept and not counted.
 */
export function limitCases(scenarios: Scenario[], max: number, seed: number): Scenario[] {
  const random = createRandom(seed ^ 0x5eed)
  const queues = scenarios.map((s) =>
    random.shuffle(s.steps.filter((step) => !('collectSecrets' in step && step.collectSecrets)))
  )
  const kept = new Set<unknown>()
  for (let round = 0; kept.size < max && queues.some((q) => q.length > 0); round += 1) {
    for (const queue of queues) {
      const next = queue.shift()
      if (next !== undefined && kept.size < max) {
        kept.add(next)
      }
    }
  }
  return scenarios.map((s) => ({
    ...s,
    steps: s.steps.filter(
      (step) => kept.has(step) || ('collectSecrets' in step && step.collectSecrets)
    ),
  }))
}
