// The contract's own tests: complete, exact, valid, and every example valid against its schema.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { readSeeds } from '../scripts/seeds.ts'
import { createSpecAjv } from '../src/testing/spec-validator.ts'
import { HTTP_METHODS, documentedPairs, readSpec } from '../scripts/spec-file.ts'
import type { Json } from '../scripts/spec-file.ts'

const specFile = fileURLToPath(new URL('./openapi.yaml', import.meta.url))
const spec = readSpec(specFile)
const seeds = readSeeds(fileURLToPath(new URL('../fixtures/source-documents/', import.meta.url)))

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

const ajv = createSpecAjv(spec)

const escape = (segment: string) => segment.replaceAll('~', '~0').replaceAll('/', '~1')

interface ExampleSite {
  label: string
  schemaRef: string
  value: Json
}

function deref(value: unknown): unknown {
  if (isObj(value) && typeof value['$ref'] === 'string') {
    const parts = value['$ref'].slice(2).split('/')
    let node: unknown = spec
    for (const part of parts) {
      node = isObj(node) ? node[part.replaceAll('~1', '/').replaceAll('~0', '~')] : undefined
    }
    return node
  }
  return value
}

/** Every example (request bodies, responses, parameters) with the JSON pointer of its schema. */
function exampleSites(): ExampleSite[] {
  const sites: ExampleSite[] = []
  const fromContent = (content: unknown, base: string, label: string) => {
    if (!isObj(content)) {
      return
    }
    for (const [type, media] of Object.entries(content)) {
      if (!isObj(media) || !isObj(media['examples'])) {
        continue
      }
      for (const [name, example] of Object.entries(media['examples'])) {
        const resolved = deref(example)
        if (isObj(resolved) && 'value' in resolved) {
          sites.push({
            label: `${label} ${type} example "${name}"`,
            schemaRef: `spec#${base}/content/${escape(type)}/schema`,
            value: resolved['value'] as Json,
          })
        }
      }
    }
  }
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of HTTP_METHODS) {
      const op = item[method]
      if (!isObj(op)) {
        continue
      }
      const base = `/paths/${escape(path)}/${method}`
      const label = `${method.toUpperCase()} ${path}`
      if (isObj(op['requestBody'])) {
        fromContent(op['requestBody']['content'], `${base}/requestBody`, `${label} request`)
      }
      for (const [status, response] of Object.entries(
        isObj(op['responses']) ? op['responses'] : {}
      )) {
        if (isObj(response) && typeof response['$ref'] === 'string') {
          fromContent(
            (deref(response) as Obj)['content'],
            response['$ref'].slice(1),
            `${label} ${status}`
          )
        } else if (isObj(response)) {
          fromContent(response['content'], `${base}/responses/${status}`, `${label} ${status}`)
        }
      }
    }
  }
  return sites
}

