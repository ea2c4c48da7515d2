// Request bodies: bounded while they stream, then given to the validators as Laravel's request
// would hold them, so bad bodies get Laravel's 422 rather than a framework 400/415 or a 500:
// unparsable, too deeply nested or non-object JSON and bodies of other types read as {}.
import type { IncomingMessage } from 'node:http'
import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from './env.ts'
import { incomingOf } from './incoming.ts'

/** PHP's default post_max_size (8 MB): the backend refused larger bodies with a 413. */
export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024
/** PHP's json_decode() depth: deeper JSON decodes to null, which Laravel reads as no input. */
export const MAX_JSON_DEPTH = 512

const JSON_TYPE = /^application\/([\w.-]+\+)?json\b/i
const FORM_TYPE = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i
const MULTIPART_TYPE = /^multipart\/form-data\b/i

/** A streamed body passed the limit; the rest of it was left unread. */
export class BodyTooLargeError extends Error {
  readonly limitBytes: number
  constructor(limitBytes: number) {
    super(`The request body is larger than ${limitBytes} bytes.`)
    this.name = 'BodyTooLargeError'
    this.limitBytes = limitBytes
  }
}

/** Laravel's PostTooLargeException (413), saying what the limit is and how to change it. */
export function postTooLarge(c: Context, limitBytes: number): Response {
  const kb = Math.floor(limitBytes / 1024)
  return c.json(
    {
      message: `The request body is larger than the ${kb} KB this mock accepts. Send a smaller body, or start the mock with a higher --max-body-kb (env MOCK_MAX_BODY_KB).`,
    },
    413
  )
}

const hasNoBody = (method: string) => method === 'GET' || method === 'HEAD' || method === 'OPTIONS'

/**
 * JSON bodies up to this size with a declared length are read straight from the socket: reading
 * them through Hono builds a web Request and a stream per request, a tenth of a write's CPU.
 */
const DIRECT_READ_MAX_BYTES = 64 * 1024

/** The whole body of `incoming` as text (the HTTP parser stops at the declared length). */
function readIncoming(incoming: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk))
    incoming.once('end', () => {
      resolve(Buffer.concat(chunks).toString('utf8'))
    })
    incoming.once('error', reject)
    incoming.once('close', () => {
      if (!incoming.complete) {
        reject(new Error('the client closed the connection before sending the whole body'))
      }
    })
  })
}

/** Hono keeps a read body as the promise of it; its readers (`c.req.json()`, …) take it from there. */
function cacheText(c: Context, text: string): void {
  c.req.bodyCache = { text: Promise.resolve(text) as unknown as string }
}

/** The body text a middleware before this one read and Hono keeps, if any. */
const cachedText = (c: Context) => c.req.bodyCache.text as Promise<string> | string | undefined

const declaredLength = (request: Request): number | undefined => {
  const value = request.headers.get('Content-Length')
  return value === null || !/^\d+$/.test(value) ? undefined : Number(value)
}

/**
 * `source` that errors with BodyTooLargeError once more than `limit` bytes went through. The
 * source is released, never cancelled: cancelling would close the connection before the answer.
 */
function bounded(source: ReadableStream, limit: number): ReadableStream<Uint8Array> {
  const reader = (source as ReadableStream<Uint8Array>).getReader()
  let size = 0
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read()
      if (done) {
        controller.close()
        return
      }
      size += value.byteLength
      if (size > limit) {
        reader.releaseLock()
        controller.error(new BodyTooLargeError(limit))
        return
      }
      controller.enqueue(value)
    },
  })
}

/**
 * Every body is bounded before anything reads it: a declared length past the limit is refused at
 * once (413, before the login check, as PHP did), a streamed one is counted as it is read.
 * `ownLimits`: routes that bound their bodies themselves (the avatar upload and its 422).
 */
export function limitBody(
  maxBytes: number,
  ownLimits: ReadonlySet<string> = new Set()
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (hasNoBody(c.req.method) || ownLimits.has(c.req.path)) {
      await next()
      return undefined
    }
    const incoming = incomingOf(c)
    const length = c.req.header('Content-Length')
    if (
      incoming !== undefined &&
      length !== undefined &&
      /^\d+$/.test(length) &&
      Number(length) <= Math.min(maxBytes, DIRECT_READ_MAX_BYTES) &&
      JSON_TYPE.test(c.req.header('Content-Type') ?? '')
    ) {
      cacheText(c, await readIncoming(incoming))
      await next()
      return undefined
    }
    const raw = c.req.raw
    if (raw.body === null) {
      await next()
      return undefined
    }
    const declared = declaredLength(raw)
    if (declared !== undefined) {
      // The HTTP parser never delivers more than the declared length.
      if (declared > maxBytes) {
        return postTooLarge(c, maxBytes)
      }
    } else {
      c.req.raw = new Request(raw, {
        body: bounded(raw.body, maxBytes),
        duplex: 'half',
      })
    }
    await next()
    return undefined
  }
}

