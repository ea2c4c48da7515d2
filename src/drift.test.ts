// The app's routes must not drift from the hand-written contract: the OpenAPI document the app emits
// (from its @hono/zod-openapi route declarations) is compared with openapi/*.yaml, operation by
// operation: parameters, bodies and statuses, and every constraint of the request schemas.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { resolveRef } from './testing/spec-ref.ts'
import { parse } from 'yaml'
import { createTestMock } from './testing/harness.ts'
import { isRecord } from './records.ts'

type Obj = Record<string, unknown>
const METHODS = ['get', 'put', 'post', 'delete', 'patch']

/** What a request schema constrains; descriptions and examples are left out. */
const CONSTRAINTS = [
  'type',
  'enum',
  'const',
  'format',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'additionalProperties',
]

/** The array's items (a copy), or none. */
const list = (value: unknown): unknown[] => (Array.isArray(value) ? [...(value as unknown[])] : [])

const sorted = (value: unknown): unknown =>
  Array.isArray(value) ? list(value).sort((a, b) => String(a).localeCompare(String(b))) : value

/**
 * A schema's constraints as one plain object: references resolved, allOf merged, type lists and
 * enums sorted, properties and items compared in depth.
 */
function constraints(doc: Obj, schema: unknown): Obj {
  const resolved = resolveRef(doc, schema)
  if (!isRecord(resolved)) {
    return {}
  }
  const out: Obj = {}
  for (const part of list(resolved['allOf'])) {
    Object.assign(out, constraints(doc, part))
  }
  for (const key of CONSTRAINTS) {
    if (key in resolved) {
      out[key] = isRecord(resolved[key]) ? constraints(doc, resolved[key]) : sorted(resolved[key])
    }
  }
  const required = [...list(out['required']), ...list(resolved['required'])]
  if (required.length > 0) {
    out['required'] = sorted([...new Set(required)])
  }
  if (isRecord(resolved['properties'])) {
    const properties = isRecord(out['properties']) ? { ...out['properties'] } : {}
    for (const [name, property] of Object.entries(resolved['properties'])) {
      properties[name] = constraints(doc, property)
    }
    out['properties'] = properties
  }
  if ('items' in resolved) {
    out['items'] = constraints(doc, resolved['items'])
  }
  return out
}

interface OperationShape {
  operationId: unknown
  parameters: Obj
  body: Obj | null
  statuses: string[]
}

function shapes(doc: Obj): Map<string, OperationShape> {
  const out = new Map<string, OperationShape>()
  const paths = isRecord(doc['paths']) ? doc['paths'] : {}
  for (const [path, item] of Object.entries(paths)) {
    if (!isRecord(item)) {
      continue
    }
    const shared = list(item['parameters'])
    for (const method of METHODS) {
      const op = item[method]
      if (!isRecord(op)) {
        continue
      }
      const own = list(op['parameters'])
      const parameters: Obj = {}
      for (const p of [...shared, ...own].map((p) => resolveRef(doc, p)).filter(isRecord)) {
        parameters[`${String(p['in'])}:${String(p['name'])}`] = {
          required: p['required'] === true,
          schema: constraints(doc, p['schema']),
        }
      }
      const body = resolveRef(doc, op['requestBody'])
      const content = isRecord(body) && isRecord(body['content']) ? body['content'] : {}
      out.set(`${method.toUpperCase()} ${path}`, {
        operationId: op['operationId'],
        parameters,
        body: isRecord(body)
          ? {
              required: body['required'] === true,
              content: Object.fromEntries(
                Object.entries(content).map(([type, media]) => [
                  type,
                  constraints(doc, isRecord(media) ? media['schema'] : undefined),
                ])
              ),
            }
          : null,
        statuses: Object.keys(isRecord(op['responses']) ? op['responses'] : {}).sort(),
      })
    }
  }
  return out
}

/** Every place where two values differ, as `path: contract … routes …`. */
function differences(path: string, contract: unknown, routes: unknown): string[] {
  if (isRecord(contract) && isRecord(routes)) {
    const keys = [...new Set([...Object.keys(contract), ...Object.keys(routes)])].sort()
    return keys.flatMap((key) => differences(`${path}.${key}`, contract[key], routes[key]))
  }
  return JSON.stringify(contract) === JSON.stringify(routes)
    ? []
    : [`${path}: contract ${JSON.stringify(contract)}, routes ${JSON.stringify(routes)}`]
}

