// The contract as the generated checks read it: each operation's method, path, path parameters,
// whether it needs a login, its request body schema and example, and its documented responses.
type Obj = Record<string, unknown>

const isObj = (value: unknown): value is Obj =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const

export interface ContractParameter {
  name: string
  /** The parameter's schema with its $ref followed. */
  schema: Obj
}

export interface ContractExample {
  /** The example's key ("documented", "thread", "missing", …); "" for a bare `example`. */
  name: string
  value: unknown
}

export interface ContractResponse {
  status: number
  /** The examples, in document order. */
  examples: ContractExample[]
}

export interface ContractOperation {
  operationId: string
  method: string
  path: string
  parameters: ContractParameter[]
  /** False when the operation may be called without a login (security lists {} or is empty). */
  authRequired: boolean
  /** Other methods the same route answers (the contract's `x-also-methods`, e.g. PATCH beside PUT). */
  alsoMethods: string[]
  requestBody?: { mediaType: string; schema: Obj; example: unknown }
  responses: ContractResponse[]
}

/** Follows a $ref chain (local pointers only) to the object it names. */
export function deref(spec: Obj, node: unknown): Obj {
  let current = node
  for (let hops = 0; isObj(current) && typeof current['$ref'] === 'string' && hops < 10; hops++) {
    const pointer = current['$ref'].replace(/^#\//, '').split('/')
    current = pointer.reduce<unknown>(
      (at, key) => (isObj(at) ? at[key.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined),
      spec
    )
  }
  return isObj(current) ? current : {}
}

function examplesOf(spec: Obj, media: Obj): ContractExample[] {
  const examples = isObj(media['examples']) ? Object.entries(media['examples']) : []
  return [
    ...(media['example'] === undefined ? [] : [{ name: '', value: media['example'] }]),
    ...examples.map(([name, example]) => ({ name, value: deref(spec, example)['value'] })),
  ]
}

function firstMedia(spec: Obj, holder: Obj): [string, Obj] | undefined {
  const content = isObj(holder['content']) ? holder['content'] : {}
  const entry = Object.entries(content)[0]
  return entry === undefined ? undefined : [entry[0], deref(spec, entry[1])]
}

function needsLogin(spec: Obj, operation: Obj): boolean {
  const security = Array.isArray(operation['security'])
    ? operation['security']
    : Array.isArray(spec['security'])
      ? spec['security']
      : []
  return (
    security.length > 0 &&
    !security.some((entry) => isObj(entry) && Object.keys(entry).length === 0)
  )
}

export function readContract(spec: object): ContractOperation[] {
  const document = spec as Obj
  const paths = isObj(document['paths']) ? document['paths'] : {}
  const operations: ContractOperation[] = []
  for (const [path, rawItem] of Object.entries(paths)) {
    const item = deref(document, rawItem)
    const shared: unknown[] = Array.isArray(item['parameters']) ? item['parameters'] : []
    for (const method of HTTP_METHODS) {
      const operation = item[method.toLowerCase()]
      if (!isObj(operation) || typeof operation['operationId'] !== 'string') {
        continue
      }
      const own: unknown[] = Array.isArray(operation['parameters']) ? operation['parameters'] : []
      const parameters = [...shared, ...own]
        .map((p) => deref(document, p))
        .filter((p) => p['in'] === 'path' && typeof p['name'] === 'string')
        .map((p) => ({ name: String(p['name']), schema: deref(document, p['schema']) }))
      const responses = Object.entries(isObj(operation['responses']) ? operation['responses'] : {})
        .filter(([status]) => /^\d{3}$/.test(status))
        .map(([status, raw]) => {
          const media = firstMedia(document, deref(document, raw))
          return { status: Number(status), examples: media ? examplesOf(document, media[1]) : [] }
        })
      const body = isObj(operation['requestBody'])
        ? firstMedia(document, deref(document, operation['requestBody']))
        : undefined
      operations.push({
        operationId: operation['operationId'],
        method,
        path,
        parameters,
        authRequired: needsLogin(document, operation),
        alsoMethods: Array.isArray(operation['x-also-methods'])
          ? operation['x-also-methods'].filter((m): m is string => typeof m === 'string')
          : [],
        ...(body === undefined
          ? {}
          : {
              requestBody: {
                mediaType: body[0],
                schema: deref(document, body[1]['schema']),
                example: examplesOf(document, body[1])[0]?.value,
              },
            }),
        responses,
      })
    }
  }
  return operations
}

/** The documented methods of each path, in the order the contract lists them. */
export function methodsByPath(operations: readonly ContractOperation[]): Map<string, string[]> {
  const byPath = new Map<string, string[]>()
  for (const operation of operations) {
    byPath.set(operation.path, [
      ...(byPath.get(operation.path) ?? []),
      operation.method,
      ...operation.alsoMethods,
    ])
  }
  return byPath
}

/** The `message` of each example of a documented status. */
export function documentedMessages(operation: ContractOperation, status: number): string[] {
  const response = operation.responses.find((r) => r.status === status)
  return (response?.examples ?? []).flatMap(({ value }) =>
    isObj(value) && typeof value['message'] === 'string' ? [value['message']] : []
  )
}

/** The texts documented for one field in an operation's 422 examples. */
export function documentedFieldTexts(operation: ContractOperation, field: string): string[] {
  const response = operation.responses.find((r) => r.status === 422)
  return (response?.examples ?? []).flatMap(({ value }) => {
    const errors = isObj(value) && isObj(value['errors']) ? value['errors'][field] : undefined
    return Array.isArray(errors) ? errors.filter((t): t is string => typeof t === 'string') : []
  })
}
