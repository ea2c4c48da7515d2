// Following a spec's local references (`$ref: '#/components/…'`), for the tests that read the specs.
import { isRecord, type JsonObject } from '../records.ts'

/** `value`, or what its `$ref` points at in `doc` (followed until it is no reference). */
export function resolveRef(doc: JsonObject, value: unknown): unknown {
  if (isRecord(value) && typeof value['$ref'] === 'string') {
    let node: unknown = doc
    for (const part of value['$ref'].slice(2).split('/')) {
      node = isRecord(node) ? node[part] : undefined
    }
    return resolveRef(doc, node)
  }
  return value
}
