// Reads the contract and lists its documented request/response pairs (the examples named `documented`).
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

export interface SpecDocument {
  paths: Record<string, Record<string, unknown>>
  components?: Record<string, unknown>
  [key: string]: unknown
}

export interface DocumentedPairFixture {
  operationId: string
  method: string
  path: string
  request?: { contentType: string; body: Json }
  response: { status: number; contentType: string; body: Json }
}

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const

export function readSpec(file: string): SpecDocument {
  return parse(readFileSync(file, 'utf8')) as SpecDocument
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function documentedExample(content: unknown): { contentType: string; body: Json } | undefined {
  if (!isRecord(content)) {
    return undefined
  }
  for (const [contentType, media] of Object.entries(content)) {
    if (isRecord(media) && isRecord(media['examples'])) {
      const example = media['examples']['documented']
      if (isRecord(example) && 'value' in example) {
        return { contentType, body: example['value'] as Json }
      }
    }
  }
  return undefined
}

/** Follows a local `$ref` ("#/components/responses/Success") to the object it names. */
export function resolveRef(spec: SpecDocument, value: unknown): unknown {
  if (!isRecord(value) || typeof value['$ref'] !== 'string' || !value['$ref'].startsWith('#/')) {
    return value
  }
  let node: unknown = spec
  for (const part of value['$ref'].slice(2).split('/')) {
    node = isRecord(node) ? node[part.replaceAll('~1', '/').replaceAll('~0', '~')] : undefined
  }
  return node
}

/** Every operation's `documented` response example, with its `documented` request example if any. */
export function documentedPairs(spec: SpecDocument): DocumentedPairFixture[] {
  const pairs: DocumentedPairFixture[] = []
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method]
      if (!isRecord(operation) || !isRecord(operation['responses'])) {
        continue
      }
      for (const [status, declared] of Object.entries(operation['responses'])) {
        const response = resolveRef(spec, declared)
        const example = isRecord(response) ? documentedExample(response['content']) : undefined
        if (!example) {
          continue
        }
        const body = isRecord(operation['requestBody'])
          ? documentedExample(operation['requestBody']['content'])
          : undefined
        pairs.push({
          operationId: String(operation['operationId']),
          method: method.toUpperCase(),
          path,
          ...(body ? { request: body } : {}),
          response: { status: Number(status), ...example },
        })
      }
    }
  }
  return pairs
}
