// The request binding: one middleware gives every handler its world, the world's stores and
// config, the clock's time and the viewer; the path's ids are read by one rule.
import type { Context, MiddlewareHandler } from 'hono'
import { getCookie } from 'hono/cookie'
import type { UserRow } from '../db/rows.ts'
import { SandboxError, SandboxNameError } from '../world/worlds.ts'
import type { Lease, Worlds } from '../world/worlds.ts'
import type { AppEnv, AppVariables } from './env.ts'
import { unauthenticated, validationFailed } from './errors.ts'

export const SANDBOX_HEADER = 'X-Mock-Sandbox'

const BEARER = /^Bearer\s+(\S+)\s*$/i

/** The contract's sessionCookie scheme: on the mock its value is a user's token. */
export const SESSION_COOKIE = 'laravel_session'

// A bearer token, else the session cookie (browser apps sending credentials); the header wins
// when both are sent, as it is the more explicit choice.
function sentToken(c: Context): string | undefined {
  const bearer = BEARER.exec(c.req.header('Authorization') ?? '')?.[1]
  if (bearer !== undefined || c.req.header('Cookie') === undefined) {
    return bearer
  }
  const cookie = getCookie(c, SESSION_COOKIE)
  return cookie === '' ? undefined : cookie
}

/**
 * Binds the request to the world its sandbox header names (the main world without one). A sandbox
 * is held for the whole request: deleting it or putting it to sleep waits for the request.
 */
export function bindRequest(worlds: Worlds): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const name = c.req.header(SANDBOX_HEADER)
    let lease: Lease | undefined
    try {
      lease = name === undefined ? undefined : worlds.acquire(name)
    } catch (error) {
      if (error instanceof SandboxNameError) {
        return validationFailed(c, { [SANDBOX_HEADER]: [error.message] })
      }
      if (error instanceof SandboxError) {
        return c.json({ message: error.message }, error.status)
      }
      throw error
    }
    try {
      const world = lease?.world ?? worlds.main()
      const { stores } = world
      const token = sentToken(c)
      c.set('world', world)
      c.set('stores', stores)
      c.set('config', stores.config.get())
      c.set('now', world.clock.now())
      c.set('viewer', token === undefined ? undefined : stores.users.byToken(token))
      await next()
    } finally {
      lease?.release()
    }
    return undefined
  }
}

/** Laravel's 401 for a guest, unless the route lets guests in. */
export function requireLogin(
  isOpenToGuests: (c: Context<AppEnv>) => boolean
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.get('viewer') === undefined && !isOpenToGuests(c)) {
      return unauthenticated(c)
    }
    await next()
    return undefined
  }
}

/** The logged-in user of a route behind `requireLogin` (never a guest there). */
export function viewerOf<E extends AppEnv>(c: Context<E>): UserRow {
  return signedIn(c).viewer
}

/** The request's binding on a route behind `requireLogin`, where the viewer is a user. */
export function signedIn<E extends AppEnv>(c: Context<E>) {
  // c.get per variable: Hono builds a new object of all variables on every read of c.var.
  const viewer: AppVariables['viewer'] = c.get('viewer')
  if (viewer === undefined) {
    throw new Error('A route open to guests asked for the logged-in user')
  }
  const world: AppVariables['world'] = c.get('world')
  const stores: AppVariables['stores'] = c.get('stores')
  const config: AppVariables['config'] = c.get('config')
  const now: AppVariables['now'] = c.get('now')
  return { world, stores, config, now, viewer }
}

/**
 * The id rule: a path id is looked up as the stored lowercase text, as MySQL's case-insensitive
 * collation matched it; `raw` keeps the id as sent, for the 404 text.
 */
export function idKey(raw: string): string {
  return raw.toLowerCase()
}

/** The path id `name`: `raw` as sent (for the 404 text) and the `key` to look it up by. */
export function idParam<E extends AppEnv>(c: Context<E>, name: string) {
  const raw = c.req.param(name) ?? ''
  return { raw, key: idKey(raw) }
}
