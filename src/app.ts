// createApp(): the mock's Hono app — middleware, the Messenger routes, the control API and the docs.
// Pure wiring: no I/O happens until a request arrives.
import { OpenAPIHono } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { bindRequest, requireLogin } from './http/binding.ts'
import { cors } from './http/cors.ts'
import { normalizeBody } from './http/body.ts'
import type { AppEnv } from './http/env.ts'
import { createFallback } from './http/method-not-allowed.ts'
import { requestLog } from './http/request-log.ts'
import { docsRoutes } from './docs/routes.ts'
import { broadcasting } from './realtime/outbox.ts'
import { createRealtime } from './realtime/realtime.ts'
import type { Realtime } from './realtime/realtime.ts'
import { broadcastingRoutes } from './resources/broadcasting/routes.ts'
import { broadcastRoutes } from './resources/control/broadcasts.ts'
import { callRoutes } from './resources/calls/routes.ts'
import { controlRoutes } from './resources/control/routes.ts'
import { imageRoutes } from './resources/images/routes.ts'
import { inviteRoutes } from './resources/invites/routes.ts'
import { infoRoutes } from './resources/messenger/info.ts'
import { messengerRoutes } from './resources/messenger/routes.ts'
import type { Worlds } from './world/worlds.ts'

export interface AppDeps {
  worlds: Worlds
  /** Base of absolute links; the request's origin when unset. */
  publicUrl?: string | undefined
  /** Called with one line per request (method, path, status, time); silent when absent. */
  log?: ((line: string) => void) | undefined
  /** Sockets, channel signatures and the broadcast journal; a socket-less one when absent. */
  realtime?: Realtime | undefined
}

// Routes a guest may call: the invite view and the public avatar route.
const isOpenToGuests = (c: Context<AppEnv>) =>
  (c.req.method === 'GET' || c.req.method === 'HEAD') &&
  (c.req.path.startsWith('/api/messenger/join/') || c.req.path.startsWith('/images/'))

export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>()
  const realtime = deps.realtime ?? createRealtime()
  if (deps.log) {
    app.use('*', requestLog(deps.log))
  }
  app.use('*', cors())

  app.use('*', bindRequest(deps.worlds))
  app.use('*', broadcasting(realtime))
  const login = requireLogin(isOpenToGuests)
  app.use('/api/messenger/*', login)
  app.use('/api/messenger', login)
  app.use('/messenger/*', login)
  app.use('/api/messenger/*', normalizeBody(new Set(['/api/messenger/avatar'])))
  app.use('/messenger/broadcasting/auth', normalizeBody(new Set()))

  app.route('/', infoRoutes())
  app.route('/', messengerRoutes({ publicUrl: deps.publicUrl }))
  app.route('/', callRoutes())
  app.route('/', inviteRoutes({ publicUrl: deps.publicUrl }))
  app.route('/', imageRoutes())
  app.route('/', broadcastingRoutes({ app: realtime.app }))
  app.route('/', controlRoutes({ worlds: deps.worlds }))
  app.route('/', broadcastRoutes({ journals: realtime.journals }))
  app.route('/', docsRoutes())

  const fallback = createFallback(app)
  app.notFound(fallback)
  app.onError((error, c) => {
    // Framework errors (a body it could not parse) keep their status, in Laravel's body shape.
    if (error instanceof HTTPException) {
      return c.json({ message: error.message }, error.status)
    }
    console.error(error)
    return c.json({ message: 'Server Error' }, 500)
  })

  // Laravel routes PATCH like PUT on the call participant; rewrite before routing.
  const dispatch = app.fetch
  app.fetch = (request, env, ctx) =>
    dispatch(
      request.method === 'PATCH' ? new Request(request, { method: 'PUT' }) : request,
      env,
      ctx
    )
  return app
}

export type App = ReturnType<typeof createApp>
