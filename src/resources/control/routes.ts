// The mock's control API (openapi/mock-control.yaml): health, export/replace/reset of the selected
// world, the sandboxes, and the world's clock.
import { createRoute, z } from '@hono/zod-openapi'
import type { components } from '../../generated/mock-control.ts'
import { normalizeBody } from '../../http/body.ts'
import { validationFailed } from '../../http/errors.ts'
import { createRouter, jsonBody, pathText, statuses } from '../../http/routing.ts'
import { exportWorld } from '../../world/export.ts'
import { MAX_ID_TIME_MS } from '../../world/ids.ts'
import { loadWorld } from '../../world/load.ts'
import { formatTimestamp } from '../../world/time.ts'
import { SANDBOX_NAME } from '../../world/worlds.ts'
import type { WorldHandle, Worlds } from '../../world/worlds.ts'

type Schemas = components['schemas']
type WorldSummary = Schemas['WorldSummary']

/** Bad JSON (or another body type) reads as {}, so it gets the document's 422 rather than a 400. */
const lenientJson = normalizeBody()

function summary(world: WorldHandle, message: string): WorldSummary {
  const counts = world.stores.worldCounts.counts()
  return { message, world: world.name, ...counts }
}

// The document is checked by loadWorld, which names every problem by its path; the route schema
// only documents that the body is a JSON object.
const worldDocument = z
  .looseObject({
    // Optional here so a document without users reaches loadWorld and its Laravel text.
    users: z
      .unknown()
      .optional()
      .openapi({
        type: 'array',
        items: { type: 'object' },
        description: 'The users, with their bearer tokens.',
      }),
  })
  .openapi({
    required: ['users'],
    description: 'A world document (WorldDocument in openapi/mock-control.yaml).',
  })

// Documents the header; the app's world selection has already checked it (lowercased header keys
// never match this key, so validation here has nothing to refuse).
export const sandboxHeader = z.object({
  'X-Mock-Sandbox': z
    .string()
    .optional()
    .openapi({
      param: { name: 'X-Mock-Sandbox', in: 'header' },
      pattern: SANDBOX_NAME.source,
      description: 'The sandbox to act on; the main world when absent.',
    }),
})

const ADVANCE = 'advance seconds'

interface ClockChange {
  advance_seconds: number | undefined
  frozen: boolean | undefined
  /** `now`, or an RFC 3339 date-time (checked to parse). */
  set: string | undefined
}

// RFC 3339 date-time: a date, T (or a space), a time with optional fraction, and Z or an offset.
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/
const parseSetTime = (value: string): number =>
  value === 'now' ? Date.now() : RFC3339.test(value) ? Date.parse(value) : Number.NaN

/**
 * POST /mock/clock's body: `advance_seconds` (a number ≥ 0) or `set` (a time), and/or `frozen` (a
 * boolean), nothing else. Every check is made here, in field order, so the 422 lists all problems at once.
 */
const clockChange = z
  .looseObject({
    advance_seconds: z.unknown().optional().openapi({
      type: 'number',
      minimum: 0,
      description: 'Seconds to move forward.',
    }),
    frozen: z.unknown().optional().openapi({
      type: 'boolean',
      description: 'Freeze (true) or unfreeze (false) the clock.',
    }),
    set: z.unknown().optional().openapi({
      type: 'string',
      description: 'An RFC 3339 date-time no earlier than the world\'s time, or "now".',
    }),
  })
  .superRefine((body, ctx) => {
    const problem = (field: string, message: string) => {
      ctx.addIssue({ code: 'custom', path: [field], message })
    }
    const { advance_seconds: advance, frozen, set } = body
    if (advance === undefined && frozen === undefined && set === undefined) {
      problem(
        'advance_seconds',
        `The ${ADVANCE} field is required when frozen and set are not present.`
      )
      problem('frozen', `The frozen field is required when ${ADVANCE} and set are not present.`)
    }
    if (set !== undefined) {
      if (typeof set !== 'string' || Number.isNaN(parseSetTime(set))) {
        problem('set', 'The set must be an RFC 3339 date-time (2020-12-08T07:00:00Z) or "now".')
      }
      if (advance !== undefined) {
        problem('set', `The set field cannot be combined with ${ADVANCE}.`)
      }
    }
    if (advance !== undefined) {
      if (typeof advance !== 'number' || !Number.isFinite(advance)) {
        problem('advance_seconds', `The ${ADVANCE} must be a number.`)
      } else if (advance < 0) {
        problem('advance_seconds', `The ${ADVANCE} must be at least 0.`)
      }
    }
    if (frozen !== undefined && typeof frozen !== 'boolean') {
      problem('frozen', 'The frozen field must be true or false.')
    }
    for (const key of Object.keys(body)) {
      if (key !== 'advance_seconds' && key !== 'frozen' && key !== 'set') {
        problem(key, `The ${key} field is not allowed.`)
      }
    }
  })
  .transform((body): ClockChange => ({
    advance_seconds: typeof body.advance_seconds === 'number' ? body.advance_seconds : undefined,
    frozen: typeof body.frozen === 'boolean' ? body.frozen : undefined,
    set: typeof body.set === 'string' ? body.set : undefined,
  }))
  .openapi({ minProperties: 1, additionalProperties: false })

