// The control API's rules and request journal (openapi/mock-control.yaml, tags Rules and Journal),
// per sandbox: POST/GET/DELETE /mock/rules, DELETE /mock/rules/{id}, GET/DELETE /mock/requests.
import { createRoute, z } from '@hono/zod-openapi'
import { normalizeBody } from '../http/body.ts'
import { validationFailed } from '../http/errors.ts'
import { createRouter, pathText } from '../http/routing.ts'
import { sandboxHeader } from '../resources/control/routes.ts'
import type { OperationTable } from './operations.ts'
import { MAX_DELAY_MS, MAX_RULES, type RuleInput } from './rules.ts'
import type { ControlsRegistry } from './state.ts'

const jsonBody = normalizeBody()

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)
const isWhole = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max

type Problems = Record<string, string[]>

function checkDelay(delay: unknown, problems: Problems): void {
  const say = (message: string) => (problems['delay_ms'] ??= []).push(message)
  if (isWhole(delay, 0, MAX_DELAY_MS)) {
    return
  }
  if (
    isObject(delay) &&
    isWhole(delay['min'], 0, MAX_DELAY_MS) &&
    isWhole(delay['max'], 0, MAX_DELAY_MS)
  ) {
    if (delay['min'] > delay['max']) {
      say('The delay_ms.min must not be greater than delay_ms.max.')
    }
    return
  }
  say(
    `The delay_ms must be a whole number of milliseconds from 0 to ${MAX_DELAY_MS}, or {"min": …, "max": …} within that range.`
  )
}

function checkMatch(match: unknown, operations: OperationTable, problems: Problems): void {
  if (!isObject(match)) {
    problems['match'] = ['The match must be an object (method, path, operation, actor).']
    return
  }
  for (const [key, value] of Object.entries(match)) {
    const say = (message: string) => (problems[`match.${key}`] ??= []).push(message)
    if (key === 'method') {
      if (typeof value !== 'string' || !METHODS.includes(value)) {
        say(`The match.method must be one of ${METHODS.join(', ')}.`)
      }
    } else if (key === 'path') {
      if (typeof value !== 'string' || !value.startsWith('/')) {
        say('The match.path must be a path starting with /, or a template of the contract.')
      }
    } else if (key === 'operation') {
      if (typeof value !== 'string' || operations.byId(value) === undefined) {
        say(
          `The match.operation must be an operationId of the contract: ${operations.all.map((o) => o.operationId).join(', ')}.`
        )
      }
    } else if (key === 'actor') {
      if (typeof value !== 'string' || value === '') {
        say("The match.actor must be a user's token or id.")
      }
    } else {
      say(`The match.${key} field is not allowed.`)
    }
  }
}

function checkRespond(respond: unknown, problems: Problems): void {
  const say = (message: string) => (problems['respond'] ??= []).push(message)
  if (!isObject(respond)) {
    say('The respond must be an object: {"status": …, "body": …, "headers": {…}}.')
    return
  }
  if (!isWhole(respond['status'], 200, 599)) {
    say('The respond.status must be a status from 200 to 599.')
  }
  const headers = respond['headers']
  if (
    headers !== undefined &&
    !(
      isObject(headers) &&
      Object.entries(headers).every(
        ([k, v]) =>
          /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(k) &&
          typeof v === 'string' &&
          /^[\t\x20-\x7e]*$/.test(v)
      )
    )
  ) {
    say('The respond.headers must map header names to printable ASCII strings.')
  }
  for (const key of Object.keys(respond)) {
    if (!['status', 'body', 'headers'].includes(key)) {
      say(`The respond.${key} field is not allowed.`)
    }
  }
}

/** The checks of POST /mock/rules, each problem under its field, as Laravel lists them. */
function ruleProblems(body: Record<string, unknown>, operations: OperationTable): Problems {
  const problems: Problems = {}
  const { match, delay_ms: delay, respond, drop, times } = body
  if (delay === undefined && respond === undefined && drop === undefined) {
    problems['delay_ms'] = ['The rule needs an effect: delay_ms, respond or drop.']
  }
  if (match !== undefined) {
    checkMatch(match, operations, problems)
  }
  if (delay !== undefined) {
    checkDelay(delay, problems)
  }
  if (respond !== undefined) {
    checkRespond(respond, problems)
  }
  if (drop !== undefined && drop !== true) {
    problems['drop'] = ['The drop field must be true (leave it out to answer).']
  }
  if (drop !== undefined && respond !== undefined) {
    ;(problems['drop'] ??= []).push('The drop field cannot be combined with respond.')
  }
  if (times !== undefined && !isWhole(times, 1, Number.MAX_SAFE_INTEGER)) {
    problems['times'] = ['The times must be a whole number of at least 1.']
  }
  for (const key of Object.keys(body)) {
    if (!['match', 'delay_ms', 'respond', 'drop', 'times'].includes(key)) {
      problems[key] = [`The ${key} field is not allowed.`]
    }
  }
  return problems
}

// JSON Schema's `const`, which zod-openapi's metadata type does not list.
const DROP = { const: true, description: 'Close the connection without an answer.' }

