// The Messenger operations the app declares (method, path template, operationId), read from its
// zod-openapi registry, which the drift test keeps equal to the contract. Used to name the
// operation of a journaled request, to match rules by template or operationId, and to point a
// lost request at the closest documented route.
import type { OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../http/env.ts'
import { pathMemo } from '../http/path-memo.ts'

export interface Operation {
  readonly operationId: string
  /** Upper case, as sent on the wire. */
  readonly method: string
  /** The contract's template: `/api/messenger/threads/{thread}/calls`. */
  readonly template: string
  readonly pattern: RegExp
}

export interface OperationTable {
  readonly all: readonly Operation[]
  /** The operation a request is routed to; GET operations answer HEAD too. */
  find(method: string, path: string): Operation | undefined
  byId(operationId: string): Operation | undefined
  /** Whether a path is a concrete instance of a template (`{thread}` matches one segment). */
  readonly matchesTemplate: (template: string, path: string) => boolean
  /** The documented route whose template is closest to `path` (for hints on unknown routes). */
  closest(path: string): Operation | undefined
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** `/a/{b}/c` → /^\/a\/[^/]+\/c\/?$/ (Laravel ignores one trailing slash). */
export function templatePattern(template: string): RegExp {
  const source = template
    .split('/')
    .map((part) => (/^\{[^}]+\}$/.test(part) ? '[^/]+' : escapeRegExp(part)))
    .join('/')
  return new RegExp(`^${source}/?$`)
}

/** Levenshtein distance over any items, with a custom substitution cost. */
function editDistance<T>(
  a: readonly T[],
  b: readonly T[],
  indel: number,
  substitute: (x: T, y: T) => number
): number {
  let prev = [0, ...b.map((_, j) => (j + 1) * indel)]
  a.forEach((x, i) => {
    const row = [(i + 1) * indel]
    b.forEach((y, j) => {
      row.push(
        Math.min(
          (prev[j + 1] ?? 0) + indel,
          (row[j] ?? 0) + indel,
          (prev[j] ?? 0) + substitute(x, y)
        )
      )
    })
    prev = row
  })
  return prev[b.length] ?? 0
}

// Segment-wise: a parameter segment matches any value, a differing literal segment costs its
// character distance (so `/active-call` is close to `/active-calls`), capped at a whole segment.
const SEGMENT = 8
function distance(template: string, path: string): number {
  return editDistance(
    template.split('/').filter(Boolean),
    path.split('/').filter(Boolean),
    SEGMENT,
    (x, y) =>
      x.startsWith('{')
        ? 0
        : Math.min(
            SEGMENT,
            editDistance(Array.from(x), Array.from(y), 1, (p, q) => (p === q ? 0 : 1))
          )
  )
}

/** The table of the app's Messenger operations (everything outside `/mock/`). */
export function operationTable(app: OpenAPIHono<AppEnv>): OperationTable {
  let all: Operation[] | undefined
  // Built on first use: the routes are registered after the middleware that reads the table.
  const operations = (): Operation[] => {
    all ??= app.openAPIRegistry.definitions.flatMap((definition) => {
      if (definition.type !== 'route' || definition.route.path.startsWith('/mock/')) {
        return []
      }
      const { method, path, operationId } = definition.route
      if (operationId === undefined) {
        return []
      }
      return [
        {
          operationId,
          method: method.toUpperCase(),
          template: path,
          pattern: templatePattern(path),
        },
      ]
    })
    return all
  }
  // Kept per method and path: the journal and the controls both ask, for every request.
  const found = pathMemo((method, path) => {
    const wanted = method === 'HEAD' ? 'GET' : method
    return operations().find((op) => op.method === wanted && op.pattern.test(path))
  })
  return {
    get all() {
      return operations()
    },
    find: (method, path) => found.get(method, path),
    byId: (operationId) => operations().find((op) => op.operationId === operationId),
    matchesTemplate: (template, path) => templatePattern(template).test(path),
    closest(path) {
      let best: Operation | undefined
      let bestScore = Number.POSITIVE_INFINITY
      for (const op of operations()) {
        const score = distance(op.template, path)
        if (score < bestScore) {
          best = op
          bestScore = score
        }
      }
      return best
    },
  }
}
