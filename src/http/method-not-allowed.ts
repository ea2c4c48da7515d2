// Laravel's 404 and 405 for requests no route answers: 405 when the path exists for other methods.
import type { Context, Hono } from 'hono'
import type { AppEnv } from './env.ts'
import { rememberSentMethod } from './sent-method.ts'
import { methodNotAllowed } from './errors.ts'

interface PathMethods {
  pattern: RegExp
  methods: Set<string>
}

// Laravel lists a path's methods in this order, with HEAD after GET and PATCH beside PUT.
const ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']

/**
 * The routes whose PUT also answers PATCH, as the contract says of them ("PATCH is accepted too":
 * Laravel's resource `update`). Every other PATCH is a 405.
 */
const PATCH_AS_PUT = ['/api/messenger/threads/:thread/calls/:call/participants/:participant'].map(
  toPattern
)

/** The request to route: a PATCH to a route that accepts it becomes its PUT. */
export function routedRequest(request: Request): Request {
  if (request.method !== 'PATCH') {
    return request
  }
  const path = new URL(request.url).pathname
  return PATCH_AS_PUT.some((pattern) => pattern.test(path))
    ? rememberSentMethod(new Request(request, { method: 'PUT' }), 'PATCH')
    : request
}

function toPattern(path: string): RegExp {
  const source = path
    .split('/')
    .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/')
  return new RegExp(`^${source}/?$`)
}

/**
 * From the app's routes (read once, on first use): `fallback`, the handler for requests no route
 * answers, and `routes`, whether a route answers a request's method and path.
 */
export function createFallback(app: Hono<AppEnv>) {
  let table: PathMethods[] | undefined
  const build = (): PathMethods[] => {
    const byPath = new Map<string, Set<string>>()
    for (const route of app.routes) {
      if (route.method === 'ALL' || !route.path.startsWith('/')) {
        continue
      }
      const methods = byPath.get(route.path) ?? new Set<string>()
      methods.add(route.method)
      if (route.method === 'GET') {
        methods.add('HEAD')
      }
      if (route.method === 'PUT' && PATCH_AS_PUT.some((p) => p.test(route.path))) {
        methods.add('PATCH')
      }
      byPath.set(route.path, methods)
    }
    return [...byPath].map(([path, methods]) => ({ pattern: toPattern(path), methods }))
  }
  const allowedOn = (path: string): Set<string> => {
    table ??= build()
    const allowed = new Set<string>()
    for (const entry of table) {
      if (entry.pattern.test(path)) {
        entry.methods.forEach((m) => allowed.add(m))
      }
    }
    return allowed
  }
  const fallback = (c: Context<AppEnv>): Response => {
    const allowed = allowedOn(c.req.path)
    if (allowed.size > 0 && !allowed.has(c.req.method)) {
      return methodNotAllowed(
        c,
        c.req.method,
        ORDER.filter((m) => allowed.has(m))
      )
    }
    // Laravel 8's NotFoundHttpException renders with an empty message.
    return c.json({ message: '' }, 404)
  }
  const routes = (c: Context<AppEnv>): boolean => allowedOn(c.req.path).has(c.req.method)
  return { fallback, routes }
}
