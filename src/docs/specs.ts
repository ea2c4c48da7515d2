// The specs as files and as parsed objects, read on first use and kept (they do not change
// while the server runs). Shared by the docs routes and the Prefer header.
import { readFileSync } from 'node:fs'
import { projectFile } from '../paths.ts'

export const SPECS = {
  messenger: projectFile('openapi/openapi.yaml'),
  control: projectFile('openapi/mock-control.yaml'),
  broadcasts: projectFile('openapi/broadcasts.asyncapi.yaml'),
} as const

export type SpecName = keyof typeof SPECS

const fileCache = new Map<string, Buffer>()

/** A file's bytes, read once. */
export function readOnce(path: string): Buffer {
  let data = fileCache.get(path)
  if (!data) {
    data = readFileSync(path)
    fileCache.set(path, data)
  }
  return data
}

// The YAML parser (~50 ms to load) and the parse itself wait for the first request that needs them.
const parsed = new Map<SpecName, Promise<Record<string, unknown>>>()

/** The spec as a plain object (one shared instance: callers must not change it). */
export function specObject(which: SpecName): Promise<Record<string, unknown>> {
  let spec = parsed.get(which)
  if (!spec) {
    spec = import('yaml').then(
      ({ parse }) =>
        parse(readOnce(SPECS[which].pathname).toString('utf8')) as Record<string, unknown>
    )
    parsed.set(which, spec)
  }
  return spec
}
