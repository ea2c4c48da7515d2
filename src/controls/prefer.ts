// Prism 5's `Prefer` header on the Messenger API: `Prefer: code=404`, `example=NAME`,
// `dynamic=true` (and `seed=`), comma-separated, or the query fallback `__code`, `__example`,
// `__dynamic`, `__seed` when no Prefer header is sent. The answer comes from the contract's
// documented responses (their examples, headers and content type), or, with dynamic=true, from
// json-schema-faker over the response's schema. Choosing it reads the spec; nothing in the world
// changes.
import { specObject } from '../docs/specs.ts'
import { formatTimestamp } from '../world/time.ts'

export interface Preferences {
  code?: number
  example?: string
  dynamic?: boolean
  seed?: string
}

export type PreferResult =
  { ok: true; prefer: Preferences | undefined } | { ok: false; problem: string }

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Splits `code=404, example="x"; dynamic=true` into its preferences (keys lower-cased). */
function parsePreferHeader(header: string): Map<string, string> {
  const found = new Map<string, string>()
  for (const part of header.split(/[,;]/)) {
    const eq = part.indexOf('=')
    const key = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase()
    const value =
      eq < 0
        ? ''
        : part
            .slice(eq + 1)
            .trim()
            .replace(/^"(.*)"$/, '$1')
    // RFC 7240: the first occurrence of a preference wins.
    if (key !== '' && !found.has(key)) {
      found.set(key, value)
    }
  }
  return found
}

/**
 * The preferences of a request; undefined when it asks for nothing this mock forces. Unknown
 * preferences (`return=minimal`, `respond-async`) are ignored, as RFC 7240 asks.
 */
export function readPreferences(header: string | undefined, query: URLSearchParams): PreferResult {
  const raw =
    header !== undefined
      ? parsePreferHeader(header)
      : new Map(
          ['code', 'example', 'dynamic', 'seed'].flatMap((key) => {
            const value = query.get(`__${key}`)
            return value === null ? [] : [[key, value] as const]
          })
        )
  const prefer: Preferences = {}
  const code = raw.get('code')
  if (code !== undefined) {
    if (!/^[1-5]\d\d$/.test(code)) {
      return {
        ok: false,
        problem: `The code preference must be a three-digit status, not "${code}".`,
      }
    }
    prefer.code = Number(code)
  }
  const dynamic = raw.get('dynamic')
  if (dynamic !== undefined) {
    if (dynamic !== 'true' && dynamic !== 'false') {
      return {
        ok: false,
        problem: `The dynamic preference must be true or false, not "${dynamic}".`,
      }
    }
    prefer.dynamic = dynamic === 'true'
  }
  const example = raw.get('example')
  if (example !== undefined) {
    prefer.example = example
  }
  const seed = raw.get('seed')
  if (seed !== undefined) {
    prefer.seed = seed
  }
  const forces =
    prefer.code !== undefined || prefer.example !== undefined || prefer.dynamic === true
  return { ok: true, prefer: forces ? prefer : undefined }
}

export interface ForcedResponse {
  status: number
  headers: Record<string, string>
  /** The JSON body; undefined for a response the contract documents without content. */
  body: unknown
}

export type Forced = { ok: true; response: ForcedResponse } | { ok: false; problem: string }

function resolve(spec: Obj, value: unknown): unknown {
  if (isObj(value) && typeof value['$ref'] === 'string' && value['$ref'].startsWith('#/')) {
    let node: unknown = spec
    for (const part of value['$ref'].slice(2).split('/')) {
      node = isObj(node) ? node[part.replaceAll('~1', '/').replaceAll('~0', '~')] : undefined
    }
    return resolve(spec, node)
  }
  return value
}

const escapePointer = (s: string) => s.replaceAll('~', '~0').replaceAll('/', '~1')

