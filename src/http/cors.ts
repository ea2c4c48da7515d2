// CORS for every origin (frontends run on their own dev servers). A request with an Origin gets
// that origin back with Access-Control-Allow-Credentials, so `fetch(…, {credentials: 'include'})`
// works (cookies, or a bearer token with credentials mode on); `Vary: Origin` keeps caches honest.
// Headers are prepared before the handler runs: adding them to a finished response would make Hono
// copy it into a streamed one, which costs more than the rest of a typical request.
import type { MiddlewareHandler } from 'hono'
import { controlAccess, isControlPath } from './control-access.ts'
import type { ControlAccess } from './control-access.ts'
import type { AppEnv } from './env.ts'

const ALLOW_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE'
const EXPOSE = 'Allow, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-Mock-Hint'

/** The Messenger API's permissive CORS; the control API (/mock/*) has its own, closed rules. */
export function cors(control: ControlAccess = {}): MiddlewareHandler<AppEnv> {
  const controlCors = controlAccess(control)
  return async (c, next) => {
    if (isControlPath(c.req.path)) {
      return controlCors(c, next)
    }
    const origin = c.req.header('Origin')
    if (origin === undefined) {
      c.header('Access-Control-Allow-Origin', '*')
    } else {
      c.header('Access-Control-Allow-Origin', origin)
      c.header('Access-Control-Allow-Credentials', 'true')
    }
    c.header('Vary', 'Origin')
    c.header('Access-Control-Expose-Headers', EXPOSE)
    if (c.req.method === 'OPTIONS' && c.req.header('Access-Control-Request-Method') !== undefined) {
      c.header('Access-Control-Allow-Methods', ALLOW_METHODS)
      c.header(
        'Access-Control-Allow-Headers',
        c.req.header('Access-Control-Request-Headers') ??
          'Authorization, Content-Type, Prefer, X-Mock-Sandbox'
      )
      c.header('Access-Control-Max-Age', '600')
      return c.body(null, 204)
    }
    await next()
    return undefined
  }
}
