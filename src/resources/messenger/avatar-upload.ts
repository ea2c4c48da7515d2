// The avatar upload's `image` part under Laravel 8's rules `required|max:5120|file|image`, with
// Laravel's texts; the image type is decided by the bytes, never by the file name.
import { z } from '@hono/zod-openapi'
import type { MiddlewareHandler } from 'hono'
import type { UploadRoute } from '../../http/body.ts'
import type { AppEnv } from '../../http/env.ts'
import { validationFailed } from '../../http/errors.ts'
import { sniffImage } from '../../images/sniff.ts'
import type { SniffedImage } from '../../images/sniff.ts'

export const MAX_AVATAR_KB = 5120
export const AVATAR_PATH = '/api/messenger/avatar'

const tooBigText = `The image may not be greater than ${MAX_AVATAR_KB} kilobytes.`

/**
 * The upload is read no further than the file's limit plus room for the multipart framing (part
 * headers, boundaries, a few small fields); past that it is Laravel's `max` error.
 */
export const avatarUpload: UploadRoute = {
  maxBytes: MAX_AVATAR_KB * 1024 + 64 * 1024,
  tooLarge: (c) => validationFailed(c, { image: [tooBigText] }),
}

export interface UploadedImage {
  bytes: Uint8Array
  image: SniffedImage
}

const isFile = (value: unknown): value is File => value instanceof File

/** PHP keeps the last of several fields sent under one name. */
const lastOf = (value: unknown): unknown => (Array.isArray(value) ? value.at(-1) : value)

/**
 * Laravel's `required`. PHP reports a file part without a file name and without content as "no
 * file uploaded", which Laravel then sees as missing.
 */
function isMissing(value: unknown): boolean {
  if (value === undefined || value === null) {
    return true
  }
  if (typeof value === 'string') {
    return value.trim() === ''
  }
  return isFile(value) && value.name === '' && value.size === 0
}

/** PHP's mb_strlen(): code points, not UTF-16 units. */
function codePoints(text: string): number {
  let count = 0
  for (const _ of text) {
    count++
  }
  return count
}

/** Laravel's `max:5120`: kilobytes for a file, characters for any other value. */
function maxMessage(value: unknown): string | undefined {
  if (isFile(value)) {
    return value.size / 1024 > MAX_AVATAR_KB ? tooBigText : undefined
  }
  if (typeof value === 'string' && codePoints(value) > MAX_AVATAR_KB) {
    return `The image may not be greater than ${MAX_AVATAR_KB} characters.`
  }
  return undefined
}

const bytesOf = async (file: File) => new Uint8Array(await file.arrayBuffer())

const notAnImage = { code: 'custom', message: 'The image must be an image.' } as const

/**
 * The `image` field: validated, then read into its bytes and sniffed type. Only a file is read
 * asynchronously: the OpenAPI generator probes the schema with a synchronous parse of undefined.
 */
export const avatarImage = z
  .unknown()
  .transform(lastOf)
  .superRefine((value, ctx) => {
    if (isMissing(value)) {
      ctx.addIssue({ code: 'custom', message: 'The image field is required.' })
      return undefined
    }
    const tooBig = maxMessage(value)
    if (tooBig !== undefined) {
      ctx.addIssue({ code: 'custom', message: tooBig })
    }
    if (!isFile(value)) {
      ctx.addIssue({ code: 'custom', message: 'The image must be a file.' })
      ctx.addIssue(notAnImage)
      return undefined
    }
    return bytesOf(value).then((bytes) => {
      if (sniffImage(bytes) === null) {
        ctx.addIssue(notAnImage)
      }
    })
  })
  .transform(async (value, ctx): Promise<UploadedImage> => {
    const bytes = isFile(value) ? await bytesOf(value) : new Uint8Array()
    const image = sniffImage(bytes)
    if (image === null) {
      // Unreachable after the checks above; keeps the output type honest.
      ctx.addIssue(notAnImage)
      return z.NEVER
    }
    return { bytes, image }
  })
  .openapi({
    type: 'string',
    format: 'binary',
    description: 'The image file (JPEG, PNG, GIF, BMP, SVG or WebP by content; at most 5120 KB).',
  })

/**
 * A multipart body that cannot be parsed reads as an empty one (PHP parsed what it could), so the
 * validator answers Laravel's 422 instead of a framework error.
 */
export const tolerateBadMultipart: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (/^multipart\/form-data\b/i.test(c.req.header('Content-Type') ?? '')) {
    try {
      await c.req.formData()
    } catch {
      const headers = new Headers(c.req.raw.headers)
      headers.delete('Content-Type')
      headers.delete('Content-Length')
      c.req.raw = new Request(c.req.raw.url, { method: c.req.method, headers })
      c.req.bodyCache = {}
    }
  }
  await next()
}
