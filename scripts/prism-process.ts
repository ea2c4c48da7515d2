// Starts Prism 5.14 (the npm package's own binary) as a child process on a free port, waits until it
// answers, and stops it; used by `npm run mock:prism`, `npm run proxy`, tests and the benchmark.
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { dirname, join } from 'node:path'

export interface PrismOptions {
  mode: 'mock' | 'proxy'
  /** Path of the OpenAPI document. */
  spec: string
  host?: string
  /** 0 or absent: a free port. */
  port?: number
  /** Proxy mode: the backend to forward to. */
  upstream?: string
  /** --errors: requests and responses that violate the contract become errors. */
  errors?: boolean
  logLevel?: 'error' | 'warn' | 'info'
  dynamic?: boolean
  /** How long to wait for Prism to answer (default 30 s). */
  timeoutMs?: number
  /** Copy Prism's own log (requests, violations) to this process's stdout/stderr. */
  echo?: boolean
}

export interface RunningPrism {
  url: string
  port: number
  pid: number
  /** Milliseconds from spawning to the first answer. */
  readyMs: number
  /** Resolves with Prism's exit code (or 1 when a signal ended it) whenever it stops. */
  exited: Promise<number>
  stop(): Promise<void>
}

function prismBinary(): string {
  const require = createRequire(import.meta.url)
  const manifest = require.resolve('@stoplight/prism-cli/package.json')
  const pkg = require(manifest) as { bin: Record<string, string> }
  return join(dirname(manifest), pkg.bin['prism'] ?? 'dist/index.js')
}

/** A port nobody listens on now (the OS picks it). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, host, () => {
      const { port } = server.address() as AddressInfo
      server.close(() => {
        resolve(port)
      })
    })
  })
}

/** Whether something already listens on host:port. */
export function portTaken(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => {
      resolve(true)
    })
    server.listen(port, host, () => {
      server.close(() => {
        resolve(false)
      })
    })
  })
}

export async function startPrism(options: PrismOptions): Promise<RunningPrism> {
  const host = options.host ?? '127.0.0.1'
  const port = options.port !== undefined && options.port > 0 ? options.port : await freePort(host)
  const args = [prismBinary(), options.mode, options.spec]
  if (options.mode === 'proxy') {
    if (!options.upstream) {
      throw new Error('Prism proxy mode needs an upstream URL')
    }
    args.push(options.upstream)
  }
  args.push('--host', host, '--port', String(port))
  if (options.errors) {
    args.push('--errors')
  }
  if (options.dynamic) {
    args.push('--dynamic')
  }
  if (options.logLevel) {
    args.push('-v', options.logLevel)
  }
  const started = performance.now()
  // The IPC channel closes when this process dies, even by SIGKILL; Prism then exits too, so no
  // orphan is left listening. unref() keeps the channel from holding Prism's event loop open.
  const orphanGuard = "process.on('disconnect',()=>process.exit(0));process.channel?.unref()"
  const child = spawn(
    process.execPath,
    ['--import', `data:text/javascript,${encodeURIComponent(orphanGuard)}`, ...args],
    { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] }
  )
  const exited = new Promise<number>((resolve) => {
    child.once('exit', (code) => {
      resolve(code ?? 1)
    })
  })
  const kill = () => {
    child.kill('SIGKILL')
  }
  // Never leave a Prism behind when the parent goes away.
  process.once('exit', kill)
  let log = ''
  const remember = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000)
  }
  child.stdout?.on('data', (chunk: Buffer) => {
    remember(chunk)
    if (options.echo) {
      process.stdout.write(chunk)
    }
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    remember(chunk)
    if (options.echo) {
      process.stderr.write(chunk)
    }
  })
  const stop = () =>
    new Promise<void>((resolve) => {
      process.removeListener('exit', kill)
      if (child.exitCode !== null || child.signalCode !== null) {
        resolve()
        return
      }
      const force = setTimeout(kill, 3000)
      child.once('exit', () => {
        clearTimeout(force)
        resolve()
      })
      child.kill('SIGTERM')
    })
  const url = `http://${host}:${port}`
  const deadline = Date.now() + (options.timeoutMs ?? 30_000)
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `Prism exited (${String(child.exitCode ?? child.signalCode)}) before answering:\n${log}`
      )
    }
    try {
      // A CORS preflight: Prism answers it itself, so the proxy does not forward it upstream.
      await fetch(url, {
        method: 'OPTIONS',
        headers: { Origin: 'http://localhost', 'Access-Control-Request-Method': 'GET' },
        signal: AbortSignal.timeout(1000),
      })
      return {
        url,
        port,
        pid: child.pid ?? 0,
        readyMs: Math.round(performance.now() - started),
        exited,
        stop,
      }
    } catch {
      if (Date.now() > deadline) {
        await stop()
        throw new Error(`Prism did not answer on ${url} in time:\n${log}`)
      }
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
}
