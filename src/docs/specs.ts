// The specs as files and as parsed objects, read on first use and kept (they do not change while
// the server runs). Shared by the docs routes and the Prefer header. Nothing is read or parsed
// until a request needs it: most runs never ask for the parsed contract.
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { projectFile } from '../paths.ts'

export const SPECS = {
  messenger: projectFile('openapi/openapi.yaml'),
  control: projectFile('openapi/mock-control.yaml'),
  broadcasts: projectFile('openapi/broadcasts.asyncapi.yaml'),
} as const

/**
 * JSON copies of the OpenAPI documents, written by `npm run generate` (and checked by
 * `generate:check`): JSON.parse reads one in a few milliseconds where the YAML parser takes the
 * better part of a second and several MB.
 */
export const SPEC_COPIES = {
  messenger: projectFile('src/generated/openapi.json'),
  control: projectFile('src/generated/mock-control.json'),
} as const

export type SpecName = keyof typeof SPECS
export type ParsedSpecName = keyof typeof SPEC_COPIES

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

type Spec = Record<string, unknown>

/** A JSON copy of a YAML document, with the digest of the YAML it was made from. */
export interface SpecCopy {
  yaml_sha256: string
  document: Spec
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex')

/** The copy `npm run generate` writes for a YAML document's bytes and its parse. */
export function specCopy(yaml: Buffer, document: unknown): string {
  return JSON.stringify({ yaml_sha256: sha256(yaml), document }, null, 2) + '\n'
}

/**
 * The YAML document at `yamlPath` as an object: from its JSON copy when the copy was made from these
 * very bytes, else (a spec edited since `npm run generate`, or no copy) parsed from the YAML, so
 * the answer is always the YAML's.
 */
export async function readSpecDocument(yamlPath: string, copyPath: string): Promise<Spec> {
  const yaml = readOnce(yamlPath)
  if (existsSync(copyPath)) {
    const copy = JSON.parse(readFileSync(copyPath, 'utf8')) as SpecCopy
    if (copy.yaml_sha256 === sha256(yaml)) {
      return copy.document
    }
  }
  const { parse } = await import('yaml')
  return parse(yaml.toString('utf8')) as Spec
}

const parsed = new Map<ParsedSpecName, Promise<Spec>>()

/** The spec as a plain object (one shared instance: callers must not change it). */
export function specObject(which: ParsedSpecName): Promise<Spec> {
  let spec = parsed.get(which)
  if (!spec) {
    spec = readSpecDocument(fileURLToPath(SPECS[which]), fileURLToPath(SPEC_COPIES[which]))
    parsed.set(which, spec)
  }
  return spec
}

/** Which specs have been read as objects so far (none until a request needs one). */
export function specsRead(): ParsedSpecName[] {
  return [...parsed.keys()]
}