interface Documented {
  spec: Obj
  pathItem: Obj
  /** JSON pointer of the operation (`#/paths/~1api~1messenger/get`). */
  pointer: string
  responses: Obj
  /** Documented statuses, success first then ascending (Prism's order for `example=`). */
  statuses: string[]
}

async function documented(method: string, template: string): Promise<Documented | undefined> {
  const spec = await specObject('messenger')
  const pathItem = isObj(spec['paths']) ? spec['paths'][template] : undefined
  const op = isObj(pathItem) ? pathItem[method.toLowerCase()] : undefined
  if (!isObj(pathItem) || !isObj(op) || !isObj(op['responses'])) {
    return undefined
  }
  const statuses = Object.keys(op['responses']).sort((a, b) => {
    const rank = (s: string) => (s.startsWith('2') ? 0 : 1)
    return rank(a) - rank(b) || a.localeCompare(b)
  })
  return {
    spec,
    pathItem,
    pointer: `#/paths/${escapePointer(template)}/${method.toLowerCase()}`,
    responses: op['responses'],
    statuses,
  }
}

function examplesOf(doc: Documented, status: string): [string, unknown][] {
  const response = resolve(doc.spec, doc.responses[status])
  const content = isObj(response) && isObj(response['content']) ? response['content'] : {}
  const json = content['application/json']
  const examples = isObj(json) && isObj(json['examples']) ? json['examples'] : {}
  return Object.entries(examples).map(([name, example]) => {
    const resolved = resolve(doc.spec, example)
    return [name, isObj(resolved) ? resolved['value'] : undefined]
  })
}

// Headers the contract documents without a value: what the real backend would send.
function headerValue(doc: Documented, name: string, header: unknown): string | undefined {
  const resolved = resolve(doc.spec, header)
  const schema = isObj(resolved) ? resolve(doc.spec, resolved['schema']) : undefined
  const example =
    (isObj(resolved) ? resolved['example'] : undefined) ??
    (isObj(schema) && Array.isArray(schema['examples'])
      ? (schema['examples'] as unknown[])[0]
      : undefined)
  if (typeof example === 'string' || typeof example === 'number') {
    return String(example)
  }
  if (name.toLowerCase() === 'allow') {
    const methods = Object.keys(doc.pathItem)
      .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .flatMap((m) => (m === 'get' ? ['GET', 'HEAD'] : [m.toUpperCase()]))
    return methods.join(', ')
  }
  return undefined
}

// Seeds are any text (as in Prism); json-schema-faker wants a number.
function seedNumber(seed: string): number {
  let hash = 2166136261
  for (const char of seed) {
    hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0
  }
  return hash
}

// Two rewrites that mean the same to a validator, for json-schema-faker: it merges a `true`
// property schema (JSON Schema's "anything", used in the contract's if/then/else to say a property
// is present) into the value `true`, where `{}` lets the property's own schema generate it; and it
// skips `properties`/`required` beside an `allOf`, which as one more `allOf` member it keeps. And
// a `uri` with a path pattern (an invite's route) is generated from the pattern after an origin.
function forFaker(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(forFaker)
  }
  if (!isObj(value)) {
    return value
  }
  const out: Obj = {}
  for (const [key, child] of Object.entries(value)) {
    out[key] =
      key === 'properties' && isObj(child)
        ? Object.fromEntries(
            Object.entries(child).map(([name, schema]) => [
              name,
              schema === true ? {} : forFaker(schema),
            ])
          )
        : forFaker(child)
  }
  const pattern = out['pattern']
  if (out['format'] === 'uri' && typeof pattern === 'string' && !pattern.startsWith('^')) {
    const { format: _uri, ...rest } = out
    return { ...rest, pattern: `^http://localhost:8000${pattern}` }
  }
  const allOf: unknown = out['allOf']
  if (Array.isArray(allOf) && (out['properties'] !== undefined || out['required'] !== undefined)) {
    const { properties, required, ...rest } = out
    return { ...rest, allOf: [...(allOf as unknown[]), { type: 'object', properties, required }] }
  }
  return out
}

