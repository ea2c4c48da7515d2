// Validates response bodies against the OpenAPI 3.1 document with its own ajv, apart from the mock.
import { Ajv2020 } from 'ajv/dist/2020.js'
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js'
import addFormatsPlugin from 'ajv-formats'
import type { CheckFailure } from './types.ts'

export interface SpecValidator {
  /** Schema failures of one response; empty when it is valid. Check name 'schema'. */
  validateResponse(
    operationId: string,
    status: number,
    contentType: string,
    body: unknown
  ): CheckFailure[]
  hasOperation(operationId: string): boolean
  /** The explicit status codes documented for an operation ("2XX" and "default" are not listed). */
  documentedStatuses(operationId: string): number[]
}

interface Operation {
  path: string
  method: string
  responses: Record<string, unknown>
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const

// OpenAPI keywords that are not JSON Schema: declared so that strict mode accepts the document.
const OPENAPI_KEYWORDS = [
  'openapi',
  'info',
  'paths',
  'webhooks',
  'servers',
  'tags',
  'security',
  'jsonSchemaDialect',
  'externalDocs',
  'components',
  'example',
  'discriminator',
  'xml',
]

const MAX_REF_HOPS = 10

// ajv-formats is CommonJS; under NodeNext its default import is the module object, whose `default`
// is the plugin itself at runtime and in the types.
const addFormats = addFormatsPlugin.default

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1')
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~')
}

/** A JSON pointer fragment as ajv resolves it: pointer-escaped, then URI-encoded (for "{"). */
function toFragment(segments: readonly string[]): string {
  return segments.map((segment) => encodeURIComponent(escapePointer(segment))).join('/')
}

/** Every "x-…" key anywhere in the document: extensions are legal in OpenAPI, unknown to ajv. */
function extensionKeys(value: unknown, found: Set<string>): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) {
      extensionKeys(item, found)
    }
  } else if (isRecord(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (key.startsWith('x-')) {
        found.add(key)
      }
      extensionKeys(item, found)
    }
  }
  return found
}

/** The instance path in $-notation, using the body to tell array indexes from numeric keys. */
function toDollarPath(instancePath: string, body: unknown, extraKey?: string): string {
  const segments = instancePath === '' ? [] : instancePath.slice(1).split('/').map(unescapePointer)
  if (extraKey !== undefined) {
    segments.push(extraKey)
  }
  let path = '$'
  let current: unknown = body
  for (const segment of segments) {
    if (Array.isArray(current) && /^\d+$/.test(segment)) {
      path += `[${segment}]`
      current = current[Number(segment)] as unknown
    } else {
      path += /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(segment)
        ? `.${segment}`
        : `[${JSON.stringify(segment)}]`
      current = isRecord(current) ? current[segment] : undefined
    }
  }
  return path
}

/** Where each object of the document sits, as a JSON pointer, to name an error's schema. */
function indexLocations(value: unknown, pointer: string, index: WeakMap<object, string>): void {
  if (typeof value !== 'object' || value === null || index.has(value)) {
    return
  }
  index.set(value, pointer)
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((item: unknown, i) => [String(i), item])
    : Object.entries(value)
  for (const [key, item] of entries) {
    indexLocations(item, `${pointer}/${escapePointer(key)}`, index)
  }
}

function toFailure(
  error: ErrorObject,
  body: unknown,
  locations: WeakMap<object, string>
): CheckFailure {
  // For a missing or extra property, point at the property itself, as the example check does.
  const params: Record<string, unknown> = error.params
  const missing = error.keyword === 'required' ? params['missingProperty'] : undefined
  const extra =
    error.keyword === 'additionalProperties'
      ? params['additionalProperty']
      : error.keyword === 'unevaluatedProperties'
        ? params['unevaluatedProperty']
        : undefined
  const property = [missing, extra].find((name) => typeof name === 'string')
  const where = schemaLocation(error, locations)
  const failure: CheckFailure = {
    check: 'schema',
    path: toDollarPath(error.instancePath, body, property),
    message: `${error.message ?? 'is invalid'} (${error.keyword} at ${where})`,
  }
  const actual = valueAt(body, error.instancePath, typeof extra === 'string' ? extra : undefined)
  if (typeof missing !== 'string' && actual !== undefined) {
    failure.actual = actual
  }
  return failure
}

