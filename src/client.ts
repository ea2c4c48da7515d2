// A typed client of the Messenger API (openapi-fetch over the generated types), for tests and
// frontend users: createMessengerClient({ baseUrl, token }).
import createClient from 'openapi-fetch'
import type { Client } from 'openapi-fetch'
import type { paths } from './generated/openapi.ts'

export type MessengerClient = Client<paths>

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
  return createClient<paths>({
    baseUrl: options.baseUrl,
    headers,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  })
}
