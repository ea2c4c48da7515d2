// Test helper: the documented response of an operation (fixtures/documented-pairs.json, derived
// from the spec's `documented` examples), read once.
import { readFileSync } from 'node:fs'

interface DocumentedPair {
  operationId: string
  response: { status: number; body: unknown }
}

let pairs: DocumentedPair[] | undefined

/** The documented status and body of `operationId`; the body is a fresh copy each call. */
export function documented(operationId: string): { status: number; body: unknown } {
  pairs ??= JSON.parse(
    readFileSync(new URL('../../fixtures/documented-pairs.json', import.meta.url), 'utf8')
  ) as DocumentedPair[]
  const pair = pairs.find((p) => p.operationId === operationId)
  if (!pair) {
    throw new Error(`No documented pair for ${operationId}`)
  }
  return { status: pair.response.status, body: structuredClone(pair.response.body) }
}
