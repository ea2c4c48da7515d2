// One log line per request: method, path, status, duration and the sandbox, if any.
import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from './env.ts'

export function requestLog(write: (line: string) => void): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now()
    await next()
    const ms = (performance.now() - started).toFixed(1)
    const sandbox = c.req.header('X-Mock-Sandbox')
    write(
      `${c.req.method} ${c.req.path} ${c.res.status} ${ms} ms${sandbox === undefined ? '' : ` [${sandbox}]`}`
    )
  }
}
