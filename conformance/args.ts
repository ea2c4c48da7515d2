// Parses the conformance CLI's arguments into typed options, or one clear error line. Besides the
// arguments it reads one variable of the environment it is given, MOCK_CONTROL_TOKEN (the default
// of --control-token); the CLI passes its own.
import { parseArgs } from 'node:util'
import type { Level } from './types.ts'
import { ID_SEPARATOR } from './types.ts'

export type ReporterName = 'console' | 'json' | 'junit'

export const REPORTERS: readonly ReporterName[] = ['console', 'json', 'junit']
export const LEVELS: readonly Level[] = ['full', 'schema', 'negative']

export interface CliOptions {
  help: false
  /** Without a trailing slash, so paths can be appended as they are documented. */
  baseUrl: string
  config?: string
  /** At least one, no duplicates, in the order given. */
  reporters: ReporterName[]
  output: string
  only?: string
  waitForSeconds: number
  level: Level
  /** Seed of the generated cases; random (and reported) when absent. */
  seed?: number
  /** At most this many generated cases. */
  maxCases?: number
  /** Print the case ids and exit, without running. */
  list: boolean
  /** Fail the run when fewer documented responses than this percentage were exercised. */
  minCoverage?: number
  /** A second target that plays the same steps; differences are reported per step. */
  compareWith?: string
  /** Where the mock's control API answers, when the base URL is a proxy in front of the mock. */
  controlUrl?: string
  /** The mock control API's token, sent as X-Mock-Token on every control request. */
  controlToken?: string
}

export interface HelpRequest {
  help: true
}

export interface ArgsError {
  error: string
}

export type ParsedArgs = CliOptions | HelpRequest | ArgsError

export const HELP = `Usage: messenger-conformance --base-url URL [options]

Replays the documented Messenger API request/response pairs, chained as scenarios,
against a running target (our mock, Prism, or a real backend) and reports every difference.

Options:
  --base-url URL        target to test, e.g. http://127.0.0.1:8000 (required)
  --config FILE         run configuration (actors, credentials, overrides)
  --reporter NAME       console, json or junit; repeat or comma-separate for several
                        (default: console)
  --output DIR          where the json and junit reports are written (default: reports)
  --only PATTERN        run only steps whose "<scenario> › <step>" contains PATTERN, or
                        matches it as a glob when it has a *; case-insensitive, ">" may
                        stand for "›"
  --wait-for SECONDS    wait up to SECONDS for the target to answer before starting
                        (default: 0, no waiting)
  --level LEVEL         full: the scenarios (status, content type, schema, documented
                        example) and the checks generated from the contract;
                        schema: the scenarios, status, content type and schema only;
                        negative: only the generated checks (default: full)
  --seed N              seed of the generated checks, to repeat a run (default: random,
                        printed in the summary)
  --max-cases N         run at most N generated checks, chosen by the seed from every kind
  --list                print every case's name (what --only matches) and exit
  --min-coverage PCT    fail when fewer than PCT % of the documented responses
                        (operation × status) were exercised
  --compare-with URL    play the same steps against a second target and fail each step
                        whose answers differ beyond generated values
  --control-url URL     the mock's control API, when --base-url is a proxy in front of it
                        (default: the base URL)
  --control-token T     the token of the mock's control API (X-Mock-Token), needed when
                        the mock listens on a non-loopback address (default: env
                        MOCK_CONTROL_TOKEN)
  -h, --help            show this help

Exit codes:
  0  every check passed
  1  a check failed, or no check ran
  2  the run could not proceed (unreachable target, credentials refused, nothing matched --only)
`

const OPTIONS = {
  'base-url': { type: 'string' },
  config: { type: 'string' },
  reporter: { type: 'string', multiple: true },
  output: { type: 'string' },
  only: { type: 'string' },
  'wait-for': { type: 'string' },
  level: { type: 'string' },
  seed: { type: 'string' },
  'max-cases': { type: 'string' },
  list: { type: 'boolean' },
  'min-coverage': { type: 'string' },
  'compare-with': { type: 'string' },
  'control-url': { type: 'string' },
  'control-token': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value)
}

/** node:util's messages are long and suggest "--" tricks; say what is wrong in a few words. */
function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  const code =
    typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : ''
  const quoted = /'([^']*)'/.exec(message)?.[1] ?? ''
  // Quoted as '--base-url <value>' or '-h, --help': the long name is the one users typed.
  const option = /--[\w-]+/.exec(quoted)?.[0] ?? quoted.split(' ')[0] ?? quoted
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${option}`
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${JSON.stringify(quoted)}`
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (message.includes('does not take an argument')) {
        return `option ${option} does not take a value`
      }
      // parseArgs will not take "-1" as the value of "--wait-for -1"; say how to pass one.
      return message.includes('ambiguous')
        ? `option ${option} needs a value (write ${option}=VALUE for one starting with "-")`
        : `option ${option} needs a value`
    default:
      return message.split('\n')[0] ?? message
  }
}

