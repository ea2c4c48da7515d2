// The app's routes must not drift from the hand-written contract: the OpenAPI document the app emits
// (from its @hono/zod-openapi route declarations) is compared with openapi/*.yaml.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { createTestMock } from './testing/harness.ts'

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const METHODS = ['get', 'put', 'post', 'delete', 'patch']

interface OperationShape {
  operationId: unknown
  parameters: string[]
  body: { required: boolean; contentTypes: string[]; requiredFields: string[] } | null
  statuses: string[]
}

function resolve(doc: Obj, value: unknown): unknown {
  if (isObj(value) && typeof value['$ref'] === 'string') {
    let node: unknown = doc
    for (const part of value['$ref'].slice(2).split('/')) {
      node = isObj(node) ? node[part] : undefined
    }
    return resolve(doc, node)
  }
  return value
}

/** Required property names of a (possibly composed) object schema. */
function requiredFields(doc: Obj, schema: unknown): string[] {
  const resolved = resolve(doc, schema)
  if (!isObj(resolved)) {
    return []
  }
  const own = Array.isArray(resolved['required']) ? (resolved['required'] as string[]) : []
  const parts = Array.isArray(resolved['allOf'])
    ? resolved['allOf'].flatMap((s) => requiredFields(doc, s))
    : []
  return [...own, ...parts].sort()
}

function shapes(doc: Obj): Map<string, OperationShape> {
  const out = new Map<string, OperationShape>()
  for (const [path, item] of Object.entries(doc['paths'] as Obj)) {
    if (!isObj(item)) {
      continue
    }
    const shared = Array.isArray(item['parameters']) ? (item['parameters'] as unknown[]) : []
    for (const method of METHODS) {
      const op = item[method]
      if (!isObj(op)) {
        continue
      }
      const own = Array.isArray(op['parameters']) ? (op['parameters'] as unknown[]) : []
      const params = [...shared, ...own]
        .map((p) => resolve(doc, p))
        .filter(isObj)
        .map(
          (p) =>
            `${String(p['in'])}:${String(p['name'])}:${p['required'] === true ? 'required' : 'optional'}`
        )
        .sort()
      const body = resolve(doc, op['requestBody'])
      const content = isObj(body) && isObj(body['content']) ? body['content'] : {}
      const first = Object.values(content)[0]
      out.set(`${method.toUpperCase()} ${path}`, {
        operationId: op['operationId'],
        parameters: params,
        body: isObj(body)
          ? {
              required: body['required'] === true,
              contentTypes: Object.keys(content).sort(),
              requiredFields: isObj(first) ? requiredFields(doc, first['schema']) : [],
            }
          : null,
        statuses: Object.keys(isObj(op['responses']) ? op['responses'] : {}).sort(),
      })
    }
  }
  return out
}

const readSpec = (file: string) =>
  parse(readFileSync(new URL(`../openapi/${file}`, import.meta.url), 'utf8')) as Obj
const expected = new Map([
  ...shapes(readSpec('openapi.yaml')),
  ...shapes(readSpec('mock-control.yaml')),
])
const emitted = shapes(
  createTestMock().app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: { title: 'emitted', version: '0' },
  }) as unknown as Obj
)

describe('the routes the app declares', () => {
  it('are exactly the operations of openapi.yaml and mock-control.yaml', () => {
    expect([...emitted.keys()].sort()).toEqual([...expected.keys()].sort())
  })

  it.each([...expected.keys()].sort())('%s matches the contract', (key) => {
    expect(emitted.get(key)).toEqual(expected.get(key))
  })
})
