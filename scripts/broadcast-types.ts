// TypeScript types of the broadcasts' payloads (openapi/broadcasts.asyncapi.yaml), generated with
// json-schema-to-typescript: one interface per component schema, and `BroadcastEvents`, which maps
// each event name to its payload type.
import { readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { compile } from 'json-schema-to-typescript'
import type { JSONSchema } from 'json-schema-to-typescript'
import { parse } from 'yaml'

interface AsyncApiDocument {
  components: {
    messages: Record<string, { name: string; payload: { $ref: string } }>
    schemas: Record<string, Record<string, unknown>>
  }
}

export async function broadcastTypes(file: string): Promise<string> {
  const doc = parse(readFileSync(file, 'utf8')) as AsyncApiDocument
  // A title names each component's interface; references to them then reuse that name.
  const schemas = Object.fromEntries(
    Object.entries(doc.components.schemas).map(([name, schema]) => [
      name,
      { ...schema, title: name },
    ])
  )
  const events = Object.values(doc.components.messages)
  const root = {
    title: 'BroadcastEvents',
    description: 'Each broadcast event name and the type of its payload.',
    type: 'object',
    required: events.map((message) => message.name),
    additionalProperties: false,
    properties: Object.fromEntries(events.map((message) => [message.name, message.payload])),
    components: { schemas },
  }
  return compile(root as JSONSchema, 'BroadcastEvents', {
    cwd: dirname(file),
    bannerComment: '',
    additionalProperties: false,
    unreachableDefinitions: false,
    style: { singleQuote: true, semi: false, printWidth: 100, trailingComma: 'es5' },
  })
}
