// Bearer-token login against the world's users; Laravel's 401 when a route needs a user.
import type { Context, MiddlewareHandler } from 'hono'
import { cached } from '../world/cached.ts'
import { createUserStore } from '../resources/users/store.ts'
import type { UserRow } from '../resources/users/store.ts'
import type { AppEnv } from './env.ts'
import { unauthenticated } from './errors.ts'

const BEARER = /^Bearer\s+(\S+)\s*$/i

function bearerUser(c: Context<AppEnv>): UserRow | undefined {
  const match = BEARER.exec(c.req.header('Authorization') ?? '')
  if (!match?.[1]) {
    return undefined
  }
  const world = c.get('world')
  return cached(world, 'users', () => createUserStore(world.db)).byToken(match[1])
}

/** Logs the user in when a valid token is sent; answers 401 unless the route lets guests in. */
export function authenticate(
  isOpenToGuests: (c: Context<AppEnv>) => boolean
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const user = bearerUser(c)
    if (!user && !isOpenToGuests(c)) {
      return unauthenticated(c)
    }
    c.set('user', user)
    await next()
    return undefined
  }
}

/** The logged-in user of a route behind `authenticate` (never a guest there). */
export function currentUser(c: Context<AppEnv>): UserRow {
  const user = c.get('user')
  if (!user) {
    throw new Error('currentUser() used on a route open to guests')
  }
  return user
}
