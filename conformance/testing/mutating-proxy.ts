// A proxy in front of a target that breaks its answers in one chosen way (a mutant), to prove the
// suite notices: each mutant must make the suite fail, at the step and JSON path it breaks.
import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Exchange {
  method: string
  path: string
  status: number
  body: unknown
  /** The answer's headers (lower-case names), as the upstream sent them unless the mutant changes them. */
  headers?: Record<string, string>
}

export interface IncomingRequest {
  method: string
  path: string
  /** Lower-case names. */
  headers: Record<string, string>
  body: Buffer
}

/** What may differ in the request sent upstream. */
export interface ForwardChanges {
  path?: string
  headers?: Record<string, string>
  body?: Buffer
}

export interface Mutant {
  name: string
  /** What the broken server does, in words (for the report). */
  description: string
  /** Does this mutant act on this request? */
  applies(request: IncomingRequest): boolean
  /**
   * The broken answer. `forward()` sends the request upstream (changed as asked); a mutant that
   * skips it makes the side effect not happen.
   */
  respond(
    request: IncomingRequest & { forward: (changes?: ForwardChanges) => Promise<Exchange> }
  ): Promise<Exchange>
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of req) {
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

/** Headers that describe the connection or the encoding of the upstream's bytes, not the answer. */
const HOP_HEADERS = new Set([
  'connection',
  'content-length',
  'content-encoding',
  'transfer-encoding',
  'keep-alive',
  'date',
  'content-type',
])

export interface RunningProxy {
  url: string
  /** Where requests go; set once the target runs (it needs the proxy's URL for its links). */
  setUpstream(url: string): void
  /** Sets the mutant (or none for a faithful proxy). */
  use(mutant: Mutant | undefined): void
  /** How many answers the current mutant changed since it was set. */
  hits(): number
  close(): Promise<void>
}

/** Listens on a free loopback port; `close` ends every open connection, then the server. */
export async function listenLocally(
  server: Server
): Promise<{ port: number; close: () => Promise<void> }> {
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve)
  })
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => {
          resolve()
        })
      }),
  }
}

export async function startMutatingProxy(): Promise<RunningProxy> {
  let upstream = ''
  let mutant: Mutant | undefined
  let hits = 0
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const request: IncomingRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: {},
        body: await readBody(req),
      }
      for (const [key, value] of Object.entries(req.headers)) {
        if (typeof value === 'string' && key !== 'host' && key !== 'content-length') {
          request.headers[key] = value
        }
      }
      let upstreamType = ''
      const forward = async (changes: ForwardChanges = {}): Promise<Exchange> => {
        const path = changes.path ?? request.path
        const body = changes.body ?? request.body
        const answer = await fetch(`${upstream}${path}`, {
          method: request.method,
          headers: changes.headers ?? request.headers,
          ...(body.length > 0 ? { body: new Uint8Array(body) } : {}),
        })
        upstreamType = answer.headers.get('content-type') ?? ''
        const headers: Record<string, string> = {}
        answer.headers.forEach((value, key) => {
          if (!HOP_HEADERS.has(key)) {
            headers[key] = value
          }
        })
        const raw = Buffer.from(await answer.arrayBuffer())
        return {
          method: request.method,
          path,
          status: answer.status,
          headers,
          body:
            upstreamType.includes('json') && raw.length > 0
              ? (JSON.parse(raw.toString()) as unknown)
              : raw,
        }
      }
      let exchange: Exchange
      if (mutant?.applies(request)) {
        hits += 1
        exchange = await mutant.respond({ ...request, forward })
      } else {
        exchange = await forward()
      }
      const isJson = !Buffer.isBuffer(exchange.body)
      const type = isJson ? 'application/json' : upstreamType || 'application/octet-stream'
      res.writeHead(exchange.status, { ...exchange.headers, 'Content-Type': type })
      res.end(isJson ? JSON.stringify(exchange.body) : exchange.body)
    })().catch((error: unknown) => {
      res.writeHead(502, { 'Content-Type': 'text/plain' })
      res.end(String(error))
    })
  })
  const { port, close } = await listenLocally(server)
  return {
    url: `http://127.0.0.1:${port}`,
    setUpstream(url) {
      upstream = url
    },
    use(next) {
      mutant = next
      hits = 0
    },
    hits: () => hits,
    close,
  }
}
