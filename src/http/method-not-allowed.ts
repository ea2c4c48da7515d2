// Laravel's 404 and 405 for requests no route answers: 405 when the path exists for other methods.
import type { Context, Hono } from 'hono'
import type { AppEnv } from './env.ts'
import { methodNotAllowed } from './errors.ts'

interface PathMethods {
  pattern: RegExp
  methods: Set<string>
}

// Laravel lists a path's methods in this order, with HEAD after GET and PATCH beside PUT.
const ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']

function toPattern(path: string): RegExp {
  const source = path
    .split('/')
    .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/')
  return new RegExp(`^${source}/?$`)
}

/** Builds the fallback handler from the app's routes, once, on the first unmatched request. */
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
      if (route.method === 'PUT') {
        methods.add('PATCH')
      }
      byPath.set(route.path, methods)
    }
    return [...byPath].map(([path, methods]) => ({ pattern: toPattern(path), methods }))
  }
  return (c: Context<AppEnv>): Response => {
    table ??= build()
    const allowed = new Set<string>()
    for (const entry of table) {
      if (entry.pattern.test(c.req.path)) {
        entry.methods.forEach((m) => allowed.add(m))
      }
    }
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
}