const readSpec = (file: string): Obj => {
  const doc: unknown = parse(readFileSync(new URL(`../openapi/${file}`, import.meta.url), 'utf8'))
  return isRecord(doc) ? doc : {}
}

const contractShapes = (api: Obj, control: Obj) => new Map([...shapes(api), ...shapes(control)])

const api = readSpec('openapi.yaml')
const control = readSpec('mock-control.yaml')
const expected = contractShapes(api, control)
const emitted = shapes(
  createTestMock().app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: { title: 'emitted', version: '0' },
  }) as unknown as Obj
)

// The world document's entries are checked by loadWorld (world/schema.ts), not by the route,
// which declares only what it reads itself: there the body is compared at its top level.
const TOP_LEVEL_BODY = new Set(['PUT /mock/world'])

function topLevel(shape: OperationShape | undefined): OperationShape | undefined {
  if (shape?.body == null || !isRecord(shape.body['content'])) {
    return shape
  }
  const content = Object.fromEntries(
    Object.entries(shape.body['content']).map(([type, schema]) => [
      type,
      isRecord(schema) ? { type: schema['type'], required: schema['required'] } : schema,
    ])
  )
  return { ...shape, body: { ...shape.body, content } }
}

/** The drift between a contract and the routes, for one operation. */
function drift(shapesOf: Map<string, OperationShape>, key: string): string[] {
  const trim = TOP_LEVEL_BODY.has(key) ? topLevel : (shape?: OperationShape) => shape
  return differences(key, trim(shapesOf.get(key)), trim(emitted.get(key)))
}

/** The contract with one schema changed by `change`, found at `path` (keys from the root). */
function mutated(path: string[], change: (schema: Obj) => void): Map<string, OperationShape> {
  const copy = structuredClone(api)
  let node: unknown = copy
  for (const key of path) {
    node = Array.isArray(node) ? node[Number(key)] : isRecord(node) ? node[key] : undefined
  }
  if (!isRecord(node)) {
    throw new Error(`No schema at ${path.join('.')}`)
  }
  change(node)
  return contractShapes(copy, control)
}

describe('the routes the app declares', () => {
  it('are exactly the operations of openapi.yaml and mock-control.yaml', () => {
    expect([...emitted.keys()].sort()).toEqual([...expected.keys()].sort())
  })

  it.each([...expected.keys()].sort())('%s matches the contract', (key) => {
    expect(drift(expected, key)).toEqual([])
  })
})

describe('the drift check', () => {
  const invites = 'POST /api/messenger/threads/{thread}/invites'
  const settings = 'PUT /api/messenger/settings'

  it('sees a changed maximum (invite uses 100 → 200)', () => {
    const uses = ['components', 'schemas', 'InvitePayload', 'properties', 'uses']
    const contract = mutated(uses, (schema) => {
      schema['maximum'] = 200
    })
    expect(drift(contract, invites)).toEqual([
      `${invites}.body.content.application/json.properties.uses.maximum: contract 200, routes 100`,
    ])
  })

  it('sees a changed enum (settings online_status without 2)', () => {
    const contract = mutated(['components', 'schemas', 'OnlineStatus'], (schema) => {
      schema['enum'] = [0, 1]
    })
    expect(drift(contract, settings)).toContain(
      `${settings}.body.content.application/json.properties.online_status.enum: contract [0,1], routes [0,1,2]`
    )
  })

  it('sees a changed pattern (the sandbox header of the control API)', () => {
    const copy = structuredClone(control)
    const name = resolveRef(copy, { $ref: '#/components/schemas/SandboxName' })
    if (!isRecord(name)) {
      throw new Error('No SandboxName schema')
    }
    name['pattern'] = '^[a-z]{1,64}$'
    expect(drift(contractShapes(api, copy), 'GET /mock/world')).toEqual([
      'GET /mock/world.parameters.header:X-Mock-Sandbox.schema.pattern: contract "^[a-z]{1,64}$", routes "^[A-Za-z0-9._-]{1,64}$"',
    ])
  })
})