// The documented shape of a rule (RuleInput); every check is made by ruleProblems, so the 422 lists
// each problem under its field in the mock's words.
const ruleBody = z
  .looseObject({
    match: z
      .unknown()
      .optional()
      .openapi({
        type: 'object',
        additionalProperties: false,
        properties: {
          method: { type: 'string', enum: METHODS },
          path: { type: 'string', pattern: '^/' },
          operation: { type: 'string' },
          actor: { type: 'string' },
        },
      }),
    delay_ms: z.unknown().optional(),
    respond: z
      .unknown()
      .optional()
      .openapi({
        type: 'object',
        additionalProperties: false,
        required: ['status'],
        properties: {
          status: { type: 'integer', minimum: 200, maximum: 599 },
          body: {},
          headers: { type: 'object', additionalProperties: { type: 'string' } },
        },
      }),
    drop: z.unknown().optional().openapi(DROP),
    times: z.unknown().optional().openapi({ type: 'integer', minimum: 1 }),
  })
  .openapi({
    minProperties: 1,
    additionalProperties: false,
    description: 'A rule (RuleInput in openapi/mock-control.yaml).',
  })

const journalQuery = z.object({
  method: z.string().optional(),
  path: z.string().optional(),
  operation: z.string().optional(),
  status: z
    .string()
    .regex(/^([1-5][0-9][0-9]|[1-5]xx)$/, 'The status must be a status (404) or a class (4xx).')
    .optional(),
  limit: z
    .string()
    .regex(/^[1-9][0-9]*$/, 'The limit must be a whole number of at least 1.')
    .optional()
    .openapi({ type: 'integer', minimum: 1 }),
})

const DONE = { 204: { description: 'Done.' } } as const
const INVALID = { 422: { description: 'Invalid payload' } } as const

/** DELETE of a whole collection of the sandbox's controls (its rules, its journal): 204. */
const emptyingRoute = (path: string, operationId: string) =>
  createRoute({
    method: 'delete',
    path,
    operationId,
    request: { headers: sandboxHeader },
    responses: { ...DONE, ...INVALID },
  })

export function controlsRoutes(options: {
  registry: ControlsRegistry
  operations: OperationTable
}) {
  const { registry, operations } = options
  return createRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/mock/rules',
        operationId: 'listRules',
        request: { headers: sandboxHeader },
        responses: { 200: { description: 'OK' }, ...INVALID },
      }),
      (c) => c.json({ data: registry.of(c.get('world')).rules.list() }, 200)
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/mock/rules',
        operationId: 'createRule',
        middleware: [jsonBody] as const,
        request: {
          headers: sandboxHeader,
          body: { required: true, content: { 'application/json': { schema: ruleBody } } },
        },
        responses: { 201: { description: 'Created' }, ...INVALID },
      }),
      (c) => {
        const body = c.req.valid('json')
        const problems = ruleProblems(body, operations)
        if (Object.keys(problems).length > 0) {
          return validationFailed(c, problems)
        }
        const rules = registry.of(c.get('world')).rules
        if (rules.size >= MAX_RULES) {
          return validationFailed(c, {
            rules: [
              `This sandbox already has ${MAX_RULES} rules, the most it may hold; remove some (DELETE /mock/rules/{id} or DELETE /mock/rules).`,
            ],
          })
        }
        return c.json(rules.add(body as RuleInput), 201)
      }
    )
    .openapi(emptyingRoute('/mock/rules', 'deleteRules'), (c) => {
      registry.of(c.get('world')).rules.clear()
      return c.body(null, 204)
    })
    .openapi(
      createRoute({
        method: 'delete',
        path: '/mock/rules/{id}',
        operationId: 'deleteRule',
        request: {
          headers: sandboxHeader,
          params: z.object({ id: pathText('id', "The rule's id.") }),
        },
        responses: { ...DONE, 404: { description: 'Not found' }, ...INVALID },
      }),
      (c) => {
        const { id } = c.req.valid('param')
        if (!registry.of(c.get('world')).rules.remove(id)) {
          return c.json(
            { message: `No rule ${id} in this sandbox; GET /mock/rules lists them.` },
            404
          )
        }
        return c.body(null, 204)
      }
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/mock/requests',
        operationId: 'listRequests',
        request: { headers: sandboxHeader, query: journalQuery },
        responses: { 200: { description: 'OK' }, ...INVALID },
      }),
      (c) => {
        const filter = c.req.valid('query')
        const path = filter.path
        const matchesPath =
          path === undefined
            ? () => true
            : path.includes('{')
              ? (p: string) => operations.matchesTemplate(path, p)
              : (p: string) => p === path
        const data = registry
          .of(c.get('world'))
          .journal.list(
            { ...filter, limit: filter.limit === undefined ? undefined : Number(filter.limit) },
            matchesPath
          )
        return c.json({ data }, 200)
      }
    )
    .openapi(emptyingRoute('/mock/requests', 'clearRequests'), (c) => {
      registry.of(c.get('world')).journal.clear()
      return c.body(null, 204)
    })
}
