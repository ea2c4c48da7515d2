// One load cell in a process of its own: autocannon, given its plan as JSON on stdin, prints its
// result as JSON on stdout. Run apart from the bench's own process so that the load generator has
// a core of its own event loop, as autocannon's CLI would: run in the bench's process (beside the
// servers' spawning and bookkeeping) and with a callback building every request, it topped out at
// about 3,500 req/s against the bare server, a tenth of what that server answers, and every ratio
// against the ceiling was fiction.
import autocannon from 'autocannon'

export interface LoadPlan {
  url: string
  connections: number
  /** A duration in seconds, or (with `paths`) one request per path. */
  seconds: number
  headers: Record<string, string>
  /** Requests each connection sends in turn; static, so autocannon builds each buffer once. */
  requests: { method: string; path: string; body?: string; headers: Record<string, string> }[]
  /** Per-connection Authorization tokens (join/leave: one user per connection). */
  tokens?: string[]
  /** One request per path, in order (start: a new thread each). Replaces `requests[0].path`. */
  paths?: string[]
}

export interface LoadResult {
  requests: number
  duration: number
  p50: number
  p99: number
  non2xx: number
  errors: number
}

import { readFileSync } from 'node:fs'

const plan = JSON.parse(readFileSync(0, 'utf8')) as LoadPlan
let connection = 0
let next = 0
const { paths, tokens } = plan
const build = (headers: Record<string, string>): autocannon.Request[] =>
  plan.requests.map((request) => ({
    method: request.method as autocannon.Request['method'],
    path: request.path,
    headers: { ...headers, ...request.headers },
    ...(request.body === undefined ? {} : { body: request.body }),
    // Only a per-request path needs a callback (it makes autocannon rebuild each request).
    ...(paths
      ? {
          setupRequest: (built: autocannon.Request) => ({ ...built, path: paths[next++] ?? '/' }),
        }
      : {}),
  }))
const result = await autocannon({
  url: plan.url,
  connections: plan.connections,
  ...(paths ? { amount: paths.length } : { duration: plan.seconds }),
  headers: plan.headers,
  // Each connection its own user: its own copy of the requests, built once, with its token.
  ...(tokens
    ? {
        setupClient: (client: autocannon.Client) => {
          const token = tokens[connection++ % tokens.length] ?? ''
          client.setRequests(build({ ...plan.headers, Authorization: `Bearer ${token}` }))
        },
      }
    : {}),
  requests: build(plan.headers),
})
const out: LoadResult = {
  requests: result.requests.total,
  duration: result.duration,
  p50: result.latency.p50,
  p99: result.latency.p99,
  non2xx: result.non2xx,
  errors: result.errors + result.timeouts,
}
process.stdout.write(JSON.stringify(out))
