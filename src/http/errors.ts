// Laravel 8's error bodies, the only error shapes the mock answers with (see openapi.yaml, "Errors").
import type { Context } from 'hono'

/** The Eloquent models whose ids appear in paths, as Laravel names them in its 404 text. */
export const MODEL_CLASS = {
  Thread: 'RTippin\\Messenger\\Models\\Thread',
  Call: 'RTippin\\Messenger\\Models\\Call',
  CallParticipant: 'RTippin\\Messenger\\Models\\CallParticipant',
  Invite: 'RTippin\\Messenger\\Models\\Invite',
} as const
export type ModelName = keyof typeof MODEL_CLASS

export type FieldErrors = Record<string, string[]>

export function unauthenticated(c: Context): Response {
  return c.json({ message: 'Unauthenticated.' }, 401)
}

export function forbidden(c: Context, message: string): Response {
  return c.json({ message }, 403)
}

/** Route-model binding failed: an unknown, deleted, malformed or foreign id. */
export function modelNotFound(c: Context, model: ModelName, id: string): Response {
  return c.json({ message: `No query results for model [${MODEL_CLASS[model]}] ${id}` }, 404)
}

export function validationFailed(c: Context, errors: FieldErrors): Response {
  return c.json({ message: 'The given data was invalid.', errors }, 422)
}

export function tooManyAttempts(c: Context, retryAfterSeconds: number, limit: number): Response {
  c.header('Retry-After', String(retryAfterSeconds))
  c.header('X-RateLimit-Limit', String(limit))
  c.header('X-RateLimit-Remaining', '0')
  return c.json({ message: 'Too Many Attempts.' }, 429)
}

export function methodNotAllowed(c: Context, method: string, allowed: readonly string[]): Response {
  c.header('Allow', allowed.join(', '))
  return c.json(
    {
      message: `The ${method} method is not supported for this route. Supported methods: ${allowed.join(', ')}.`,
    },
    405
  )
}
