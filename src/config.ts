// The mock's configuration from command-line flags and the environment; the only module that reads
// process.env.
import { parseArgs } from 'node:util'

export interface Config {
  readonly port: number
  readonly host: string
  /** A database file path, or ':memory:' for a throw-away world. */
  readonly db: string
  /** Restore the default world at start-up. */
  readonly reset: boolean
  /** The base of absolute links (invite routes, search pages); the request's origin when unset. */
  readonly publicUrl: string | undefined
  /** One log line per request. */
  readonly log: boolean
  /** The Pusher app key (socket path /app/{key}) and secret (channel signatures). */
  readonly pusher: { readonly key: string; readonly secret: string }
}

export const HELP = `Usage: npm start -- [options]

Starts the Messenger mock server on its default world.

Options:
  --port N          port to listen on (env PORT; default 8000)
  --host H          address to bind (env HOST; default 127.0.0.1)
  --db FILE         database file, or :memory: for a throw-away world
                    (env MOCK_DB; default data/messenger-mock.db)
  --reset           restore the default world at start-up
  --public-url URL  base of absolute links such as invite routes (env MOCK_PUBLIC_URL;
                    default: the origin each request was sent to)
  --quiet           no log line per request (env MOCK_QUIET=1)
  --pusher-key K    app key of the real-time socket, ws://HOST:PORT/app/K (env PUSHER_APP_KEY;
                    default messenger-mock)
  --pusher-secret S secret that signs channel authorisations (env PUSHER_APP_SECRET;
                    default messenger-mock-secret)
  --help            show this text`

/** An app key travels in the socket's URL path. */
const APP_KEY = /^[A-Za-z0-9._-]{1,64}$/

export type ConfigResult = { config: Config } | { help: true } | { error: string }

function parsePort(value: string): number | undefined {
  const port = Number(value)
  return /^\d+$/.test(value) && port >= 0 && port <= 65535 ? port : undefined
}

/** Reads flags first, then the environment, then the defaults. */
export function readConfig(argv: readonly string[], env = process.env): ConfigResult {
  let parsed
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        db: { type: 'string' },
        reset: { type: 'boolean', default: false },
        'public-url': { type: 'string' },
        quiet: { type: 'boolean', default: false },
        'pusher-key': { type: 'string' },
        'pusher-secret': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) }
  }
  if (parsed.help) {
    return { help: true }
  }
  const portText = parsed.port ?? env['PORT'] ?? '8000'
  const port = parsePort(portText)
  if (port === undefined) {
    return { error: `--port must be a whole number from 0 to 65535, not "${portText}".` }
  }
  const publicUrl = parsed['public-url'] ?? env['MOCK_PUBLIC_URL']
  if (publicUrl !== undefined && !URL.canParse(publicUrl)) {
    return { error: `--public-url must be an absolute URL, not "${publicUrl}".` }
  }
  const key = parsed['pusher-key'] ?? env['PUSHER_APP_KEY'] ?? 'messenger-mock'
  if (!APP_KEY.test(key)) {
    return {
      error: `--pusher-key must be 1 to 64 letters, digits, dots, underscores or hyphens, not "${key}".`,
    }
  }
  const secret = parsed['pusher-secret'] ?? env['PUSHER_APP_SECRET'] ?? 'messenger-mock-secret'
  if (secret === '') {
    return { error: '--pusher-secret must not be empty.' }
  }
  return {
    config: {
      port,
      host: parsed.host ?? env['HOST'] ?? '127.0.0.1',
      db: parsed.db ?? env['MOCK_DB'] ?? 'data/messenger-mock.db',
      reset: parsed.reset,
      publicUrl: publicUrl?.replace(/\/+$/, ''),
      log: !(parsed.quiet || env['MOCK_QUIET'] === '1'),
      pusher: { key, secret },
    },
  }
}
