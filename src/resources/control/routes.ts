// The mock's control API (openapi/mock-control.yaml): health, export/replace/reset of the selected
// world, the sandboxes, and the world's clock.
import { createRoute, z } from '@hono/zod-openapi'
import type { components } from '../../generated/mock-control.ts'
import { normalizeBody } from '../../http/body.ts'
import { validationFailed } from '../../http/errors.ts'
import { createRouter, pathText, statuses } from '../../http/routing.ts'
import { exportWorld } from '../../world/export.ts'
import { MAX_ID_TIME_MS } from '../../world/ids.ts'
import { loadWorld } from '../../world/load.ts'
import { formatTimestamp } from '../../world/time.ts'
import { SANDBOX_NAME } from '../../world/worlds.ts'
import type { WorldHandle, Worlds } from '../../world/worlds.ts'

type Schemas = components['schemas']
type WorldSummary = Schemas['WorldSummary']

/** Bad JSON (or another body type) reads as {}, so it gets the document's 422 rather than a 400. */
const jsonBody = normalizeBody(new Set())

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
}

/**
 * POST /mock/clock's body: `advance_seconds` (a number ≥ 0) and/or `frozen` (a boolean), nothing
 * else. Every check is made here, in field order, so the 422 lists all problems at once.
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
  })
  .superRefine((body, ctx) => {
    const problem = (field: string, message: string) => {
      ctx.addIssue({ code: 'custom', path: [field], message })
    }
    const { advance_seconds: advance, frozen } = body
    if (advance === undefined && frozen === undefined) {
      problem('advance_seconds', `The ${ADVANCE} field is required when frozen is not present.`)
      problem('frozen', `The frozen field is required when ${ADVANCE} is not present.`)
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
      if (key !== 'advance_seconds' && key !== 'frozen') {
        problem(key, `The ${key} field is not allowed.`)
      }
    }
  })
  .transform((body): ClockChange => ({
    advance_seconds: typeof body.advance_seconds === 'number' ? body.advance_seconds : undefined,
    frozen: typeof body.frozen === 'boolean' ? body.frozen : undefined,
  }))
  .openapi({ minProperties: 1, additionalProperties: false })

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
        middleware: [jsonBody] as const,
        request: {
          headers: sandboxHeader,
          body: { required: true, content: { 'application/json': { schema: worldDocument } } },
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
        // A name no sandbox may have is simply not there.
        const removed = worlds.list().some((s) => s.name === name) && worlds.remove(name)
        if (!removed) {
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
        middleware: [jsonBody] as const,
        request: {
          headers: sandboxHeader,
          body: { required: true, content: { 'application/json': { schema: clockChange } } },
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
