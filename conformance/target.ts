// Talking to the target over HTTP: requests with an actor's credentials, recorded for reports.
import { readFileSync } from 'node:fs'
import type { RecordedRequest, RecordedResponse } from './types.ts'

export interface SendOptions {
  method: string
  url: string
  actor: string | null
  headers: Record<string, string>
  json?: unknown
  multipart?: Record<string, string | { file: string; type: string }>
  timeoutMs: number
}

export type Sent =
  | { ok: true; request: RecordedRequest; response: RecordedResponse; contentType: string }
  | { ok: false; request: RecordedRequest; error: string }

function headerRecord(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {}
  headers.forEach((value, key) => {
    out[key] = value
  })
  return out
}

/** A short, human reason for a failed fetch ("ECONNREFUSED 127.0.0.1:1", "timed out after 10 s"). */
export function transportError(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause
    if (cause instanceof Error) {
      return cause.message
    }
    if (error.name === 'TimeoutError') {
      return 'timed out'
    }
    return error.message
  }
  return String(error)
}

export async function send(options: SendOptions): Promise<Sent> {
  const headers = new Headers(options.headers)
  let body: RequestInit['body']
  let recordedBody: unknown
  if (options.multipart) {
    const form = new FormData()
    const shown: Record<string, string> = {}
    for (const [field, value] of Object.entries(options.multipart)) {
      if (typeof value === 'string') {
        form.append(field, value)
        shown[field] = value
      } else {
        const data = readFileSync(new URL(`../${value.file}`, import.meta.url))
        form.append(
          field,
          new Blob([new Uint8Array(data)], { type: value.type }),
          value.file.split('/').pop()
        )
        shown[field] = `(file ${value.file}, ${data.length} bytes)`
      }
    }
    body = form
    recordedBody = shown
  } else if (options.json !== undefined) {
    headers.set('Content-Type', 'application/json')
    body = JSON.stringify(options.json)
    recordedBody = options.json
  }
  const request: RecordedRequest = {
    method: options.method,
    url: options.url,
    actor: options.actor,
    headers: headerRecord(headers),
    ...(recordedBody === undefined ? {} : { body: recordedBody }),
  }
  try {
    const res = await fetch(options.url, {
      method: options.method,
      headers,
      ...(body === undefined ? {} : { body }),
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
    })
    const contentType = res.headers.get('content-type') ?? ''
    let parsed: unknown
    if (/json/i.test(contentType)) {
      const text = await res.text()
      try {
        parsed = text === '' ? null : JSON.parse(text)
      } catch {
        parsed = text
      }
    } else {
      const bytes = await res.arrayBuffer()
      parsed = `(${bytes.byteLength} bytes of ${contentType || 'no content type'})`
    }
    return {
      ok: true,
      request,
      response: { status: res.status, headers: headerRecord(res.headers), body: parsed },
      contentType,
    }
  } catch (error) {
    return { ok: false, request, error: transportError(error) }
  }
}