function parseBaseUrl(raw: string | undefined, flag = '--base-url'): string | ArgsError {
  if (raw === undefined || raw.trim() === '') {
    return { error: `missing ${flag} (e.g. ${flag} http://127.0.0.1:8000)` }
  }
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return { error: `${flag} is not a valid URL: ${JSON.stringify(raw)}` }
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { error: `${flag} must be http or https, got ${JSON.stringify(raw)}` }
  }
  if (url.search !== '' || url.hash !== '') {
    return { error: `${flag} must not have a query or fragment, got ${JSON.stringify(raw)}` }
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`
}

function parseCount(
  raw: string | undefined,
  flag: string,
  max = Number.MAX_SAFE_INTEGER
): number | undefined | ArgsError {
  if (raw === undefined) {
    return undefined
  }
  const value = Number(raw)
  if (!/^\s*\d+(\.\d+)?\s*$/.test(raw) || value > max) {
    return { error: `${flag} must be a number from 0 to ${max}, got ${JSON.stringify(raw)}` }
  }
  return value
}

function parseReporters(raw: readonly string[] | undefined): ReporterName[] | ArgsError {
  const names = (raw ?? ['console'])
    .flatMap((value) => value.split(','))
    .map((name) => name.trim())
    .filter((name) => name !== '')
  if (names.length === 0) {
    return { error: `--reporter needs a name: ${REPORTERS.join(', ')}` }
  }
  const reporters: ReporterName[] = []
  for (const name of names) {
    if (!isOneOf(REPORTERS, name)) {
      return {
        error: `unknown reporter ${JSON.stringify(name)} (expected ${REPORTERS.join(', ')})`,
      }
    }
    if (!reporters.includes(name)) {
      reporters.push(name)
    }
  }
  return reporters
}

function parseWaitFor(raw: string | undefined): number | ArgsError {
  if (raw === undefined) {
    return 0
  }
  const seconds = Number(raw)
  if (!/^\s*\d+(\.\d+)?\s*$/.test(raw) || !Number.isFinite(seconds)) {
    return { error: `--wait-for must be a number of seconds ≥ 0, got ${JSON.stringify(raw)}` }
  }
  return seconds
}

function parse(argv: string[]) {
  return parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }).values
}

export function parseCliArgs(
  argv: string[],
  env: Readonly<Record<string, string | undefined>> = {}
): ParsedArgs {
  let values: ReturnType<typeof parse>
  try {
    values = parse(argv)
  } catch (error) {
    return { error: describeParseError(error) }
  }
  if (values.help === true) {
    return { help: true }
  }
  // --list runs nothing, so it needs no target.
  const baseUrl =
    values.list === true && values['base-url'] === undefined ? '' : parseBaseUrl(values['base-url'])
  if (typeof baseUrl !== 'string') {
    return baseUrl
  }
  const reporters = parseReporters(values.reporter)
  if (!Array.isArray(reporters)) {
    return reporters
  }
  const waitForSeconds = parseWaitFor(values['wait-for'])
  if (typeof waitForSeconds !== 'number') {
    return waitForSeconds
  }
  const level = values.level ?? 'full'
  if (!isOneOf(LEVELS, level)) {
    return { error: `--level must be one of ${LEVELS.join(', ')}, got ${JSON.stringify(level)}` }
  }
  const seed = parseCount(values.seed, '--seed', 2 ** 32 - 1)
  const maxCases = parseCount(values['max-cases'], '--max-cases')
  const minCoverage = parseCount(values['min-coverage'], '--min-coverage', 100)
  for (const parsed of [seed, maxCases, minCoverage]) {
    if (typeof parsed === 'object') {
      return parsed
    }
  }
  if (
    (typeof seed === 'number' && !Number.isInteger(seed)) ||
    (typeof maxCases === 'number' && !Number.isInteger(maxCases))
  ) {
    return { error: '--seed and --max-cases must be whole numbers' }
  }
  const urls: Partial<Record<'compareWith' | 'controlUrl', string>> = {}
  for (const [flag, key] of [
    ['compare-with', 'compareWith'],
    ['control-url', 'controlUrl'],
  ] as const) {
    if (values[flag] !== undefined) {
      const url = parseBaseUrl(values[flag], `--${flag}`)
      if (typeof url !== 'string') {
        return url
      }
      urls[key] = url
    }
  }
  for (const name of ['config', 'output', 'only', 'control-token'] as const) {
    if (values[name]?.trim() === '') {
      return { error: `--${name} needs a non-empty value` }
    }
  }
  const controlToken = values['control-token'] ?? env['MOCK_CONTROL_TOKEN']
  const options: CliOptions = {
    help: false,
    baseUrl,
    reporters,
    output: values.output ?? 'reports',
    waitForSeconds,
    level,
    list: values.list === true,
    ...urls,
  }
  if (typeof seed === 'number') {
    options.seed = seed
  }
  if (typeof maxCases === 'number') {
    options.maxCases = maxCases
  }
  if (typeof minCoverage === 'number') {
    options.minCoverage = minCoverage
  }
  if (values.config !== undefined) {
    options.config = values.config
  }
  if (values.only !== undefined) {
    options.only = values.only
  }
  // An empty MOCK_CONTROL_TOKEN is the same as none.
  if (controlToken !== undefined && controlToken !== '') {
    options.controlToken = controlToken
  }
  return options
}

/** "›" is hard to type; ">" in a pattern stands for it, and spacing around it does not matter. */
function normalise(text: string): string {
  return text.toLowerCase().replace(/\s*[›>]\s*/g, ' > ')
}

/**
 * The --only filter: a plain pattern is a substring of "<scenario> › <step>" (which holds the
 * scenario name too); a pattern with * is a glob over that id or over the scenario name alone.
 */
export function compileOnly(pattern: string): (scenario: string, step: string) => boolean {
  const wanted = normalise(pattern.trim())
  if (!wanted.includes('*')) {
    return (scenario, step) => normalise(`${scenario}${ID_SEPARATOR}${step}`).includes(wanted)
  }
  const source = wanted
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*')
  const glob = new RegExp(`^${source}$`, 's')
  return (scenario, step) =>
    glob.test(normalise(`${scenario}${ID_SEPARATOR}${step}`)) || glob.test(normalise(scenario))
}
