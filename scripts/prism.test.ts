// Prism serves the contract unchanged: on a free port it answers each documented GET with a body
// that validates against the spec.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { responseErrors } from '../src/testing/spec-validator.ts'
import { portTaken } from './prism-process.ts'
import type { DocumentedPairFixture } from './spec-file.ts'
import { usePrismMock } from './prism-for-tests.ts'

const pairs = JSON.parse(
  readFileSync(new URL('../fixtures/documented-pairs.json', import.meta.url), 'utf8')
) as DocumentedPairFixture[]
const gets = pairs.filter((p) => p.method === 'GET')

const SAMPLE: Record<string, string> = {
  thread: '92316158-d218-4b23-b90b-a708fb354685',
  call: '9231616a-43ad-4232-ba58-0d79f0b89871',
  participant: '9231650a-6e26-43d7-9543-9fe21809db3c',
  code: 'ZAJOR26J',
  query: 'jane',
}

const prismMock = usePrismMock()

describe('Prism serving openapi/openapi.yaml', () => {
  it('has every documented GET to answer', () => {
    expect(gets.map((p) => p.operationId).sort()).toEqual(
      [
        'activeCalls',
        'callHeartbeat',
        'getMessengerInfo',
        'getSettings',
        'indexCallParticipants',
        'indexCalls',
        'indexInvites',
        'searchProviders',
        'showCall',
        'showCallParticipant',
        'showInvite',
        'unreadThreadsCount',
      ].sort()
    )
  })

  it.each(gets.map((p) => [p.operationId, p] as const))(
    '%s answers its documented status with a body valid against the spec',
    async (_id, pair) => {
      const path = pair.path.replace(/\{(\w+)\}/g, (_m, name: string) => SAMPLE[name] ?? name)
      const res = await fetch(`${prismMock.current().url}${path}`, {
        headers: { Authorization: 'Bearer john', Accept: 'application/json' },
      })
      expect(res.status).toBe(pair.response.status)
      expect(res.headers.get('content-type')).toMatch(/^application\/json/)
      const body: unknown = await res.json()
      expect(responseErrors(pair.operationId, pair.response.status, body)).toEqual([])
    }
  )

  it('stops and frees its port', async () => {
    const port = prismMock.current().port
    await prismMock.current().stop()
    expect(await portTaken(port)).toBe(false)
  })
})
