// Shared pieces of route declarations: the sub-app factory with Laravel's 422, path parameters,
// and the documented responses of each route (for the emitted OpenAPI document).
import { OpenAPIHono, z } from '@hono/zod-openapi'
import type { AppEnv } from './env.ts'
import { validationFailed } from './errors.ts'
import { fieldErrors } from './rules.ts'

/** A router whose request validation answers Laravel's 422 body. */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        return validationFailed(c, fieldErrors(result.error.issues))
      }
      return undefined
    },
  })
}

/** A required request body of `schema`, sent as JSON. */
export const jsonBody = <S>(schema: S) => ({
  required: true,
  content: { 'application/json': { schema } },
})

/**
 * A path id. Its format is documented but not validated here: Laravel answers a malformed id with
 * the same 404 as an unknown one, which the handler's lookup gives.
 */
export const pathId = (name: string, description: string) =>
  z.string().openapi({ param: { name, in: 'path' }, format: 'uuid', description })

/**
 * A path text. `documented` constraints (an enum, a pattern) are described for the contract, not
 * validated here: the handler answers a text outside them as the backend did.
 */
export const pathText = (
  name: string,
  description: string,
  documented: { enum?: string[]; pattern?: string } = {}
) => z.string().openapi({ param: { name, in: 'path' }, description, ...documented })

type Status = 200 | 201 | 401 | 403 | 404 | 405 | 422 | 429

const DESCRIPTIONS: Record<Status, string> = {
  200: 'OK',
  201: 'Created',
  401: 'Unauthenticated',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  422: 'Invalid payload',
  429: 'Too many attempts',
}

/** The statuses a route answers; bodies are described by openapi/openapi.yaml, the contract. */
export function statuses(...codes: Status[]) {
  return Object.fromEntries(
    codes.map((code) => [code, { description: DESCRIPTIONS[code] }])
  ) as Record<Status, { description: string }>
}
