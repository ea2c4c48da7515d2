// Schema-driven fuzzing of every route and control route: seeded, bounded requests built from the
// contracts' parameters and bodies, valid and broken (wrong types, junk ids, control characters,
// mismatched content types). The mock may refuse them in any documented way, never with a 5xx.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { isRecord } from './records.ts'
import { resolveRef } from './testing/spec-ref.ts'
import { seeded } from './testing/seeded.ts'
import { parse } from 'yaml'
import { createTestMock, IDS } from './testing/harness.ts'
import type { TestMock } from './testing/harness.ts'

type Obj = Record<string, unknown>

const SEED = 20201208
const REQUESTS_PER_OPERATION = 100

const readSpec = (file: string) =>
  parse(readFileSync(new URL(`../openapi/${file}`, import.meta.url), 'utf8')) as Obj

interface Operation {
  method: string
  path: string
  params: Obj[]
  body: { type: string; schema: unknown } | undefined
  doc: Obj
}

function operations(file: string): Operation[] {
  const doc = readSpec(file)
  const out: Operation[] = []
  for (const [path, item] of Object.entries(doc['paths'] as Obj)) {
    if (!isRecord(item)) {
      continue
    }
    const shared: unknown[] = Array.isArray(item['parameters']) ? item['parameters'] : []
    for (const method of ['get', 'post', 'put', 'delete']) {
      const op = item[method]
      if (!isRecord(op)) {
        continue
      }
      const own: unknown[] = Array.isArray(op['parameters']) ? op['parameters'] : []
      const params = [...shared, ...own].map((p) => resolveRef(doc, p)).filter(isRecord)
      const requestBody = resolveRef(doc, op['requestBody'])
      const content =
        isRecord(requestBody) && isRecord(requestBody['content']) ? requestBody['content'] : {}
      const [type, media] = Object.entries(content)[0] ?? []
      out.push({
        method: method.toUpperCase(),
        path,
        params,
        body:
          type === undefined ? undefined : { type, schema: isRecord(media) ? media['schema'] : {} },
        doc,
      })
    }
  }
  return out
}

const JUNK = [
  '',
  'x',
  '\u0000',
  '%00',
  '../..',
  'ZOË',
  '😀'.repeat(40),
  'a'.repeat(300),
  '-1',
  '1e309',
  'null',
  '{}',
  "'; DROP TABLE users; --",
  IDS.john.toUpperCase(),
]
const KNOWN_IDS = [
  IDS.testParty,
  IDS.johnJairo,
  IDS.johnJane,
  IDS.janesCall,
  IDS.jane,
  IDS.john,
  IDS.inviteZ,
]