function validate(schemaRef: string, value: unknown): string[] {
  const check = ajv.getSchema(schemaRef)
  if (!check) {
    throw new Error(`no schema at ${schemaRef}`)
  }
  return check(value) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`)
}

const sites = exampleSites()

describe('openapi/openapi.yaml examples', () => {
  it('has examples to check', () => {
    expect(sites.length).toBeGreaterThan(60)
  })

  it.each(sites.map((s) => [s.label, s] as const))(
    '%s validates against its schema',
    (_l, site) => {
      expect(validate(site.schemaRef, site.value)).toEqual([])
    }
  )
})

/** Mutations of every leaf of a documented example; each must fail validation. */
function leafMutants(value: Json, path = ''): { path: string; kind: string; mutant: Json }[] {
  const out: { path: string; kind: string; mutant: Json }[] = []
  const replaceAt = (root: Json, at: string[], next: Json | undefined): Json => {
    const copy = structuredClone(root)
    let node: Json = copy
    for (const key of at.slice(0, -1)) {
      node = (node as Record<string, Json>)[key] as Json
    }
    const last = at[at.length - 1] ?? ''
    if (next === undefined) {
      Reflect.deleteProperty(node as Record<string, Json>, last)
    } else {
      ;(node as Record<string, Json>)[last] = next
    }
    return copy
  }
  const walk = (node: Json, at: string[]) => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => {
        walk(item, [...at, String(i)])
      })
      return
    }
    if (isObj(node)) {
      for (const [key, child] of Object.entries(node)) {
        walk(child, [...at, key])
      }
      return
    }
    const where = `${path}/${at.join('/')}`
    const wrongType: Json =
      typeof node === 'number' ? 'x' : typeof node === 'string' ? true : node === null ? 42 : 'true'
    out.push({ path: where, kind: 'wrong type', mutant: replaceAt(value, at, wrongType) })
    if (typeof node === 'string') {
      if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(node)) {
        out.push({
          path: where,
          kind: 'malformed uuid',
          mutant: replaceAt(value, at, node.slice(0, -1) + 'z'),
        })
      }
      if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000000Z$/.test(node)) {
        out.push({
          path: where,
          kind: 'malformed date-time',
          mutant: replaceAt(value, at, node.replace('T', ' ')),
        })
      }
      if (/^[A-Z_]+$/.test(node) && node.length > 3) {
        out.push({
          path: where,
          kind: 'value outside enum',
          mutant: replaceAt(value, at, 'BOGUS_VALUE'),
        })
      }
    }
  }
  walk(value, [])
  return out
}

/** Required keys of the documented body's top level and one level down, removed one at a time. */
function missingKeyMutants(value: Json): { path: string; mutant: Json }[] {
  const out: { path: string; mutant: Json }[] = []
  const target = Array.isArray(value) ? value[0] : value
  if (!isObj(target)) {
    return out
  }
  for (const key of Object.keys(target)) {
    const mutant: Json = structuredClone(value)
    const node = (Array.isArray(mutant) ? mutant[0] : mutant) as Record<string, Json>
    Reflect.deleteProperty(node, key)
    out.push({ path: `/${Array.isArray(value) ? '0/' : ''}${key}`, mutant })
  }
  return out
}

const documentedSites = sites.filter(
  (s) => s.label.includes('example "documented"') && !s.label.includes('request')
)

describe('broken copies of the documented examples fail validation', () => {
  it.each(documentedSites.map((s) => [s.label, s] as const))(
    '%s: every leaf mutation fails',
    (_l, site) => {
      const mutants = leafMutants(site.value)
      const passed = mutants.filter((m) => validate(site.schemaRef, m.mutant).length === 0)
      expect(passed.map((m) => `${m.kind} at ${m.path}`)).toEqual([])
    }
  )

  it.each(documentedSites.map((s) => [s.label, s] as const))(
    '%s: dropping any documented key fails (except deleted_at on invites)',
    (_l, site) => {
      const passed = missingKeyMutants(site.value)
        .filter((m) => validate(site.schemaRef, m.mutant).length === 0)
        .map((m) => m.path)
      // `deleted_at` is absent from a freshly created invite, so it is optional in Invite.
      expect(passed.filter((p) => !p.endsWith('/deleted_at'))).toEqual([])
    }
  )

  it('a call with options but ended, or active without options, fails', () => {
    const show = sites.find(
      (s) =>
        s.label ===
        'GET /api/messenger/threads/{thread}/calls/{call} 200 application/json example "documented"'
    )
    expect(show).toBeDefined()
    if (!show) {
      return
    }
    const ended = { ...(show.value as Obj), active: false }
    expect(validate(show.schemaRef, ended)).not.toEqual([])
    const { options: _options, ...withoutOptions } = show.value as Obj
    expect(validate(show.schemaRef, withoutOptions)).not.toEqual([])
  })
})

const operations = Object.entries(spec.paths).flatMap(([path, item]) =>
  HTTP_METHODS.filter((m) => isObj(item[m])).map((m) => ({
    method: m.toUpperCase(),
    path,
    op: item[m] as Obj,
  }))
)

describe('operations', () => {
  it('are exactly the documented ones plus the calls page, image and broadcasting auth routes', () => {
    const documented = seeds.map((s) => `${s.method} ${s.path.replace('{invite:code}', '{code}')}`)
    const extra = [
      'GET /api/messenger/threads/{thread}/calls/page/{call}',
      'GET /api/messenger/images/{alias}/{id}/{size}/{image}',
      'GET /images/{alias}/{id}/{size}/{image}',
      'GET /api/messenger/threads/{thread}/avatar/{size}/{image}',
      'GET /messenger/threads/{thread}/avatar/{size}/{image}',
      'POST /messenger/broadcasting/auth',
    ]
    expect(documented).toHaveLength(24)
    expect(operations.map((o) => `${o.method} ${o.path}`).sort()).toEqual(
      [...documented, ...extra].sort()
    )
  })

  it('each has a unique operationId, one tag, a summary and a description', () => {
    const ids = operations.map((o) => o.op['operationId'])
    expect(new Set(ids).size).toBe(ids.length)
    for (const { op } of operations) {
      expect(op['tags']).toHaveLength(1)
      expect(typeof op['summary']).toBe('string')
      expect(String(op['description']).length).toBeGreaterThan(40)
    }
  })

  it('only the invite view and the public image route are open to guests', () => {
    const open = operations
      .filter((o) => Array.isArray(o.op['security']))
      .map((o) => `${o.method} ${o.path}`)
    expect(open.sort()).toEqual([
      'GET /api/messenger/join/{code}',
      'GET /images/{alias}/{id}/{size}/{image}',
    ])
  })
})

describe('documented pairs', () => {
  const pairs = documentedPairs(spec)

  it.each(seeds.map((s) => [`${s.method} ${s.path}`, s] as const))(
    '%s is embedded verbatim',
    (_l, seed) => {
      const path = seed.path.replace('{invite:code}', '{code}')
      const pair = pairs.find((p) => p.method === seed.method && p.path === path)
      expect(pair, 'no documented example on the operation').toBeDefined()
      expect(pair?.response.body).toEqual(seed.response)
      if (seed.payload !== undefined) {
        expect(pair?.request?.body).toEqual(seed.payload)
      }
    }
  )

  it('use 201 for the four creating operations and 200 otherwise', () => {
    const created = pairs.filter((p) => p.response.status === 201).map((p) => p.operationId)
    expect(created.sort()).toEqual(['joinCall', 'joinWithInvite', 'storeCall', 'storeInvite'])
    expect(pairs.filter((p) => p.response.status === 200)).toHaveLength(20)
  })

  it('fixtures/documented-pairs.json is the spec-derived copy, not a hand-kept one', () => {
    const file = fileURLToPath(new URL('../fixtures/documented-pairs.json', import.meta.url))
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(pairs)
  })

  it('the vendored source documents equal ../shared/seeds when present', async () => {
    const { existsSync } = await import('node:fs')
    const shared = fileURLToPath(new URL('../../shared/seeds/', import.meta.url))
    if (!existsSync(shared)) {
      return
    }
    const key = (p: { method: string; path: string }) => `${p.method} ${p.path}`
    const sorted = (list: typeof seeds) => [...list].sort((a, b) => key(a).localeCompare(key(b)))
    expect(sorted(readSeeds(shared))).toEqual(sorted(seeds))
  })
})
