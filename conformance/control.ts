// What the runner asks a target before and around the steps: is it reachable, does it offer the
// mock's control API (sandboxes, worlds, clock), do its credentials work.
import type { TargetProfile } from './scenario.ts'

export const SANDBOX_HEADER = 'X-Mock-Sandbox'
/** The header that carries the control API's token (a mock on a non-loopback address needs it). */
export const CONTROL_TOKEN_HEADER = 'X-Mock-Token'

/** Where the mock's control API answers, and the token it requires (--control-token), if any. */
export interface ControlApi {
  url: string
  token?: string | undefined
}

const controlHeaders = (api: ControlApi): Record<string, string> =>
  api.token === undefined ? {} : { [CONTROL_TOKEN_HEADER]: api.token }

/** What to do when the control API refuses the runner for lack of (the right) token. */
function tokenAdvice(api: ControlApi, status: number): string {
  return api.token === undefined
    ? `the mock's control API at ${api.url} answered ${status}: it needs its token. Pass --control-token TOKEN (or set MOCK_CONTROL_TOKEN) with the token the mock printed at start or was started with (its own --control-token / MOCK_CONTROL_TOKEN)`
    : `the mock's control API at ${api.url} answered ${status} to the token given with --control-token (or MOCK_CONTROL_TOKEN): pass the token the mock printed at start or was started with`
}

export const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms)
  })

/** Polls until the target answers anything, or the time is up. */
export async function reach(baseUrl: string, waitForSeconds: number): Promise<string | undefined> {
  const deadline = Date.now() + waitForSeconds * 1000
  let last: string
  do {
    try {
      await fetch(`${baseUrl}/`, { signal: AbortSignal.timeout(2000), redirect: 'manual' })
      return undefined
    } catch (error) {
      const cause =
        error instanceof Error ? (error as Error & { cause?: unknown }).cause : undefined
      last = cause instanceof Error ? cause.message : String(error)
    }
    if (Date.now() < deadline) {
      await sleep(250)
    }
  } while (Date.now() < deadline)
  return `cannot reach ${baseUrl}: ${last}${waitForSeconds > 0 ? ` (waited ${waitForSeconds} s)` : ''}`
}

export async function hasControlApi(controlUrl: string): Promise<boolean> {
  try {
    const res = await fetch(`${controlUrl}/mock/health`, { signal: AbortSignal.timeout(5000) })
    const body = (await res.json()) as { status?: unknown }
    return res.status === 200 && body.status === 'ok'
  } catch {
    return false
  }
}

/** The headers that log an actor in (its headers, and its cookies as one Cookie header). */
export function actorHeaders(
  profile: TargetProfile,
  actor: string | undefined
): Record<string, string> {
  if (actor === undefined) {
    return {}
  }
  const entry = profile.actors[actor]
  const headers: Record<string, string> = { ...(entry?.headers ?? {}) }
  const cookies = Object.entries(entry?.cookies ?? {})
  if (cookies.length > 0) {
    headers['Cookie'] = cookies.map(([k, v]) => `${k}=${v}`).join('; ')
  }
  return headers
}

/** Every actor must be able to log in; if none can, the run cannot say anything useful. */
export async function checkCredentials(
  baseUrl: string,
  profile: TargetProfile
): Promise<string | undefined> {
  const refused: string[] = []
  const actors = Object.keys(profile.actors)
  for (const actor of actors) {
    try {
      const res = await fetch(`${baseUrl}/api/messenger`, {
        headers: { Accept: 'application/json', ...actorHeaders(profile, actor) },
        signal: AbortSignal.timeout(5000),
      })
      await res.body?.cancel()
      if (res.status === 401) {
        refused.push(actor)
      }
    } catch {
      return undefined // unreachable is reported elsewhere
    }
  }
  return actors.length > 0 && refused.length === actors.length
    ? `every credential was refused: GET ${baseUrl}/api/messenger answered 401 for ${refused.join(', ')}`
    : undefined
}

/**
 * A protected control request answers as the runner will need it to: undefined when it does, the
 * reason (saying which token to pass) when the API refuses the runner's token or its absence.
 */
export async function checkControlAccess(api: ControlApi): Promise<string | undefined> {
  try {
    const res = await fetch(`${api.url}/mock/sandboxes`, {
      headers: { Accept: 'application/json', ...controlHeaders(api) },
      signal: AbortSignal.timeout(5000),
    })
    await res.body?.cancel()
    return res.status === 401 || res.status === 403 ? tokenAdvice(api, res.status) : undefined
  } catch {
    return undefined // unreachable is reported elsewhere
  }
}

/** One control-API request in a sandbox; the parsed answer, or why it failed. */
export async function control(
  api: ControlApi,
  sandbox: string,
  method: string,
  path: string,
  body?: unknown
): Promise<{ ok: true; body: unknown } | { ok: false; error: string }> {
  try {
    const res = await fetch(`${api.url}${path}`, {
      method,
      headers: {
        Accept: 'application/json',
        [SANDBOX_HEADER]: sandbox,
        ...controlHeaders(api),
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(10_000),
    })
    const text = await res.text()
    if (res.status === 401 || res.status === 403) {
      return { ok: false, error: `${method} ${path}: ${tokenAdvice(api, res.status)}` }
    }
    if (!res.ok) {
      return { ok: false, error: `${method} ${path} answered ${res.status}: ${text.slice(0, 200)}` }
    }
    return { ok: true, body: text === '' ? null : (JSON.parse(text) as unknown) }
  } catch (error) {
    return { ok: false, error: `${method} ${path} failed: ${String(error)}` }
  }
}
