// `npm run mock:prism -- [--port N] [--host H] [--dynamic]` serves the contract with Prism;
// `npm run proxy -- --upstream URL [--port N]` runs Prism's validation proxy (errors on) in front
// of a backend.
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { portTaken, startPrism } from './prism-process.ts'

const SPEC = fileURLToPath(new URL('../openapi/openapi.yaml', import.meta.url))

function fail(message: string): never {
  console.error(`prism: ${message}`)
  process.exit(2)
}

const [mode, ...rest] = process.argv.slice(2)
if (mode !== 'mock' && mode !== 'proxy') {
  fail('the first argument must be "mock" or "proxy"')
}
let values
try {
  values = parseArgs({
    args: rest,
    options: {
      port: { type: 'string', default: '4010' },
      host: { type: 'string', default: '127.0.0.1' },
      upstream: { type: 'string' },
      dynamic: { type: 'boolean', default: false },
    },
  }).values
} catch (error) {
  fail(error instanceof Error ? error.message : String(error))
}
const port = Number(values.port)
if (!/^\d+$/.test(values.port) || port < 1 || port > 65535) {
  fail(`--port must be a whole number from 1 to 65535, not "${values.port}"`)
}
if (mode === 'proxy' && (values.upstream === undefined || !URL.canParse(values.upstream))) {
  fail(
    'proxy mode needs --upstream URL (the backend to check), e.g. --upstream http://127.0.0.1:8000'
  )
}
if (await portTaken(port, values.host)) {
  fail(`port ${port} on ${values.host} is already in use; pick another with --port`)
}
const prism = await startPrism({
  mode,
  spec: SPEC,
  host: values.host,
  port,
  ...(values.upstream === undefined ? {} : { upstream: values.upstream }),
  errors: mode === 'proxy',
  dynamic: values.dynamic,
  logLevel: 'info',
  echo: true,
})
console.log(
  mode === 'mock'
    ? `Prism serves openapi/openapi.yaml on ${prism.url} (ready in ${prism.readyMs} ms)`
    : `Prism's validation proxy for ${values.upstream ?? ''} on ${prism.url} (ready in ${prism.readyMs} ms)`
)
const state = { stopping: false }
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    state.stopping = true
    void prism.stop().then(() => process.exit(0))
  })
}
const code = await prism.exited
if (!state.stopping) {
  console.error(`prism: Prism stopped unexpectedly (exit code ${code})`)
  process.exit(code === 0 ? 1 : code)
}
