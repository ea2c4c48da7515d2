// Test helper: the AsyncAPI document parsed by @asyncapi/parser, and a validator of each event's
// payload against the document's schema for it (Ajv, JSON Schema draft-07 as AsyncAPI 3.0 uses).
import { Parser, fromFile } from '@asyncapi/parser'
import type { AsyncAPIDocumentInterface, Diagnostic } from '@asyncapi/parser'
import { Ajv } from 'ajv'
import type { ValidateFunction } from 'ajv'
import addFormatsPlugin from 'ajv-formats'
import { fileURLToPath } from 'node:url'

export const ASYNCAPI_FILE = fileURLToPath(
  new URL('../../openapi/broadcasts.asyncapi.yaml', import.meta.url)
)

export interface ParsedBroadcasts {
  document: AsyncAPIDocumentInterface | undefined
  diagnostics: Diagnostic[]
}

let parsedOnce: Promise<ParsedBroadcasts> | undefined

/** Parses an AsyncAPI file (the project's own is parsed once per test file: it takes seconds). */
export function parseBroadcasts(file = ASYNCAPI_FILE): Promise<ParsedBroadcasts> {
  const parse = async () => {
    const { document, diagnostics } = await fromFile(new Parser(), file).parse()
    return { document, diagnostics }
  }
  if (file !== ASYNCAPI_FILE) {
    return parse()
  }
  parsedOnce ??= parse()
  return parsedOnce
}

export interface BroadcastValidator {
  /** The events the document declares. */
  events: string[]
  /** The validation errors of `data` as the payload of `event` ([] when valid). */
  errors(event: string, data: unknown): string[]
}

let shared: Promise<BroadcastValidator> | undefined

/** One validator per test file; the document is parsed once. */
export function broadcastValidator(): Promise<BroadcastValidator> {
  shared ??= (async () => {
    const { document, diagnostics } = await parseBroadcasts()
    if (!document) {
      throw new Error(`The AsyncAPI document does not parse: ${JSON.stringify(diagnostics)}`)
    }
    // The parser adds x-parser-* keys to the schemas it resolved, hence strict off.
    const ajv = new Ajv({ strict: false, allErrors: true })
    addFormatsPlugin.default(ajv)
    const validators = new Map<string, ValidateFunction>()
    for (const message of document.allMessages()) {
      const name = message.name()
      const payload = message.payload()
      if (name !== undefined && payload !== undefined) {
        const schema: object = payload.json()
        validators.set(name, ajv.compile(schema))
      }
    }
    return {
      events: [...validators.keys()],
      errors(event, data) {
        const validate = validators.get(event)
        if (!validate) {
          return [`${event} is not an event of the AsyncAPI document`]
        }
        return validate(data)
          ? []
          : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`)
      },
    }
  })()
  return shared
}
