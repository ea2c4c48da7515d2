// Test helper: validates a mock response body against the contract's schema for its operation.
import { readFileSync } from 'node:fs'
import { Ajv2020 } from 'ajv/dist/2020.js'
import type { ValidateFunction } from 'ajv/dist/2020.js'
import addFormatsPlugin from 'ajv-formats'
import { expect } from 'vitest'
import { parse } from 'yaml'

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const escape = (s: string) => s.replaceAll('~', '~0').replaceAll('/', '~1')

let state: { ajv: Ajv2020; spec: Obj; operations: Map<string, string> } | undefined

/**
 * Ajv (JSON Schema 2020-12, formats on, strict) holding a whole OpenAPI 3.1 document as schema
 * "spec", so `spec#/components/schemas/Call` and operation schemas resolve with their $refs.
 */
export function createSpecAjv(spec: Obj): Ajv2020 {
  // strictRequired off: composed schemas require properties their allOf parts define.
  const ajv = new Ajv2020({
    strict: true,
    strictRequired: false,
    allowUnionTypes: true,
    allErrors: true,
  })
  addFormatsPlugin.default(ajv)
  ajv.addFormat('binary', true)
  for (const keyword of [
    'openapi',
    'info',
    'paths',
    'servers',
    'tags',
    'security',
    'components',
    'example',
  ]) {
    ajv.addKeyword(keyword)
  }
  ajv.addSchema(spec, 'spec')
  return ajv
}

function load() {
  if (state) {
    return state
  }
  const spec = parse(
    readFileSync(new URL('../../openapi/openapi.yaml', import.meta.url), 'utf8')
  ) as Obj
  const ajv = createSpecAjv(spec)
  const operations = new Map<string, string>()
  for (const [path, item] of Object.entries(spec['paths'] as Obj)) {
    for (const [method, op] of Object.entries(item as Obj)) {
      if (isObj(op) && typeof op['operationId'] === 'string') {
        operations.set(op['operationId'], `/paths/${escape(path)}/${method}`)
      }
    }
  }
  state = { ajv, spec, operations }
  return state
}

function responseSchemaRef(operationId: string, status: number): string {
  const { spec, operations } = load()
  const base = operations.get(operationId)
  if (!base) {
    throw new Error(`No operation ${operationId} in openapi.yaml`)
  }
  let node: unknown = spec
  for (const part of `${base}/responses/${status}`.slice(1).split('/')) {
    node = isObj(node) ? node[part.replaceAll('~1', '/').replaceAll('~0', '~')] : undefined
  }
  if (!isObj(node)) {
    throw new Error(`${operationId} does not document status ${status}`)
  }
  const ref =
    typeof node['$ref'] === 'string' ? node['$ref'].slice(1) : `${base}/responses/${status}`
  return `spec#${ref}/content/application~1json/schema`
}

const compiled = new Map<string, ValidateFunction>()

/** The schema errors of `body` as the response `status` of `operationId` (empty when valid). */
export function responseErrors(operationId: string, status: number, body: unknown): string[] {
  const ref = responseSchemaRef(operationId, status)
  let check = compiled.get(ref)
  if (!check) {
    const found = load().ajv.getSchema(ref)
    if (!found) {
      throw new Error(`No schema at ${ref}`)
    }
    check = found
    compiled.set(ref, check)
  }
  return check(body)
    ? []
    : (check.errors ?? []).map(
        (e) => `${e.instancePath || '/'} ${e.message ?? ''} (${e.schemaPath})`
      )
}

/** Asserts that `body` is a valid `status` response of `operationId` per the contract. */
export function expectValidResponse(operationId: string, status: number, body: unknown): void {
  expect(responseErrors(operationId, status, body), `${operationId} ${status} response`).toEqual([])
}
