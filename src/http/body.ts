// Gives the validators what Laravel's request would hold, so bad bodies get Laravel's 422 rather
// than a framework 400/415: unparsable or non-object JSON and bodies of other types read as {}.
import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from './env.ts'

const JSON_TYPE = /^application\/([\w.-]+\+)?json\b/i
const FORM_TYPE = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function emptyJsonRequest(raw: Request, body: string): Request {
  const headers = new Headers(raw.headers)
  headers.set('Content-Type', 'application/json')
  headers.delete('Content-Length')
  return new Request(raw.url, { method: raw.method, headers, body })
}

/**
 * `multipartPaths`: routes whose body is multipart (the avatar upload); any other body there is
 * dropped, so the validator reports the file as missing, as Laravel does.
 */
export function normalizeBody(multipartPaths: ReadonlySet<string>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const method = c.req.method
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') {
      await next()
      return
    }
    const type = c.req.header('Content-Type') ?? ''
    if (multipartPaths.has(c.req.path)) {
      if (!/^multipart\/form-data\b/i.test(type) && type !== '') {
        const headers = new Headers(c.req.raw.headers)
        headers.delete('Content-Type')
        headers.delete('Content-Length')
        c.req.raw = new Request(c.req.raw.url, { method, headers })
      }
    } else if (JSON_TYPE.test(type)) {
      const text = await c.req.text()
      let parsed: unknown
      try {
        parsed = JSON.parse(text)
      } catch {
        parsed = undefined
      }
      if (!isPlainObject(parsed)) {
        c.req.raw = emptyJsonRequest(c.req.raw, '{}')
        c.req.bodyCache = {}
      }
    } else if (FORM_TYPE.test(type)) {
      // Laravel reads form fields into the same input as JSON; their values are strings.
      const form = await c.req.formData()
      const fields: Record<string, string> = {}
      form.forEach((value, key) => {
        if (typeof value === 'string') {
          fields[key] = value
        }
      })
      c.req.raw = emptyJsonRequest(c.req.raw, JSON.stringify(fields))
      c.req.bodyCache = {}
    } else if (type !== '' || c.req.raw.body !== null) {
      c.req.raw = emptyJsonRequest(c.req.raw, '{}')
      c.req.bodyCache = {}
    }
    await next()
  }
}
