// Who may use the control API (/mock/*): it can wipe or replace worlds, so unlike the Messenger API
// it is closed to other web pages and, on a non-loopback address, to the network. Browsers get CORS
// only for loopback origins (any port), the mock's own page and origins the user listed; other
// origins may not change state (403). With a token set, every control request must carry it.
import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from './env.ts'

export const CONTROL_TOKEN_HEADER = 'X-Mock-Token'

export interface ControlAccess {
  /** Origins (scheme://host:port) allowed besides loopback ones. */
  readonly origins?: readonly string[] | undefined
  /** When set, every control request but the health check and the specs must send it. */
  readonly token?: string | undefined
}

const CONTROL_METHODS = 'GET, HEAD, POST, PUT, DELETE'
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])
/** Open without a token: readiness probes and the published specs change nothing. */
const PUBLIC_PATHS = new Set(['/mock/health', '/mock/openapi.yaml', '/mock/openapi.json'])

export const isControlPath = (path: string) => path === '/mock' || path.startsWith('/mock/')

/** localhost, 127.0.0.0/8 and ::1: only programs on this machine can be there. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase()
  return (
    bare === 'localhost' ||
    bare.endsWith('.localhost') ||
    bare === '::1' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare)
  )
}

const isIpLiteral = (host: string) =>
  /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || (host.startsWith('[') && host.endsWith(']'))

function trusted(origin: string, requestUrl: string, listed: ReadonlySet<string>): boolean {
  if (listed.has(origin)) {
    return true
  }
  let url: URL
  try {
    url = new URL(origin)
  } catch {
    return false
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return false
  }
  if (isLoopbackHost(url.hostname)) {
    return true
  }
  // The mock's own pages (the docs) reached by IP address. A same-origin request through a domain
  // name is not enough: DNS rebinding can point any name at this machine.
  return url.origin === new URL(requestUrl).origin && isIpLiteral(url.host.replace(/:\d+$/, ''))
}

function refuse(c: Context, message: string, status: 401 | 403): Response {
  return c.json({ message }, status)
}

/** CORS and protection for the control API; `next` is the rest of the app. */
export function controlAccess(access: ControlAccess = {}): MiddlewareHandler<AppEnv> {
  const listed = new Set((access.origins ?? []).map((o) => o.replace(/\/+$/, '')))
  return async (c, next) => {
    const origin = c.req.header('Origin')
    c.header('Vary', 'Origin')
    if (origin !== undefined) {
      if (trusted(origin, c.req.url, listed)) {
        c.header('Access-Control-Allow-Origin', origin)
      } else if (!SAFE_METHODS.has(c.req.method) || c.req.method === 'OPTIONS') {
        return refuse(
          c,
          `The mock's control API does not accept requests from the web page at ${origin}: only pages on this machine (localhost) may change its state. To allow this origin, start the mock with --allow-origin ${origin} (env MOCK_ALLOW_ORIGINS).`,
          403
        )
      }
    }
    if (c.req.method === 'OPTIONS' && c.req.header('Access-Control-Request-Method') !== undefined) {
      c.header('Access-Control-Allow-Methods', CONTROL_METHODS)
      c.header(
        'Access-Control-Allow-Headers',
        c.req.header('Access-Control-Request-Headers') ??
          `Content-Type, X-Mock-Sandbox, ${CONTROL_TOKEN_HEADER}`
      )
      c.header('Access-Control-Max-Age', '600')
      return c.body(null, 204)
    }
    if (
      access.token !== undefined &&
      !PUBLIC_PATHS.has(c.req.path) &&
      c.req.header(CONTROL_TOKEN_HEADER) !== access.token
    ) {
      return refuse(
        c,
        `The mock's control API needs its token: send the header ${CONTROL_TOKEN_HEADER} with the token the mock printed at start (set your own with --control-token or env MOCK_CONTROL_TOKEN).`,
        401
      )
    }
    await next()
    return undefined
  }
}
