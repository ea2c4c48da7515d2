// X-Mock-Hint: a header the mock adds where a newcomer is lost, leaving the backend's body as it
// is: on a 401 (the world's tokens), on a 404 for a route the contract does not have (the closest
// documented route), and on a refused call start while a call is active (that call's id).
import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from '../http/env.ts'
import type { OperationTable } from './operations.ts'

export const HINT_HEADER = 'X-Mock-Hint'
const MAX_TOKENS = 10

// Header values must be Latin-1; keep hints to printable ASCII.
const ascii = (text: string) => text.replace(/[^\x20-\x7e]/g, '?')

function tokensHint(c: Context<AppEnv>): string {
  const rows = c
    .get('world')
    .db.prepare<[number], { token: string }>('SELECT token FROM users ORDER BY rowid LIMIT ?')
    .all(MAX_TOKENS + 1)
  const tokens = rows.slice(0, MAX_TOKENS).map((r) => r.token)
  const more = rows.length > MAX_TOKENS ? ', ...' : ''
  return tokens.length === 0
    ? 'This world has no users; load a world with users (PUT /mock/world).'
    : `Send Authorization: Bearer <token>; this world's tokens: ${tokens.join(', ')}${more}.`
}

const START_CALL = /^\/api\/messenger\/threads\/([^/]+)\/calls\/?$/

function activeCallHint(c: Context<AppEnv>, threadId: string): string | undefined {
  const call = c
    .get('world')
    .db.prepare<[string], { id: string }>(
      'SELECT id FROM calls WHERE thread_id = ? COLLATE NOCASE AND call_ended IS NULL'
    )
    .get(threadId)
  return call === undefined
    ? undefined
    : `This thread already has an active call: ${call.id}. Join it, or end it (POST .../calls/${call.id}/end) first.`
}

export function hints(operations: OperationTable): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next()
    const status = c.res.status
    let hint: string | undefined
    if (status === 401) {
      hint = tokensHint(c)
    } else if (status === 404 && !operations.all.some((op) => op.pattern.test(c.req.path))) {
      const closest = operations.closest(c.req.path)
      if (closest !== undefined && !c.req.path.startsWith('/mock/')) {
        hint = `No such route. The closest documented route is ${closest.method} ${closest.template}; /docs lists them all.`
      }
    } else if (status === 403 && c.req.method === 'POST') {
      const thread = START_CALL.exec(c.req.path)?.[1]
      hint = thread === undefined ? undefined : activeCallHint(c, thread)
    }
    if (hint !== undefined) {
      c.header(HINT_HEADER, ascii(hint))
    }
  }
}