/**
 * The failing keyword's place in the whole document. ajv's own schemaPath is relative to whichever
 * compiled function ran, so "#/properties/id/type" may mean the response schema or any $ref target.
 */
function schemaLocation(error: ErrorObject, locations: WeakMap<object, string>): string {
  const parent: unknown = error.parentSchema
  const pointer = typeof parent === 'object' && parent !== null ? locations.get(parent) : undefined
  return pointer === undefined ? error.schemaPath : `#${pointer}/${escapePointer(error.keyword)}`
}

function valueAt(body: unknown, instancePath: string, extraKey?: string): unknown {
  const segments = instancePath === '' ? [] : instancePath.slice(1).split('/').map(unescapePointer)
  if (extraKey !== undefined) {
    segments.push(extraKey)
  }
  let current: unknown = body
  for (const segment of segments) {
    if (Array.isArray(current)) {
      current = current[Number(segment)] as unknown
    } else if (isRecord(current)) {
      current = current[segment]
    } else {
      return undefined
    }
  }
  return current
}

/** Media type without parameters, lower-cased: "Text/HTML; charset=utf-8" -> "text/html". */
function mediaTypeOf(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase()
}

function isJsonMediaType(mediaType: string): boolean {
  return mediaType === 'application/json' || mediaType.endsWith('+json')
}

/** The documented media type a Content-Type falls under: exact, then "type/*", then "*\/*". */
function findMediaType(content: Record<string, unknown>, mediaType: string): string | undefined {
  const keys = Object.keys(content)
  const exact = keys.find((key) => mediaTypeOf(key) === mediaType)
  if (exact !== undefined) {
    return exact
  }
  const family = `${mediaType.split('/')[0] ?? ''}/*`
  return keys.find((key) => key === family) ?? keys.find((key) => key === '*/*')
}