let fakerRoot: Promise<Obj> | undefined
const fakerSchemas = (spec: Obj): Promise<Obj> =>
  (fakerRoot ??= Promise.resolve({
    paths: forFaker(spec['paths']),
    components: forFaker(spec['components']),
  } as Obj))

async function generated(doc: Documented, status: string, seed: string | undefined) {
  const { generate } = await import('json-schema-faker')
  const root = await fakerSchemas(doc.spec)
  const response = doc.responses[status]
  const base =
    isObj(response) && typeof response['$ref'] === 'string'
      ? response['$ref']
      : `${doc.pointer}/responses/${status}`
  // The spec is the root, so the schema's $refs resolve; timestamps in the API's own format.
  return generate(
    { $ref: `${base}/content/application~1json/schema`, ...root },
    {
      maxDepth: 20,
      ...(seed === undefined ? {} : { seed: seedNumber(seed) }),
      formats: {
        'date-time': (random) => formatTimestamp(Date.UTC(2020, 0, 1) + random.next() * 3e10),
      },
    }
  )
}

/**
 * The documented response that `prefer` picks for an operation (method + contract template), or
 * the problem to answer with a 422 (an undocumented status, an unknown example name).
 */
export async function forcedResponse(
  method: string,
  template: string,
  operationId: string,
  prefer: Preferences
): Promise<Forced> {
  const doc = await documented(method, template)
  if (doc === undefined) {
    return { ok: false, problem: `The contract documents no responses for ${operationId}.` }
  }
  const documentedList = doc.statuses.join(', ')
  let status: string | undefined
  let example: unknown
  if (prefer.code !== undefined) {
    status = String(prefer.code)
    if (!doc.statuses.includes(status)) {
      return {
        ok: false,
        problem: `${operationId} documents no ${status} response; its documented statuses are ${documentedList}.`,
      }
    }
  }
  if (prefer.example !== undefined) {
    const name = prefer.example
    const candidates = status === undefined ? doc.statuses : [status]
    const hit = candidates
      .map((s) => [s, examplesOf(doc, s).find(([n]) => n === name)] as const)
      .find(([, found]) => found !== undefined)
    if (hit === undefined) {
      const names = candidates.flatMap((s) => examplesOf(doc, s).map(([n]) => `${n} (${s})`))
      return {
        ok: false,
        problem: `${operationId} has no example named "${name}"${status === undefined ? '' : ` for ${status}`}; its examples are ${names.join(', ') || 'none'}.`,
      }
    }
    status = hit[0]
    example = hit[1]?.[1]
  }
  status ??= doc.statuses.find((s) => s.startsWith('2')) ?? doc.statuses[0] ?? '200'
  const response = resolve(doc.spec, doc.responses[status])
  const content = isObj(response) && isObj(response['content']) ? response['content'] : {}
  const types = Object.keys(content)
  if (types.length > 0 && !types.includes('application/json')) {
    return {
      ok: false,
      problem: `${operationId} answers ${status} with ${types.join(' or ')}, which the mock cannot force; send the request without Prefer to get the image.`,
    }
  }
  const headers: Record<string, string> = {}
  const documentedHeaders = isObj(response) && isObj(response['headers']) ? response['headers'] : {}
  for (const [name, header] of Object.entries(documentedHeaders)) {
    const value = headerValue(doc, name, header)
    if (value !== undefined) {
      headers[name] = value
    }
  }
  let body: unknown
  if (types.length > 0) {
    if (prefer.dynamic === true) {
      body = await generated(doc, status, prefer.seed)
    } else {
      body =
        example ?? examplesOf(doc, status)[0]?.[1] ?? (await generated(doc, status, prefer.seed))
    }
  }
  return { ok: true, response: { status: Number(status), headers, body } }
}
