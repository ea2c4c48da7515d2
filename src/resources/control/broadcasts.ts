// GET/DELETE /mock/broadcasts: the selected world's broadcast journal (openapi/mock-control.yaml).
import { createRoute, z } from '@hono/zod-openapi'
import { createRouter, statuses } from '../../http/routing.ts'
import type { Journals } from '../../realtime/journal.ts'
import { sandboxHeader } from './routes.ts'

const filters = z.object({
  event: z
    .string()
    .optional()
    .openapi({ param: { name: 'event', in: 'query' }, description: 'Only this event.' }),
  channel: z
    .string()
    .optional()
    .openapi({
      param: { name: 'channel', in: 'query' },
      description: 'Only broadcasts sent to this channel.',
    }),
})

export function broadcastRoutes(options: { journals: Journals }) {
  const { journals } = options
  return createRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/mock/broadcasts',
        operationId: 'listBroadcasts',
        request: { headers: sandboxHeader, query: filters },
        responses: statuses(200, 422),
      }),
      (c) => c.json({ data: journals.list(c.get('world'), c.req.valid('query')) }, 200)
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/mock/broadcasts',
        operationId: 'clearBroadcasts',
        request: { headers: sandboxHeader },
        responses: statuses(200, 422),
      }),
      (c) => c.json({ message: 'success' as const, deleted: journals.clear(c.get('world')) }, 200)
    )
}