export function createSpecValidator(spec: object): SpecValidator {
  const document: Record<string, unknown> = isRecord(spec) ? spec : {}
  // allowUnionTypes: OpenAPI 3.1 writes nullable as type: [X, 'null'], which strict mode rejects.
  // verbose: errors carry their parentSchema, whose place in the document names the failing schema.
  // strictRequired off: composed schemas (allOf) require properties that their parts define.
  const ajv = new Ajv2020({
    strict: true,
    strictRequired: false,
    allErrors: true,
    allowUnionTypes: true,
    verbose: true,
  })
  addFormats(ajv)
  for (const keyword of [...OPENAPI_KEYWORDS, ...extensionKeys(document, new Set())]) {
    if (ajv.getKeyword(keyword) === false) {
      ajv.addKeyword(keyword)
    }
  }
  ajv.addSchema(document, 'openapi')
  const locations = new WeakMap<object, string>()
  indexLocations(document, '', locations)

  const operations = new Map<string, Operation>()
  const paths = isRecord(document['paths']) ? document['paths'] : {}
  for (const [path, item] of Object.entries(paths)) {
    if (!isRecord(item)) {
      continue
    }
    for (const method of METHODS) {
      const operation = item[method]
      if (isRecord(operation) && typeof operation['operationId'] === 'string') {
        const responses = isRecord(operation['responses']) ? operation['responses'] : {}
        operations.set(operation['operationId'], { path, method, responses })
      }
    }
  }

  /** Follows a response's $ref chain in the document; returns the pointer of the real object. */
  function resolveResponse(
    pointer: string[],
    response: unknown
  ): { pointer: string[]; response: Record<string, unknown> } | string {
    let current = response
    let at = pointer
    for (let hop = 0; hop < MAX_REF_HOPS; hop++) {
      if (!isRecord(current)) {
        return `the response at #/${at.join('/')} is not an object`
      }
      const ref = current['$ref']
      if (typeof ref !== 'string') {
        return { pointer: at, response: current }
      }
      if (!ref.startsWith('#/')) {
        return `external $ref ${ref} is not supported`
      }
      at = ref.slice(2).split('/').map(unescapePointer)
      current = at.reduce<unknown>(
        (node, key) => (isRecord(node) ? node[key] : undefined),
        document
      )
      if (current === undefined) {
        return `$ref ${ref} does not resolve`
      }
    }
    return `$ref chain longer than ${MAX_REF_HOPS} at #/${pointer.join('/')}`
  }

  // Compiled lazily and cached per (operation, status, media type); a compile error is cached too,
  // and reported as a failure each time, so that one broken schema does not stop the run.
  const cache = new Map<string, ValidateFunction | string>()

  function compile(key: string, pointer: string[]): ValidateFunction | string {
    const cached = cache.get(key)
    if (cached !== undefined) {
      return cached
    }
    let compiled: ValidateFunction | string
    try {
      compiled =
        ajv.getSchema(`openapi#/${toFragment(pointer)}`) ??
        `no schema at #/${pointer.map(escapePointer).join('/')}`
    } catch (error) {
      compiled = `the schema at #/${pointer.map(escapePointer).join('/')} does not compile: ${
        error instanceof Error ? error.message : String(error)
      }`
    }
    cache.set(key, compiled)
    return compiled
  }

  function schemaFailure(message: string): CheckFailure[] {
    return [{ check: 'schema', path: '$', message }]
  }

  function validateResponse(
    operationId: string,
    status: number,
    contentType: string,
    body: unknown
  ): CheckFailure[] {
    const operation = operations.get(operationId)
    if (operation === undefined) {
      return schemaFailure(`operation ${operationId} is not in the spec`)
    }
    const statusKey = [String(status), `${String(status).charAt(0)}XX`, 'default'].find((key) =>
      Object.hasOwn(operation.responses, key)
    )
    if (statusKey === undefined) {
      return schemaFailure(`status ${status} is not documented for ${operationId}`)
    }
    const resolved = resolveResponse(
      ['paths', operation.path, operation.method, 'responses', statusKey],
      operation.responses[statusKey]
    )
    if (typeof resolved === 'string') {
      return schemaFailure(`cannot read the ${statusKey} response of ${operationId}: ${resolved}`)
    }
    const content = resolved.response['content']
    const mediaType = mediaTypeOf(contentType)
    if (!isRecord(content) || Object.keys(content).length === 0) {
      const empty = body === undefined || body === null || body === ''
      return empty
        ? []
        : schemaFailure(`status ${status} of ${operationId} documents no body, but one was sent`)
    }
    const documented = findMediaType(content, mediaType)
    if (documented === undefined) {
      return schemaFailure(
        `content type ${mediaType || '(none)'} is not documented for ${operationId} ${statusKey} ` +
          `(documented: ${Object.keys(content).join(', ')})`
      )
    }
    const media = content[documented]
    // Only JSON bodies are validated: a schema on an image or other binary says nothing checkable.
    if (!isRecord(media) || !Object.hasOwn(media, 'schema') || !isJsonMediaType(mediaType)) {
      return []
    }
    const pointer = [...resolved.pointer, 'content', documented, 'schema']
    const validate = compile(`${operationId} ${statusKey} ${documented}`, pointer)
    if (typeof validate === 'string') {
      return schemaFailure(validate)
    }
    if (validate(body)) {
      return []
    }
    return (validate.errors ?? []).map((error) => toFailure(error, body, locations))
  }

  return {
    validateResponse,
    hasOperation: (operationId) => operations.has(operationId),
    documentedStatuses: (operationId) => {
      const operation = operations.get(operationId)
      if (operation === undefined) {
        return []
      }
      return Object.keys(operation.responses)
        .filter((key) => /^\d{3}$/.test(key))
        .map(Number)
        .sort((a, b) => a - b)
    },
  }
}