/** The body's bytes, or undefined when it is longer than `limit` (the rest is left unread). */
export async function readBodyWithin(
  request: Request,
  limit: number
): Promise<Uint8Array | undefined> {
  const declared = declaredLength(request)
  if (declared !== undefined && declared > limit) {
    return undefined
  }
  if (request.body === null) {
    return new Uint8Array()
  }
  const reader = (request.body as ReadableStream<Uint8Array>).getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) {
      break
    }
    size += value.byteLength
    if (size > limit) {
      reader.releaseLock()
      return undefined
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks, size)
}

/** Whether JSON text nests arrays and objects deeper than `max` (strings skipped). */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i)
    if (inString) {
      if (ch === 0x5c) {
        i++
      } else if (ch === 0x22) {
        inString = false
      }
    } else if (ch === 0x22) {
      inString = true
    } else if (ch === 0x5b || ch === 0x7b) {
      if (++depth > max) {
        return true
      }
    } else if (ch === 0x5d || ch === 0x7d) {
      depth--
    }
  }
  return false
}

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A request like `raw` whose body is `body`, read afresh by whatever comes next. */
function withBody(raw: Request, body: Uint8Array | string | null, type?: string): Request {
  const headers = new Headers(raw.headers)
  headers.delete('Content-Length')
  if (type === undefined) {
    headers.delete('Content-Type')
  } else {
    headers.set('Content-Type', type)
  }
  return new Request(raw.url, { method: raw.method, headers, body })
}

const emptyJson = (raw: Request) => withBody(raw, '{}', 'application/json')

/** JSON text as PHP's json_decode() would take it: an object, or {} for anything else. */
function jsonObjectText(text: string): string | undefined {
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
    return undefined
  }
  try {
    return isPlainObject(JSON.parse(text)) ? text : undefined
  } catch {
    return undefined
  }
}

/** Form fields as Laravel reads them into the input (strings); {} for a body that is not a form. */
async function formFields(request: Request): Promise<Record<string, string>> {
  const fields: Record<string, string> = {}
  try {
    // The body is already bounded and in memory, so the parser's buffering costs nothing more.
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    const form = await request.formData()
    form.forEach((value, key) => {
      if (typeof value === 'string') {
        fields[key] = value
      }
    })
  } catch {
    // PHP parsed what it could of a malformed form: nothing.
  }
  return fields
}

/** A route that takes a multipart upload, bounded by its own limit and answering its own error. */
export interface UploadRoute {
  readonly maxBytes: number
  readonly tooLarge: (c: Context) => Response
}

/**
 * `uploads`: routes whose body is multipart (the avatar upload); any other body there is dropped,
 * so the validator reports the file as missing, as Laravel does.
 */
export function normalizeBody(
  uploads: ReadonlyMap<string, UploadRoute> = new Map()
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (hasNoBody(c.req.method)) {
      await next()
      return undefined
    }
    const type = c.req.header('Content-Type') ?? ''
    const upload = uploads.get(c.req.path)
    const read = cachedText(c)
    if (read !== undefined && upload === undefined && JSON_TYPE.test(type)) {
      // The JSON text is in hand (read from the socket, or by the journal): normalized in place,
      // without a new Request.
      cacheText(c, jsonObjectText(await read) ?? '{}')
      await next()
      return undefined
    }
    const raw = c.req.raw
    if (type === '' && (raw.body === null || declaredLength(raw) === 0)) {
      await next()
      return undefined
    }
    let bytes: Uint8Array | undefined
    try {
      // A middleware before this one may have read the text already (the request journal reads
      // small JSON bodies as sent); Hono keeps it, and the stream cannot be read twice.
      bytes =
        read === undefined
          ? await readBodyWithin(raw, upload?.maxBytes ?? Number.POSITIVE_INFINITY)
          : new TextEncoder().encode(await Promise.resolve(read))
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        return postTooLarge(c, error.limitBytes)
      }
      throw error
    }
    if (bytes === undefined) {
      // Only an upload's own limit is finite here.
      return upload?.tooLarge(c) ?? postTooLarge(c, 0)
    }
    c.req.bodyCache = {}
    if (upload !== undefined) {
      c.req.raw = MULTIPART_TYPE.test(type) ? withBody(raw, bytes, type) : withBody(raw, null)
    } else if (JSON_TYPE.test(type)) {
      const text = jsonObjectText(new TextDecoder().decode(bytes))
      c.req.raw = text === undefined ? emptyJson(raw) : withBody(raw, text, type)
    } else if (FORM_TYPE.test(type)) {
      const fields = await formFields(withBody(raw, bytes, type))
      c.req.raw = withBody(raw, JSON.stringify(fields), 'application/json')
    } else {
      c.req.raw = emptyJson(raw)
    }
    await next()
    return undefined
  }
}
