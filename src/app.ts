// createApp(): the mock's Hono app — middleware, the Messenger routes, the control API and the docs.
// Pure wiring: no I/O happens until a request arrives.
import { OpenAPIHono } from '@hono/zod-openapi'
import type { Context, MiddlewareHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { bindRequest, requireLogin, SANDBOX_HEADER } from './http/binding.ts'
import type { ControlAccess } from './http/control-access.ts'
import { cors } from './http/cors.ts'
import { DEFAULT_MAX_BODY_BYTES, limitBody, normalizeBody } from './http/body.ts'
import type { AppEnv } from './http/env.ts'
import { createFallback, routedRequest } from './http/method-not-allowed.ts'
import { requestLog } from './http/request-log.ts'
import { rememberingRouter } from './http/router.ts'
import { applyControls, journalRequests } from './controls/middleware.ts'
import { hints } from './controls/hints.ts'
import { operationTable } from './controls/operations.ts'
import { controlsRoutes } from './controls/routes.ts'
import { createControlsRegistry } from './controls/state.ts'
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
import { AVATAR_PATH, avatarUpload } from './resources/messenger/avatar-upload.ts'
import { messengerRoutes } from './resources/messenger/routes.ts'
import type { Worlds } from './world/worlds.ts'

export interface AppDeps {
  worlds: Worlds
  /** Base of absolute links; the request's origin when unset. */
  publicUrl?: string | undefined
  /** Called with one line per request (method, path, status, time); silent when absent. */
  log?: ((line: string) => void) | undefined
  /** Requests kept in each sandbox's journal (GET /mock/requests); 1,000 when unset. */
  journalLimit?: number | undefined
  /** The largest request body accepted (413 beyond); PHP's default post_max_size when unset. */
  maxBodyBytes?: number | undefined
  /** Who may use the control API besides pages on this machine, and its token if any. */
  control?: ControlAccess | undefined
  /** Sockets, channel signatures and the broadcast journal; a socket-less one when absent. */
  realtime?: Realtime | undefined
}

// Routes a guest may call: the invite view and the public avatar route.
const isOpenToGuests = (c: Context<AppEnv>) =>
  (c.req.method === 'GET' || c.req.method === 'HEAD') &&
  (c.req.path.startsWith('/api/messenger/join/') || c.req.path.startsWith('/images/'))

export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ router: rememberingRouter() })
  const realtime = deps.realtime ?? createRealtime()
  if (deps.log) {
    app.use('*', requestLog(deps.log))
  }
  app.use('*', cors(deps.control))
  app.use('*', limitBody(deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, new Set([AVATAR_PATH])))

  // Laravel routes first: a request no route answers gets its 404/405 and makes no sandbox. In a
  // sandbox that exists it goes on, so its journal shows what the app really sent.
  const { fallback, routes } = createFallback(app)
  const existing = (name: string): boolean => {
    try {
      return deps.worlds.has(name)
    } catch {
      return false
    }
  }
  const routedOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
    const name = c.req.header(SANDBOX_HEADER)
    if (name !== undefined && !routes(c) && !existing(name)) {
      return fallback(c)
    }
    await next()
    return undefined
  }
  app.use('*', routedOnly)
  app.use('*', bindRequest(deps.worlds))
  // Frontend controls: the journal and hints wrap everything after the world is known; rules and
  // the Prefer header apply once the request has passed the login check.
  const controls = { registry: createControlsRegistry(deps), operations: operationTable(app) }
  app.use('*', hints(controls.operations))
  app.use('*', journalRequests(controls))
  app.use('*', broadcasting(realtime))
  const login = requireLogin(isOpenToGuests)
  app.use('/api/messenger/*', login)
  app.use('/api/messenger', login)
  app.use('/messenger/*', login)
  for (const path of ['/api/messenger', '/api/messenger/*', '/messenger/*', '/images/*']) {
    app.use(path, applyControls(controls))
  }
  app.use('/api/messenger/*', normalizeBody(new Map([[AVATAR_PATH, avatarUpload]])))
  app.use('/messenger/broadcasting/auth', normalizeBody())

  app.route('/', infoRoutes())
  app.route('/', messengerRoutes({ publicUrl: deps.publicUrl }))
  app.route('/', callRoutes())
  app.route('/', inviteRoutes({ publicUrl: deps.publicUrl }))
  app.route('/', imageRoutes())
  app.route('/', broadcastingRoutes({ app: realtime.app }))
  app.route('/', controlRoutes({ worlds: deps.worlds }))
  app.route('/', controlsRoutes(controls))
  app.route('/', broadcastRoutes({ journals: realtime.journals }))
  app.route('/', docsRoutes())

  app.notFound(fallback)
  app.onError((error, c) => {
    // Framework errors (a body it could not parse) keep their status, in Laravel's body shape.
    if (error instanceof HTTPException) {
      return c.json({ message: error.message }, error.status)
    }
    console.error(error)
    return c.json({ message: 'Server Error' }, 500)
  })

  // Laravel routes PATCH like PUT where the contract says so; rewrite before routing.
  const dispatch = app.fetch
  app.fetch = (request, env, ctx) => dispatch(routedRequest(request), env, ctx)
  return app
}

export type App = ReturnType<typeof createApp>
