// Tests for the JSON reporter: the whole result round-trips, with summary and exit decision added.
import { describe, expect, it } from 'vitest'
import type { SuiteResult } from '../types.ts'
import { toJson } from './json.ts'

const RESULT: SuiteResult = {
  target: 'http://127.0.0.1:8000',
  level: 'schema',
  startedAt: '2026-11-22T00:00:00.000Z',
  durationMs: 10,
  steps: [
    {
      id: 'a › b',
      scenario: 'a',
      step: 'b',
      operationId: 'op',
      outcome: 'failed',
      checks: 2,
      failures: [{ check: 'schema', path: '$.id', message: 'must be string', actual: 1 }],
      response: { status: 200, headers: {}, body: { id: 1 } },
      durationMs: 3,
    },
  ],
}

describe('toJson', () => {
  it('is pretty JSON holding the result, its summary and exit decision', () => {
    const text = toJson(RESULT)
    expect(text).toContain('\n  "summary": {')
    expect(text.endsWith('}\n')).toBe(true)
    expect(JSON.parse(text)).toEqual({
      ...RESULT,
      summary: { passed: 0, failed: 1, skipped: 0, checks: 2 },
      exit: { code: 1, reason: '1 step failed' },
    })
  })

  it('carries the fatal reason', () => {
    const parsed = JSON.parse(toJson({ ...RESULT, fatal: 'no case matched --only' })) as {
      fatal: string
      exit: { code: number }
    }
    expect(parsed.fatal).toBe('no case matched --only')
    expect(parsed.exit.code).toBe(2)
  })
})
