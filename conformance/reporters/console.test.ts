// Tests for the console reporter: step lines, failure diffs and the plain summary line.
import { describe, expect, it } from 'vitest'
import type { StepResult, SuiteResult } from '../types.ts'
import { formatFailures, formatReport, formatStepLine, formatSummary } from './console.ts'

const URL = 'http://127.0.0.1:8000/api/messenger/threads/92316158-d218-4b23-b90b-a708fb354685/calls'

const REQUEST = { method: 'POST', url: URL, actor: 'john', headers: {}, body: {} }

const PASSED: StepResult = {
  id: 'calls lifecycle › John starts a call',
  scenario: 'calls lifecycle',
  step: 'John starts a call',
  operationId: 'api.messenger.threads.calls.store',
  outcome: 'passed',
  checks: 4,
  failures: [],
  request: REQUEST,
  response: { status: 201, headers: { 'content-type': 'application/json' }, body: {} },
  durationMs: 12.4,
}

const FAILED: StepResult = {
  ...PASSED,
  id: 'calls lifecycle › John reads the call',
  step: 'John reads the call',
  operationId: 'api.messenger.threads.calls.show',
  outcome: 'failed',
  failures: [
    {
      check: 'example',
      path: '$.owner.name',
      message: 'expected "John Doe", got "Jane Doe"',
      expected: 'John Doe',
      actual: 'Jane Doe',
    },
    {
      check: 'example',
      path: '$.options.room_pin',
      message: 'missing key "room_pin"',
      expected: 'k5dBub',
    },
  ],
  request: { method: 'PUT', url: `${URL}/x`, actor: null, headers: {}, body: { kicked: true } },
  response: { status: 200, headers: { 'Content-Type': 'application/json' }, body: {} },
  durationMs: 7,
}

const SKIPPED: StepResult = {
  id: 'invites › Jane joins',
  scenario: 'invites',
  step: 'Jane joins',
  operationId: 'api.messenger.invites.join.store',
  outcome: 'skipped',
  reason: 'needs --state-url',
  checks: 0,
  failures: [],
  durationMs: 0,
}

const RESULT: SuiteResult = {
  target: 'http://127.0.0.1:8000',
  level: 'full',
  startedAt: '2026-11-22T00:00:00.000Z',
  durationMs: 1234,
  steps: [PASSED, FAILED, SKIPPED],
}

/** Whether the text holds an ANSI escape (ESC + "["); a regex would need a control character. */
function hasAnsi(text: string): boolean {
  return text.includes(`${String.fromCharCode(27)}[`)
}

describe('formatStepLine', () => {
  it('shows a passed step with method, path, status and duration', () => {
    expect(formatStepLine(PASSED)).toBe(
      '✓ calls lifecycle › John starts a call (POST /api/messenger/threads/92316158-d218-4b23-b90b-a708fb354685/calls 201, 12 ms)'
    )
  })

  it('shows a failed step with its failure count', () => {
    expect(formatStepLine(FAILED)).toBe(
      `✗ calls lifecycle › John reads the call (PUT ${new globalThis.URL(URL).pathname}/x 200, 7 ms, 2 failures)`
    )
  })

  it('shows a skipped step with its reason', () => {
    expect(formatStepLine(SKIPPED)).toBe('- invites › Jane joins (skipped: needs --state-url)')
  })

  it('says when no response came back', () => {
    const { response: _response, ...noResponse } = FAILED
    expect(formatStepLine(noResponse)).toContain('(PUT /api/messenger/threads/')
    expect(formatStepLine(noResponse)).toContain('/x, no response, 7 ms, 2 failures)')
  })

  it('shows a step that carries failures as failed even if marked passed', () => {
    expect(formatStepLine({ ...FAILED, outcome: 'passed' })).toMatch(/^✗ /)
  })

  it('uses ANSI colours only when asked', () => {
    for (const step of [PASSED, FAILED, SKIPPED]) {
      expect(hasAnsi(formatStepLine(step))).toBe(false)
      expect(hasAnsi(formatStepLine(step, { color: true }))).toBe(true)
    }
  })
})

describe('formatFailures', () => {
  it('is empty for a step without failures', () => {
    expect(formatFailures(PASSED)).toBe('')
  })

  it('gives path, message, expected, actual and the request for each failure', () => {
    const text = formatFailures(FAILED)
    expect(text).toBe(
      [
        '✗ calls lifecycle › John reads the call [api.messenger.threads.calls.show]',
        '  1) example at $.owner.name',
        '     expected "John Doe", got "Jane Doe"',
        '     expected: "John Doe"',
        '     actual:   "Jane Doe"',
        '  2) example at $.options.room_pin',
        '     missing key "room_pin"',
        '     expected: "k5dBub"',
        `  request:  PUT ${URL}/x as (anonymous)`,
        '  body:     {',
        '              "kicked": true',
        '            }',
        '  response: 200 application/json',
      ].join('\n')
    )
    expect(hasAnsi(text)).toBe(false)
  })

  it('names the actor and says when no request was sent', () => {
    expect(formatFailures({ ...FAILED, request: { ...REQUEST, actor: 'john' } })).toContain(
      `POST ${URL} as john`
    )
    const { request: _request, ...noRequest } = FAILED
    expect(formatFailures(noRequest)).toContain('request: (none was sent)')
  })
})

describe('formatSummary', () => {
  it('ends with the plain counts line', () => {
    const lines = formatSummary(RESULT).split('\n')
    expect(lines.at(-1)).toBe('1 passed, 1 failed, 1 skipped')
    expect(lines).toContain('  ✗ calls lifecycle › John reads the call')
    expect(lines).toContain('  - invites › Jane joins (needs --state-url)')
    expect(lines).toContain(
      'Target http://127.0.0.1:8000, level full: 3 steps, 8 checks in 1234 ms'
    )
  })

  it('keeps the counts line plain with colours on', () => {
    const text = formatSummary(RESULT, { color: true })
    expect(hasAnsi(text)).toBe(true)
    expect(text.split('\n').at(-1)).toBe('1 passed, 1 failed, 1 skipped')
  })

  it('puts a fatal reason on the line before the counts', () => {
    const lines = formatSummary({ ...RESULT, steps: [], fatal: 'target unreachable' }).split('\n')
    expect(lines.slice(-2)).toEqual(['fatal: target unreachable', '0 passed, 0 failed, 0 skipped'])
  })

  it('says when no check ran', () => {
    const lines = formatSummary({ ...RESULT, steps: [SKIPPED] }).split('\n')
    expect(lines.slice(-2)).toEqual(['error: no check ran', '0 passed, 0 failed, 1 skipped'])
  })
})

describe('formatReport', () => {
  it('has every step line, the failures and the summary last', () => {
    const text = formatReport(RESULT)
    expect(text).toContain(formatStepLine(PASSED))
    expect(text).toContain(formatStepLine(SKIPPED))
    expect(text).toContain(formatFailures(FAILED))
    expect(text.endsWith(formatSummary(RESULT))).toBe(true)
  })
})
