// The frontend controls on the Messenger API: the request journal (around everything, so 401s
// and unknown routes are journaled too), then, after authentication, the sandbox's rules (delay,
// respond, drop) and the Prefer header. A rule's answer or a forced response skips the handler, so
// nothing in the world changes and no broadcast is sent.
import { setTimeout as sleep } from 'node:timers/promises'
import type { Context, MiddlewareHandler } from 'hono'
import type { ContentfulStatusCode, StatusCode } from 'hono/utils/http-status'
import type { AppEnv } from '../http/env.ts'
import { validationFailed } from '../http/errors.ts'
import { incomingOf } from '../http/incoming.ts'
import { sentMethod } from '../http/sent-method.ts'
import {
  journalFormBody,
  journalJsonBody,
  MAX_JOURNALED_BODY,
  type JournalBody,
} from './journal.ts'
import type { Operation, OperationTable } from './operations.ts'
import { forcedResponse, readPreferences, type ForcedResponse } from './prefer.ts'
import { delayOf, type Rule } from './rules.ts'
import type { ControlsRegistry } from './state.ts'

export interface ControlsDeps {
  registry: ControlsRegistry
  operations: OperationTable
}

/** What the controls decided about one request, for its journal entry. */
interface RequestRecord {
  rule: string | null
  dropped: boolean
}
const records = new WeakMap<Context, RequestRecord>()

// The control API, the docs and the specs are the mock's own pages, not the Messenger API.
const NOT_JOURNALED = /^\/(mock(\/|$)|docs(\/|$)|openapi\.(json|yaml)$|$)/

const JSON_TYPE = /^application\/([\w.-]+\+)?json\b/i

// Laravel's texts for statuses a rule may answer without a body.
const LARAVEL_TEXT: Partial<Record<number, string>> = {
  401: 'Unauthenticated.',
  403: 'This action is unauthorized.',
  404: '',
  419: 'CSRF token mismatch.',
  429: 'Too Many Attempts.',
  500: 'Server Error',
  503: 'Service Unavailable',
}

// Small JSON bodies are read before the handler so the journal has them as sent (the handler may
// see a normalized copy); Hono caches the text, so the handler does not read the stream twice.
async function bodyBefore(c: Context<AppEnv>): Promise<{ body: JournalBody } | undefined> {
  const type = c.req.header('Content-Type') ?? ''
  const length = Number(c.req.header('Content-Length') ?? 'NaN')
  if (JSON_TYPE.test(type) && length <= MAX_JOURNALED_BODY) {
    return { body: journalJsonBody(await c.req.text()) }
  }
  return undefined
}

// Anything else is taken from what the handler read (multipart forms), or noted by its size.
async function bodyAfter(c: Context<AppEnv>): Promise<JournalBody> {
  // Hono keeps either the FormData or the promise of it.
  const form = c.req.bodyCache.formData as FormData | Promise<FormData> | undefined
  if (form !== undefined) {
    try {
      return journalFormBody(await form)
    } catch {
      return { unparsable: 'multipart body' }
    }
  }
  const length = c.req.header('Content-Length')
  if (length !== undefined && length !== '0') {
    return { omitted: `${c.req.header('Content-Type') ?? 'untyped'} body of ${length} bytes` }
  }
  return null
}

/** Journals every request to the Messenger API of the selected world (after the answer). */
export function journalRequests(deps: ControlsDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (NOT_JOURNALED.test(c.req.path)) {
      await next()
      return
    }
    const started = performance.now()
    const at = new Date().toISOString()
    const method = sentMethod(c.req.raw)
    const world = c.get('world')
    const before = await bodyBefore(c)
    const record: RequestRecord = { rule: null, dropped: false }
    records.set(c, record)
    await next()
    const body = before === undefined ? await bodyAfter(c) : before.body
    const operation = deps.operations.find(c.req.method, c.req.path)
    deps.registry.of(world).journal.add({
      at,
      method,
      path: c.req.path,
      query: c.req.queries(),
      operation: operation?.operationId ?? null,
      actor: c.get('viewer')?.id ?? null,
      body,
      status: record.dropped ? null : c.res.status,
      duration_ms: Math.round((performance.now() - started) * 10) / 10,
      rule: record.rule,
    })
  }
}

function send(c: Context<AppEnv>, response: ForcedResponse): Response {
  for (const [name, value] of Object.entries(response.headers)) {
    c.header(name, value)
  }
  const status = response.status
  if (response.body === undefined || status === 204 || status === 304) {
    return c.body(null, status as StatusCode)
  }
  return c.json(response.body, status as ContentfulStatusCode)
}

// Closes the client's connection without an answer (the node server's socket).
function dropConnection(c: Context<AppEnv>): Response {
  incomingOf(c)?.socket.destroy()
  // Nobody reads it: the socket is gone (an in-process caller without one sees a bodiless 502).
  return c.body(null, 502)
}

async function applyRule(
  c: Context<AppEnv>,
  rule: Rule,
  operation: Operation | undefined
): Promise<Response | undefined> {
  const wait = delayOf(rule.delay_ms)
  if (wait > 0) {
    await sleep(wait)
  }
  const record = records.get(c)
  if (rule.drop === true) {
    if (record) {
      record.dropped = true
    }
    return dropConnection(c)
  }
  const respond = rule.respond
  if (respond === undefined) {
    return undefined
  }
  const headers = respond.headers ?? {}
  if (respond.body === undefined && operation !== undefined) {
    const forced = await forcedResponse(
      operation.method,
      operation.template,
      operation.operationId,
      {
        code: respond.status,
      }
    )
    if (forced.ok) {
      return send(c, { ...forced.response, headers: { ...forced.response.headers, ...headers } })
    }
  }
  const body =
    respond.body === undefined ? { message: LARAVEL_TEXT[respond.status] ?? '' } : respond.body
  return send(c, { status: respond.status, headers, body })
}

/** Rules, then the Prefer header, for a request that passed authentication. */
export function applyControls(deps: ControlsDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const world = c.get('world')
    const rules = deps.registry.of(world).rules
    const operation = deps.operations.find(c.req.method, c.req.path)
    if (rules.size > 0) {
      const user = c.get('viewer')
      const rule = rules.take(
        {
          method: sentMethod(c.req.raw),
          path: c.req.path,
          operationId: operation?.operationId,
          userId: user?.id,
          token: user?.token,
        },
        deps.operations.matchesTemplate
      )
      if (rule !== undefined) {
        const record = records.get(c)
        if (record) {
          record.rule = rule.id
        }
        const answered = await applyRule(c, rule, operation)
        if (answered !== undefined) {
          return answered
        }
      }
    }
    if (operation !== undefined) {
      const header = c.req.header('Prefer')
      const query =
        header === undefined && c.req.url.includes('__')
          ? new URL(c.req.url).searchParams
          : undefined
      if (header !== undefined || query !== undefined) {
        const read = readPreferences(header, query ?? new URLSearchParams())
        if (!read.ok) {
          return validationFailed(c, { Prefer: [read.problem] })
        }
        if (read.prefer !== undefined) {
          const forced = await forcedResponse(
            operation.method,
            operation.template,
            operation.operationId,
            read.prefer
          )
          if (!forced.ok) {
            return validationFailed(c, { Prefer: [forced.problem] })
          }
          return send(c, forced.response)
        }
      }
    }
    await next()
    return undefined
  }
}
