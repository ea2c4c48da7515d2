// Test support for the control API: JSON requests with a sandbox, and validation of the answers
// against openapi/mock-control.yaml's schemas.
import { readFileSync } from 'node:fs'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormatsPlugin from 'ajv-formats'
import { expect } from 'vitest'
import { parse } from 'yaml'
import type { TestMock } from '../../testing/harness.ts'

let ajv: Ajv2020 | undefined

function validator(): Ajv2020 {
  if (ajv) {
    return ajv
  }
  const spec = parse(
    readFileSync(new URL('../../../openapi/mock-control.yaml', import.meta.url), 'utf8')
  ) as Record<string, unknown>
  ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true })
  // ajv-formats is CommonJS: under NodeNext the plugin is the default import's `default`.
  addFormatsPlugin.default(ajv)
  for (const keyword of ['openapi', 'info', 'paths', 'servers', 'tags', 'security', 'components']) {
    ajv.addKeyword(keyword)
  }
  ajv.addSchema(spec, 'control')
  return ajv
}

/** Asserts `body` is valid as the control API's schema `name` (components/schemas/<name>). */
export function expectControlSchema(name: string, body: unknown): void {
  const check = validator().getSchema(`control#/components/schemas/${name}`)
  if (!check) {
    throw new Error(`No schema ${name} in mock-control.yaml`)
  }
  const valid = check(body)
  const errors = (check.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`)
  expect(valid ? [] : errors, name).toEqual([])
}

export interface Sent {
  sandbox?: string
  token?: string
  /** A value sent as JSON, or a string sent as it is (with a JSON content type). */
  body?: unknown
}

/** A request through the app; the answer's status and parsed JSON body. */
export async function send(
  mock: TestMock,
  method: string,
  path: string,
  sent: Sent = {}
): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = {}
  if (sent.sandbox !== undefined) {
    headers['X-Mock-Sandbox'] = sent.sandbox
  }
  const init: RequestInit & { token?: string } = { method, headers }
  if (sent.token !== undefined) {
    init.token = sent.token
  }
  if (sent.body !== undefined) {
    headers['Content-Type'] = 'application/json'
    init.body = typeof sent.body === 'string' ? sent.body : JSON.stringify(sent.body)
  }
  const res = await mock.request(path, init)
  return { status: res.status, body: await res.json() }
}
