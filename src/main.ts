// The mock server's process: configuration, the worlds, the HTTP server, signals. The only module
// that opens ports or handles signals.
import { randomBytes } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { serve } from '@hono/node-server'
import { createApp } from './app.ts'
import { HELP, readConfig } from './config.ts'
import { startCheckpointer, type Checkpointer } from './db/checkpointer.ts'
import { CONTROL_TOKEN_HEADER, isLoopbackHost } from './http/control-access.ts'
import { batchedLog } from './http/request-log.ts'
import { onFirstWrite } from './on-first-write.ts'
import { createRealtime } from './realtime/realtime.ts'
import { readDefaultWorld } from './world/default-world.ts'
import { createWorlds } from './world/worlds.ts'

const started = performance.now()
const result = readConfig(process.argv.slice(2))
if ('help' in result) {
  console.log(HELP)
  process.exit(0)
}
if ('error' in result) {
  console.error(`messenger-mock: ${result.error}\n\n${HELP}`)
  process.exit(2)
}
const { config } = result

if (config.db !== ':memory:') {
  mkdirSync(dirname(config.db), { recursive: true })
}
const worlds = createWorlds({
  file: config.db,
  defaultWorld: readDefaultWorld,
  maxSandboxes: config.maxSandboxes,
  sandboxTtlMs: config.sandboxTtlMs,
})
if (config.reset) {
  worlds.resetMain()
}
// A file world's WAL is checkpointed off the main thread (see src/db/checkpointer.ts), from the
// first request that may write: the thread costs tens of ms of CPU and MBs of memory that a run
// which only reads never needs, and until it starts SQLite checkpoints by itself as by default.
let checkpointer: Checkpointer | undefined
const startCheckpoints = () => {
  checkpointer ??= startCheckpointer(config.db, worlds.main().db, (error) => {
    console.error(
      `messenger-mock: the WAL checkpoint thread failed (${error.message}); checkpointing on the main thread instead.`
    )
  })
}
// Off this machine's loopback the control API is reachable from the network: it needs a token.
const loopback = isLoopbackHost(config.host)
const controlToken = config.controlToken ?? (loopback ? undefined : randomBytes(16).toString('hex'))
const log = config.log ? batchedLog(process.stdout.fd) : undefined
const realtime = createRealtime(config.pusher)
const app = createApp({
  worlds,
  realtime,
  publicUrl: config.publicUrl,
  journalLimit: config.journalLimit,
  maxBodyBytes: config.maxBodyBytes,
  control: { origins: config.allowOrigins, token: controlToken },
  log: log?.write,
})

const fetch = config.db === ':memory:' ? app.fetch : onFirstWrite(app.fetch, startCheckpoints)
const server = serve({ fetch, port: config.port, hostname: config.host }, (info) => {
  const host = config.host
  const base = `http://${host.includes(':') ? `[${host}]` : host}:${info.port}`
  const ms = Math.round(performance.now() - started)
  console.log(`Messenger mock listening on ${base} (ready in ${ms} ms)`)
  if (!loopback) {
    console.log(
      `  network: ${host} is not a loopback address: other machines can reach this mock. The control API (/mock/*) needs the header ${CONTROL_TOKEN_HEADER}: ${controlToken ?? ''}`
    )
  } else if (controlToken !== undefined) {
    console.log(`  control: the control API (/mock/*) needs the header ${CONTROL_TOKEN_HEADER}`)
  }
  console.log(`  world:   ${config.db === ':memory:' ? 'in memory (throw-away)' : config.db}`)
  console.log(`  docs:    ${base}/docs   spec: ${base}/openapi.yaml`)
  console.log(`  tokens:  john (John Doe), jane (Jane Doe), jairo (Jairo O'Kon I)`)
  console.log(`  try:     curl -H 'Authorization: Bearer john' ${base}/api/messenger/settings`)
  // A wildcard address is not one a browser can dial: this machine's pages use localhost.
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host
  const wsHost = shown.includes(':') ? `[${shown}]` : shown
  console.log(
    `  echo:    { broadcaster: 'pusher', key: '${config.pusher.key}', cluster: 'mt1', wsHost: '${wsHost}', wsPort: ${info.port}, forceTLS: false, enabledTransports: ['ws'], authEndpoint: '${base}/messenger/broadcasting/auth' }`
  )
  console.log(`           sandbox: add wsPath: '/sandboxes/<name>'   events: ${base}/asyncapi.yaml`)
})
realtime.attach(server)

server.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EADDRINUSE') {
    console.error(
      `messenger-mock: port ${config.port} on ${config.host} is already in use. Stop the other server or pick another port: npm start -- --port 8001`
    )
  } else {
    console.error(`messenger-mock: ${error.message}`)
  }
  worlds.close()
  log?.flush()
  process.exit(1)
})

let stopping = false
function shutdown(signal: string) {
  if (stopping) {
    return
  }
  stopping = true
  console.log(`\n${signal}: closing connections…`)
  realtime.close()
  const exit = () => {
    void (checkpointer?.stop() ?? Promise.resolve()).finally(() => {
      worlds.close()
      log?.flush()
      process.exit(0)
    })
  }
  server.close(exit)
  // Keep-alive connections can hold close() open; don't wait for them forever.
  setTimeout(exit, 3000).unref()
}
process.on('SIGINT', () => {
  shutdown('SIGINT')
})
process.on('SIGTERM', () => {
  shutdown('SIGTERM')
})
