// A proxy in front of a target that breaks its answers in one chosen way (a mutant), to prove the
// suite notices: each mutant must make the suite fail, at the step and JSON path it breaks.
import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Exchange {
  method: string
  path: string
  status: number
  body: unknown
}

export interface Mutant {
  name: string
  /** What the broken server does, in words (for the report). */
  description: string
  /** Does this mutant act on this request? */
  applies(method: string, path: string): boolean
  /**
   * The broken answer. `forward()` sends the request upstream; a mutant that skips it makes the
   * side effect not happen.
   */
  respond(request: {
    method: string
    path: string
    forward: () => Promise<Exchange>
  }): Promise<Exchange>
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of req) {
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

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

export async function startMutatingProxy(): Promise<RunningProxy> {
  let upstream = ''
  let mutant: Mutant | undefined
  let hits = 0
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const body = await readBody(req)
      const method = req.method ?? 'GET'
      const path = req.url ?? '/'
      const headers = new Headers()
      for (const [key, value] of Object.entries(req.headers)) {
        if (typeof value === 'string' && key !== 'host' && key !== 'content-length') {
          headers.set(key, value)
        }
      }
      const upstreamResponse = { headers: new Headers() }
      const forward = async (): Promise<Exchange> => {
        const answer = await fetch(`${upstream}${path}`, {
          method,
          headers,
          ...(body.length > 0 ? { body: new Uint8Array(body) } : {}),
        })
        upstreamResponse.headers = answer.headers
        const type = answer.headers.get('content-type') ?? ''
        const raw = Buffer.from(await answer.arrayBuffer())
        return {
          method,
          path,
          status: answer.status,
          body:
            type.includes('json') && raw.length > 0 ? (JSON.parse(raw.toString()) as unknown) : raw,
        }
      }
      let exchange: Exchange
      if (mutant?.applies(method, path)) {
        hits += 1
        exchange = await mutant.respond({ method, path, forward })
      } else {
        exchange = await forward()
      }
      const isJson = !Buffer.isBuffer(exchange.body)
      const type = isJson
        ? 'application/json'
        : (upstreamResponse.headers.get('content-type') ?? 'application/octet-stream')
      res.writeHead(exchange.status, { 'Content-Type': type })
      res.end(isJson ? JSON.stringify(exchange.body) : exchange.body)
    })().catch((error: unknown) => {
      res.writeHead(502, { 'Content-Type': 'text/plain' })
      res.end(String(error))
    })
  })
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve)
  })
  const { port } = server.address() as AddressInfo
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
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => {
          resolve()
        })
      }),
  }
}