/** Why `set` may not move a clock now at `nowMs`, or undefined when it may. */
function setClockRefusal(nowMs: number, set: string): string | undefined {
  const target = parseSetTime(set)
  // The API shows whole seconds: a target within the current second is not going back.
  if (Math.floor(target / 1000) < Math.floor(nowMs / 1000)) {
    const what = set === 'now' ? 'The real time' : `The time ${set}`
    return `${what} is earlier than the world's time ${formatTimestamp(nowMs)}. The clock only moves forward: the world's calls, invites and heartbeats were written at the later time, so going back would break the call lockout, invite expiry and online status. Reset the world (POST /mock/world/reset) to start over from its document's time.`
  }
  if (target > MAX_ID_TIME_MS) {
    return `The set may not move the clock past ${formatTimestamp(MAX_ID_TIME_MS)}.`
  }
  return undefined
}

export function controlRoutes(options: { worlds: Worlds }) {
  const { worlds } = options
  const isMain = (world: WorldHandle) => world === worlds.main()

  return createRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/mock/health',
        operationId: 'getHealth',
        responses: statuses(200),
      }),
      (c) => c.json({ status: 'ok' as const, sandboxes: worlds.list().length }, 200)
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/mock/world',
        operationId: 'exportWorld',
        request: { headers: sandboxHeader },
        responses: statuses(200, 422),
      }),
      (c) => c.json(exportWorld(c.get('world').db), 200)
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/mock/world',
        operationId: 'replaceWorld',
        middleware: [lenientJson] as const,
        request: {
          headers: sandboxHeader,
          body: jsonBody(worldDocument),
        },
        responses: statuses(200, 422),
      }),
      (c) => {
        const world = c.get('world')
        // All or nothing: on errors loadWorld has written nothing.
        const result = loadWorld(world.db, c.req.valid('json'))
        if (!result.ok) {
          return validationFailed(c, result.errors)
        }
        world.reloaded()
        return c.json(summary(world, 'World loaded.'), 200)
      }
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/mock/world/reset',
        operationId: 'resetWorld',
        request: { headers: sandboxHeader },
        responses: statuses(200, 422),
      }),
      (c) => {
        const world = isMain(c.get('world'))
          ? worlds.resetMain()
          : worlds.reset(c.get('world').name)
        return c.json(summary(world, 'World reset.'), 200)
      }
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/mock/sandboxes',
        operationId: 'listSandboxes',
        responses: statuses(200),
      }),
      (c) => c.json({ data: worlds.list() }, 200)
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/mock/sandboxes/{name}',
        operationId: 'deleteSandbox',
        request: {
          params: z.object({
            name: pathText('name', "The sandbox's name.", { pattern: SANDBOX_NAME.source }),
          }),
        },
        responses: statuses(200, 404),
      }),
      (c) => {
        const { name } = c.req.valid('param')
        if (!worlds.remove(name)) {
          return c.json({ message: `No sandbox named ${name}.` }, 404)
        }
        return c.json({ message: 'success' }, 200)
      }
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/mock/clock',
        operationId: 'getClock',
        request: { headers: sandboxHeader },
        responses: statuses(200, 422),
      }),
      (c) => c.json(c.get('world').clock.state(), 200)
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/mock/clock',
        operationId: 'moveClock',
        middleware: [lenientJson] as const,
        request: {
          headers: sandboxHeader,
          body: jsonBody(clockChange),
        },
        responses: statuses(200, 422),
      }),
      (c) => {
        const clock = c.get('world').clock
        const change = c.req.valid('json')
        const advanceMs = Math.round((change.advance_seconds ?? 0) * 1000)
        // Checked before anything changes, so a refused request leaves the clock as it was.
        if (clock.nowMs() + advanceMs > MAX_ID_TIME_MS) {
          return validationFailed(c, {
            advance_seconds: [
              `The ${ADVANCE} may not move the clock past ${formatTimestamp(MAX_ID_TIME_MS)}.`,
            ],
          })
        }
        if (change.set !== undefined) {
          const refused = setClockRefusal(clock.nowMs(), change.set)
          if (refused !== undefined) {
            return validationFailed(c, { set: [refused] })
          }
          clock.set(parseSetTime(change.set), change.frozen)
          return c.json(clock.state(), 200)
        }
        if (change.frozen !== undefined) {
          clock.set(clock.nowMs(), change.frozen)
        }
        if (change.advance_seconds !== undefined) {
          clock.advance(change.advance_seconds)
        }
        return c.json(clock.state(), 200)
      }
    )
}
