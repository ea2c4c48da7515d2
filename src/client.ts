// A typed client of the Messenger API (openapi-fetch over the generated types), for tests and
// frontend users: createMessengerClient({ baseUrl, token }). Published as
// @messenger-contract/client (packages/client builds it from this file), which is why its
// relative imports (and those of src/client/) name the .js files they compile to.
import createClient from 'openapi-fetch'
import { serializeBody } from './client/multipart.js'
import { withStatus } from './client/status.js'
import type { StatusClient } from './client/status.js'
import type { paths } from './generated/openapi.js'

export type { StatusResult } from './client/status.js'
export type { components, operations, paths } from './generated/openapi.js'

export type MessengerClient = StatusClient

export interface MessengerClientOptions {
  baseUrl: string
  /** A bearer token (the mock's users: john, jane, jairo); none for a guest. */
  token?: string | undefined
  /** The mock sandbox to use (X-Mock-Sandbox). */
  sandbox?: string | undefined
  /** Another fetch, e.g. an app's own `fetch` for in-process tests. */
  fetch?: ((request: Request) => Promise<Response>) | undefined
}

export function createMessengerClient(options: MessengerClientOptions): MessengerClient {
  const headers: Record<string, string> = { Accept: 'application/json' }
  if (options.token !== undefined) {
    headers['Authorization'] = `Bearer ${options.token}`
  }
  if (options.sandbox !== undefined) {
    headers['X-Mock-Sandbox'] = options.sandbox
  }
  return withStatus(
    createClient<paths>({
      baseUrl: options.baseUrl,
      headers,
      bodySerializer: serializeBody,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    })
  )
}
