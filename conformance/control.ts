// What the runner asks a target before and around the steps: is it reachable, does it offer the
// mock's control API (sandboxes, worlds, clock), do its credentials work.
import type { TargetProfile } from './scenario.ts'

export const SANDBOX_HEADER = 'X-Mock-Sandbox'

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

/** One control-API request in a sandbox; the parsed answer, or why it failed. */
export async function control(
  controlUrl: string,
  sandbox: string,
  method: string,
  path: string,
  body?: unknown
): Promise<{ ok: true; body: unknown } | { ok: false; error: string }> {
  try {
    const res = await fetch(`${controlUrl}${path}`, {
      method,
      headers: {
        Accept: 'application/json',
        [SANDBOX_HEADER]: sandbox,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(10_000),
    })
    const text = await res.text()
    if (!res.ok) {
      return { ok: false, error: `${method} ${path} answered ${res.status}: ${text.slice(0, 200)}` }
    }
    return { ok: true, body: text === '' ? null : (JSON.parse(text) as unknown) }
  } catch (error) {
    return { ok: false, error: `${method} ${path} failed: ${String(error)}` }
  }
}