function fuzzer(random: () => number) {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T
  const chance = (p: number) => random() < p

  /** A value for `schema`, or (sometimes) something of another type. */
  function value(doc: Obj, schema: unknown, depth = 0): unknown {
    const s = resolveRef(doc, schema)
    if (!isRecord(s) || depth > 6 || chance(0.08)) {
      return pick([
        null,
        true,
        0,
        -1,
        1.5,
        'text',
        '',
        [],
        {},
        JUNK[Math.floor(random() * JUNK.length)],
      ])
    }
    if ('const' in s) {
      return s['const']
    }
    if (Array.isArray(s['enum'])) {
      return pick(s['enum'])
    }
    for (const key of ['oneOf', 'anyOf']) {
      if (Array.isArray(s[key])) {
        return value(doc, pick(s[key] as unknown[]), depth + 1)
      }
    }
    if (Array.isArray(s['allOf'])) {
      return Object.assign(
        {},
        ...(s['allOf'] as unknown[]).map((part) => value(doc, part, depth + 1))
      )
    }
    const type = Array.isArray(s['type']) ? pick(s['type'] as string[]) : s['type']
    switch (type) {
      case 'object': {
        const out: Obj = {}
        for (const [key, prop] of Object.entries(
          isRecord(s['properties']) ? s['properties'] : {}
        )) {
          if (chance(0.8)) {
            out[key] = value(doc, prop, depth + 1)
          }
        }
        if (chance(0.1)) {
          out[pick(JUNK)] = pick(JUNK)
        }
        return out
      }
      case 'array':
        return Array.from({ length: Math.floor(random() * 4) }, () =>
          value(doc, s['items'], depth + 1)
        )
      case 'integer':
        return pick([0, 1, 3, 100, -5, 2 ** 53, Math.floor(random() * 1000)])
      case 'number':
        return pick([0, 0.5, 11, -1, 1e308, random() * 100])
      case 'boolean':
        return chance(0.5)
      case 'string':
        return s['format'] === 'uuid'
          ? pick([...KNOWN_IDS, ...JUNK])
          : pick(['2020-12-08T06:25:00Z', 'john', ...JUNK])
      default:
        return pick(JUNK)
    }
  }

  function pathValue(name: string): string {
    const pools: Record<string, string[]> = {
      code: ['ZAJOR26J', '7EIFRXXP', 'zajor26j'],
      alias: ['user', 'thread'],
      size: ['sm', 'md', 'lg', 'xl'],
      image: ['default.png', 'img_5fcee7c1e64404.55920965.jpg', '1.png'],
      query: ['jo', 'doe', 'zoë'],
      name: ['fuzz', 'main'],
    }
    const pool = pools[name] ?? KNOWN_IDS
    return encodeURIComponent(chance(0.7) ? pick(pool) : pick(JUNK))
  }

  function request(op: Operation): Request {
    const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => pathValue(name) || 'x')
    const url = new URL(`http://localhost:8000${path}`)
    const headers = new Headers({ Accept: 'application/json' })
    if (chance(0.85)) {
      headers.set('Authorization', `Bearer ${pick(['john', 'jane', 'jairo', 'nobody'])}`)
    }
    for (const param of op.params) {
      if (param['in'] === 'query' && chance(0.7)) {
        url.searchParams.set(String(param['name']), String(value(op.doc, param['schema'])))
      }
    }
    if (chance(0.3)) {
      headers.set('X-Mock-Sandbox', pick(['fuzz-a', 'fuzz-b', 'main', 'bad name', '']))
    }
    let body: RequestInit['body']
    if (op.method !== 'GET' && op.method !== 'DELETE') {
      const type = chance(0.75)
        ? (op.body?.type ?? 'application/json')
        : pick([
            'application/json',
            'multipart/form-data',
            'application/x-www-form-urlencoded',
            'text/plain',
            'multipart/form-data; boundary=x',
          ])
      if (type.startsWith('multipart/form-data') && chance(0.6)) {
        const form = new FormData()
        form.append(
          'image',
          chance(0.5) ? new File([new Uint8Array(Math.floor(random() * 64))], 'a.png') : pick(JUNK)
        )
        body = form
      } else {
        const payload = chance(0.9)
          ? JSON.stringify(value(op.doc, op.body?.schema ?? {}))
          : pick(JUNK)
        headers.set('Content-Type', type)
        body = payload
      }
    }
    return new Request(url, { method: op.method, headers, ...(body === undefined ? {} : { body }) })
  }

  return { request }
}

const ALL = [...operations('openapi.yaml'), ...operations('mock-control.yaml')]

describe('fuzzing every operation from the contracts', () => {
  it(`answers ${ALL.length * REQUESTS_PER_OPERATION} seeded requests without a server error`, async () => {
    const { request } = fuzzer(seeded(SEED))
    const errors: string[] = []
    let sent = 0
    let mock: TestMock = createTestMock()
    for (const op of ALL) {
      for (let i = 0; i < REQUESTS_PER_OPERATION; i++) {
        // A fresh world now and then, so earlier requests cannot starve later ones of state.
        if (sent % 250 === 0) {
          mock.worlds.close()
          mock = createTestMock()
        }
        const req = request(op)
        const described = `${req.method} ${new URL(req.url).pathname}`
        const res = await mock.app.fetch(req)
        await res.arrayBuffer()
        sent++
        if (res.status >= 500) {
          errors.push(`${described} → ${res.status}`)
        }
      }
    }
    mock.worlds.close()
    expect(sent).toBe(ALL.length * REQUESTS_PER_OPERATION)
    expect(errors).toEqual([])
  }, 240_000)
})
