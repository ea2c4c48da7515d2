// Request bodies: JSON as openapi-fetch sends it, except a body holding a file (a Blob, as the
// generated types declare a `format: binary` field), which goes as multipart/form-data.
import { defaultBodySerializer } from 'openapi-fetch'

type Part = string | Blob

function parts(value: unknown): Part[] {
  if (value === undefined || value === null) {
    return []
  }
  if (Array.isArray(value)) {
    return value.flatMap(parts)
  }
  if (value instanceof Blob) {
    return [value]
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return [String(value)]
  }
  return [JSON.stringify(value)]
}

function holdsFile(body: object): boolean {
  return Object.values(body).some(
    (value) =>
      value instanceof Blob || (Array.isArray(value) && value.some((v) => v instanceof Blob))
  )
}

/** FormData for a body with a file in it (the browser or undici adds the boundary), JSON otherwise. */
export function serializeBody(body: unknown): string | FormData {
  if (body instanceof FormData) {
    return body
  }
  if (typeof body !== 'object' || body === null || !holdsFile(body)) {
    return defaultBodySerializer(body)
  }
  const form = new FormData()
  for (const [name, value] of Object.entries(body)) {
    for (const part of parts(value)) {
      form.append(name, part)
    }
  }
  return form
}
