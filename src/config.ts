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
  /** Requests kept in each sandbox's journal (GET /mock/requests). */
  readonly journalLimit: number
  /** The largest request body accepted, in bytes (413 beyond). */
  readonly maxBodyBytes: number
  /** The most sandboxes that may exist at once (503 for a new one beyond). */
  readonly maxSandboxes: number
  /** How long a sandbox lives without requests, in ms. */
  readonly sandboxTtlMs: number
  /** Origins allowed to use the control API from a browser, besides pages on this machine. */
  readonly allowOrigins: readonly string[]
  /** The control API's token; when unset on a non-loopback host, main makes a random one. */
  readonly controlToken: string | undefined
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
  --journal-limit N requests kept in each sandbox's journal, GET /mock/requests
                    (env MOCK_JOURNAL_LIMIT; default 1000)
  --max-body-kb N   largest request body accepted, in KB; larger ones get a 413
                    (env MOCK_MAX_BODY_KB; default 8192, PHP's post_max_size)
  --max-sandboxes N most sandboxes at once; a new name beyond gets a 503
                    (env MOCK_MAX_SANDBOXES; default 1000)
  --sandbox-ttl-minutes N
                    a sandbox without requests for this long expires
                    (env MOCK_SANDBOX_TTL_MINUTES; default 60)
  --allow-origin URL
                    a web origin that may use the control API (/mock/*) besides pages
                    on this machine; repeatable (env MOCK_ALLOW_ORIGINS, comma-separated)
  --control-token T token the control API requires in X-Mock-Token (env MOCK_CONTROL_TOKEN;
                    default: none on a loopback host, a random one printed at start otherwise)
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

function wholeNumber(value: string): number | undefined {
  return /^\d{1,9}$/.test(value) ? Number(value) : undefined
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
        'journal-limit': { type: 'string' },
        'max-body-kb': { type: 'string' },
        'max-sandboxes': { type: 'string' },
        'sandbox-ttl-minutes': { type: 'string' },
        'allow-origin': { type: 'string', multiple: true },
        'control-token': { type: 'string' },
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
  const maxBodyText = parsed['max-body-kb'] ?? env['MOCK_MAX_BODY_KB'] ?? '8192'
  const maxBodyKb = wholeNumber(maxBodyText)
  if (maxBodyKb === undefined || maxBodyKb < 1) {
    return {
      error: `--max-body-kb must be a whole number of kilobytes (1 or more), not "${maxBodyText}".`,
    }
  }
  const maxSandboxesText = parsed['max-sandboxes'] ?? env['MOCK_MAX_SANDBOXES'] ?? '1000'
  const maxSandboxes = wholeNumber(maxSandboxesText)
  if (maxSandboxes === undefined || maxSandboxes < 1) {
    return {
      error: `--max-sandboxes must be a whole number (1 or more), not "${maxSandboxesText}".`,
    }
  }
  const ttlText = parsed['sandbox-ttl-minutes'] ?? env['MOCK_SANDBOX_TTL_MINUTES'] ?? '60'
  const ttlMinutes = wholeNumber(ttlText)
  if (ttlMinutes === undefined || ttlMinutes < 1) {
    return {
      error: `--sandbox-ttl-minutes must be a whole number of minutes (1 or more), not "${ttlText}".`,
    }
  }
  const allowOrigins =
    parsed['allow-origin'] ??
    (env['MOCK_ALLOW_ORIGINS'] ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter((o) => o !== '')
  const badOrigin = allowOrigins.find(
    (o) => !URL.canParse(o) || new URL(o).origin !== o.replace(/\/+$/, '')
  )
  if (badOrigin !== undefined) {
    return {
      error: `--allow-origin must be an origin such as https://app.example:3000, not "${badOrigin}".`,
    }
  }
  const controlToken = parsed['control-token'] ?? env['MOCK_CONTROL_TOKEN']
  if (controlToken !== undefined && !/^[\x21-\x7e]{8,}$/.test(controlToken)) {
    return { error: '--control-token must be at least 8 printable characters without spaces.' }
  }
  const publicUrl = parsed['public-url'] ?? env['MOCK_PUBLIC_URL']
  if (publicUrl !== undefined && !URL.canParse(publicUrl)) {
    return { error: `--public-url must be an absolute URL, not "${publicUrl}".` }
  }
  const journalText = parsed['journal-limit'] ?? env['MOCK_JOURNAL_LIMIT'] ?? '1000'
  const journalLimit = Number(journalText)
  if (!/^\d+$/.test(journalText) || journalLimit < 1 || journalLimit > 100_000) {
    return {
      error: `--journal-limit must be a whole number from 1 to 100000, not "${journalText}".`,
    }
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
      journalLimit,
      maxBodyBytes: maxBodyKb * 1024,
      maxSandboxes,
      sandboxTtlMs: ttlMinutes * 60_000,
      allowOrigins,
      controlToken,
      pusher: { key, secret },
    },
  }
}
