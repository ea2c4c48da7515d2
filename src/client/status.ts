// Results discriminated by HTTP status: `switch (result.status)` narrows `data` to that status's
// body on success and `error` to that status's body on failure (a 422 to the validation shape, a
// 403 to its own), which openapi-fetch's plain `response.status: number` cannot do.
import type { Client, FetchResponse, MaybeOptionalInit, ParseAsResponse } from 'openapi-fetch'
import type { paths } from '../generated/openapi.js'

type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace'

type PathsWith<M extends HttpMethod> = {
  [P in keyof paths]: paths[P] extends Record<M, object> ? P : never
}[keyof paths]

type ResponsesOf<Operation> = Operation extends { responses: infer R } ? R : never

type BodyOf<R> = R extends { content: infer Content }
  ? 'application/json' extends keyof Content
    ? Content['application/json']
    : Content[keyof Content]
  : undefined

/** One documented outcome of an operation: its status and the body that comes with it. */
type Outcome<Status, R, Init> = `${Status & number}` extends `2${string}`
  ? { status: Status; data: ParseAsResponse<BodyOf<R>, Init>; error?: never; response: Response }
  : { status: Status; data?: never; error: BodyOf<R>; response: Response }

/**
 * What a call answers: one member per status the contract documents for the operation. A status
 * the contract does not list (a proxy's 502, an injected fault) still arrives at run time with
 * `error` set; handle it in a `default:` branch.
 */
export type StatusResult<Operation, Init = object> = {
  [Status in keyof ResponsesOf<Operation>]: Outcome<Status, ResponsesOf<Operation>[Status], Init>
}[keyof ResponsesOf<Operation>]

type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T]

/** The init argument: optional when nothing in it is required (openapi-fetch's own rule). */
type InitArgs<Init> =
  RequiredKeys<Init> extends never
    ? [(Init & Record<string, unknown>)?]
    : [Init & Record<string, unknown>]

export type StatusMethod<M extends HttpMethod> = <
  P extends PathsWith<M>,
  Init extends MaybeOptionalInit<paths[P], M>,
>(
  url: P,
  ...init: InitArgs<Init>
) => Promise<StatusResult<paths[P][M], Init>>

/** openapi-fetch's client with every method's result carrying its status as a discriminant. */
export interface StatusClient extends Omit<
  Client<paths>,
  'GET' | 'PUT' | 'POST' | 'DELETE' | 'OPTIONS' | 'HEAD' | 'PATCH' | 'TRACE'
> {
  GET: StatusMethod<'get'>
  PUT: StatusMethod<'put'>
  POST: StatusMethod<'post'>
  DELETE: StatusMethod<'delete'>
  OPTIONS: StatusMethod<'options'>
  HEAD: StatusMethod<'head'>
  PATCH: StatusMethod<'patch'>
  TRACE: StatusMethod<'trace'>
}

type Untyped = (
  method: string,
  url: string,
  init?: object
) => Promise<FetchResponse<object, object, `${string}/${string}`>>

/** Wraps a client so each result also says `status` (the response's, copied for narrowing). */
export function withStatus(client: Client<paths>): StatusClient {
  // openapi-fetch's per-path generics cannot be forwarded generically; the typed surface is
  // StatusClient above, and this one untyped entry point carries every method.
  const send = client.request.bind(client) as unknown as Untyped
  const method = (name: string) => async (url: string, init?: object) => {
    const result = await send(name, url, init)
    return { ...result, status: result.response.status }
  }
  const methods = {
    GET: method('GET'),
    PUT: method('PUT'),
    POST: method('POST'),
    DELETE: method('DELETE'),
    OPTIONS: method('OPTIONS'),
    HEAD: method('HEAD'),
    PATCH: method('PATCH'),
    TRACE: method('TRACE'),
  }
  return { ...client, ...methods } as unknown as StatusClient
}
