// Scenarios: the documented pairs arranged as chained steps (fixtures/scenarios/*.json), and the
// target description they run against (actors, pre-existing ids, capabilities).
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { BroadcastExpectation } from './broadcasts.ts'
import type { Matcher } from './match.ts'

/** A request: `{{name}}` in the path, headers and body is replaced by a variable's value. */
export interface StepRequest {
  method: string
  path: string
  body?: unknown
  /** A multipart body: form fields, where `{ "file": "<fixtures path>" }` uploads that file. */
  multipart?: Record<string, string | { file: string; type: string }>
  headers?: Record<string, string>
}

export interface StepExpectation {
  /** The status, or the statuses any of which is right (the first is the one asked of Prism). */
  status: number | number[]
  /** Compare with the operation's documented example (fixtures/documented-pairs.json). */
  documented?: boolean
  /** Or compare with this body (values may hold `{{name}}` variables). */
  body?: unknown
  /** Matchers that replace the documented value at a JSON path ("$.options.admin"). */
  overrides?: Record<string, Matcher>
  /** The response is an image rather than JSON. */
  image?: boolean
  /** The `Allow` header lists exactly these methods (in any order), and the 405 text names them. */
  allow?: string[]
  /** At this status (any when absent), `message` is one of these texts, or starts with `prefix`. */
  message?: { status?: number; oneOf?: string[]; prefix?: string }
  /** A 422 whose `errors` names exactly this field, with one of these texts among its messages. */
  validation?: { field: string; texts?: string[] }
  /** The body holds none of the values the scenario's `collectSecrets` steps saw. */
  noLeaks?: boolean
  /** Elements of lists in the answer, found by their fields: how another view shows a change. */
  items?: ItemExpectation[]
  /** Events the request must (or must not) send to users' private channels (broadcasts.ts). */
  broadcasts?: BroadcastExpectation[]
}

/**
 * In the array at `in` ("$", "$.data"; an object counts as a list of one), the element whose fields equal `where` must be there with
 * these `values` (by key path below the element: a literal, or a matcher such as
 * `{ "kind": "timestamp" }`), or must be missing when `absent`. Values may hold `{{name}}`.
 */
export interface ItemExpectation {
  in: string
  where: Record<string, unknown>
  values?: Record<string, unknown>
  absent?: boolean
}

export interface RequestStep {
  name: string
  operationId: string
  /** Capabilities this step needs beyond its scenario's (e.g. "multipart", "images"). */
  requires?: string[]
  /** Whose credentials to send (a key of the target's actors); none for a guest. */
  actor?: string
  request: StepRequest
  expect: StepExpectation
  /** Variables taken from the response body by JSON path ("$.id"). */
  capture?: Record<string, string>
  /** Send the same request this many times first (each must succeed), then check the next one. */
  repeat?: number
  /** Like the scenario's `aliases`, for this step only (it wins over the scenario's). */
  aliases?: Record<string, string>
  /** The kind of generated check this step is ("authentication", …); absent in scenarios. */
  kind?: string
  /** Operations whose documented response this step exercises, when not just `operationId`. */
  covers?: string[]
  /** Keep the ids, codes, pins and thread names of the answer, for later `noLeaks` checks. */
  collectSecrets?: boolean
}

/** Lets the target's time pass: the world clock moves on a mock, otherwise the runner sleeps. */
export interface WaitStep {
  name: string
  wait: { seconds: number }
}

export type Step = RequestStep | WaitStep

export interface Scenario {
  name: string
  description: string
  /** What the target must offer, else every step is skipped with the reason. */
  requires: string[]
  /**
   * Documented literals (ids, codes, file names) that stand for a variable of this run: after the
   * variable is captured, the documented value is expected to equal the captured one.
   */
  aliases: Record<string, string>
  /**
   * Actors the scenario needs beyond the target's usual ones ("outsider"): on the mock the runner
   * adds them to the sandbox; otherwise the profile must name them.
   */
  actors?: string[]
  /** Steps may run concurrently, except those that capture or collect (they run alone, in order). */
  parallel?: boolean
  steps: Step[]
}

/** Where a target's Pusher-protocol sockets are, as a Laravel Echo app configures them. */
export interface BroadcastSettings {
  key: string
  ws_host: string
  ws_port: number
  force_tls?: boolean
  /** pusher-js's wsPath (a prefix before /app/{key}). */
  ws_path?: string
  /** The channel authorisation endpoint: an absolute URL or a path on the base URL. */
  auth_endpoint: string
  /** pusher-js wants one; ws_host overrides it (default mt1). */
  cluster?: string
}

/** How to reach and log in to a target, and what it already holds. */
export interface TargetProfile {
  /** Base of the absolute links the target makes (invite routes, search pages). */
  public_url?: string
  actors: Record<
    string,
    { id: string; headers?: Record<string, string>; cookies?: Record<string, string> }
  >
  /** Ids of pre-existing things the scenarios use, by name (threads.john_jairo, …). */
  ids: Record<string, string>
  /**
   * What the target offers: "control" (the mock's control API: sandboxes, worlds, clock),
   * "default-world" (its data is the documented world, ids mapped by `ids` and actors),
   * "lenient-ids" (a malformed id is a 404, not a 422), "method-errors" (Laravel's 405 bodies),
   * "multipart" (avatar uploads), "images" (image routes answer images), "broadcasts" (call events
   * over the Pusher protocol: the mock's journal, or elsewhere the sockets of `broadcasts`), "prefer"
   * (a spec-only mock such as Prism: each request asks for its status with `Prefer: code=`).
   */
  capabilities: string[]
  /** The target's sockets, for checking broadcasts without the mock's journal. */
  broadcasts?: BroadcastSettings
}

export const isWaitStep = (step: Step): step is WaitStep => 'wait' in step

export function readScenarios(folder: string): Scenario[] {
  return readdirSync(folder)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const scenario = JSON.parse(readFileSync(join(folder, name), 'utf8')) as Partial<Scenario> &
        Pick<Scenario, 'name' | 'description' | 'steps'>
      return { ...scenario, requires: scenario.requires ?? [], aliases: scenario.aliases ?? {} }
    })
}
