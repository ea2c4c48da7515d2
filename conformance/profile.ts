// Reads a target profile (--config FILE): the actors' credentials and the ids of the target's own
// pre-existing threads, for backends without the mock's control API.
import { readFileSync } from 'node:fs'
import type { BroadcastSettings, TargetProfile } from './scenario.ts'

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const isStringMap = (v: unknown): v is Record<string, string> =>
  isObj(v) && Object.values(v).every((x) => typeof x === 'string')

/** The socket settings' problems, each named with its key. */
function broadcastProblems(value: unknown): string[] {
  if (!isObj(value)) {
    return [
      '"broadcasts" must be the socket settings: { "key", "ws_host", "ws_port", "auth_endpoint" }',
    ]
  }
  const problems: string[] = []
  for (const key of ['key', 'ws_host', 'auth_endpoint'] as const) {
    if (typeof value[key] !== 'string' || value[key] === '') {
      problems.push(`broadcasts.${key} must be a non-empty string`)
    }
  }
  const port = value['ws_port']
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    problems.push('broadcasts.ws_port must be a port number')
  }
  if (value['force_tls'] !== undefined && typeof value['force_tls'] !== 'boolean') {
    problems.push('broadcasts.force_tls must be true or false')
  }
  for (const key of ['ws_path', 'cluster'] as const) {
    if (value[key] !== undefined && typeof value[key] !== 'string') {
      problems.push(`broadcasts.${key} must be a string`)
    }
  }
  const endpoint = value['auth_endpoint']
  if (typeof endpoint === 'string' && !endpoint.startsWith('/') && !URL.canParse(endpoint)) {
    problems.push('broadcasts.auth_endpoint must be an absolute URL or a path starting with /')
  }
  return problems
}

/** Validates the file's shape; every problem is named with its key. */
export function parseProfile(value: unknown): { profile: TargetProfile } | { error: string } {
  if (!isObj(value)) {
    return { error: 'the config must be a JSON object' }
  }
  const problems: string[] = []
  if (!isObj(value['actors']) || Object.keys(value['actors']).length === 0) {
    problems.push(
      '"actors" must name at least one actor: { "john": { "id": "<uuid>", "headers": {…} } }'
    )
  } else {
    for (const [name, actor] of Object.entries(value['actors'])) {
      if (!isObj(actor) || typeof actor['id'] !== 'string') {
        problems.push(`actors.${name}.id must be the user's id`)
      } else {
        if (actor['headers'] !== undefined && !isStringMap(actor['headers'])) {
          problems.push(`actors.${name}.headers must map header names to strings`)
        }
        if (actor['cookies'] !== undefined && !isStringMap(actor['cookies'])) {
          problems.push(`actors.${name}.cookies must map cookie names to strings`)
        }
      }
    }
  }
  if (value['ids'] !== undefined && !isStringMap(value['ids'])) {
    problems.push('"ids" must map names such as "threads.john_jairo" to ids')
  }
  if (
    value['capabilities'] !== undefined &&
    !(
      Array.isArray(value['capabilities']) &&
      value['capabilities'].every((c) => typeof c === 'string')
    )
  ) {
    problems.push('"capabilities" must be a list of names such as "default-world"')
  }
  if (
    value['public_url'] !== undefined &&
    (typeof value['public_url'] !== 'string' || !URL.canParse(value['public_url']))
  ) {
    problems.push('"public_url" must be an absolute URL')
  }
  if (value['broadcasts'] !== undefined) {
    problems.push(...broadcastProblems(value['broadcasts']))
  }
  if (problems.length > 0) {
    return { error: `invalid config: ${problems.join('; ')}` }
  }
  return {
    profile: {
      ...(typeof value['public_url'] === 'string'
        ? { public_url: value['public_url'].replace(/\/+$/, '') }
        : {}),
      actors: value['actors'] as TargetProfile['actors'],
      ids: (value['ids'] ?? {}) as Record<string, string>,
      capabilities: (value['capabilities'] ?? []) as string[],
      ...(value['broadcasts'] === undefined
        ? {}
        : { broadcasts: value['broadcasts'] as BroadcastSettings }),
    },
  }
}

export function readProfile(file: string): { profile: TargetProfile } | { error: string } {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return { error: `cannot read the config file ${file}` }
  }
  try {
    return parseProfile(JSON.parse(text))
  } catch (error) {
    return {
      error: `the config file ${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`,
    }
  }
}
