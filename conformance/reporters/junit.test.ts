// Tests for the JUnit reporter: the XML parses and carries the right counts, outcomes and escaping.
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import type { StepResult, SuiteResult } from '../types.ts'
import { toJUnitXml } from './junit.ts'

function step(scenario: string, name: string, changes: Partial<StepResult> = {}): StepResult {
  return {
    id: `${scenario} › ${name}`,
    scenario,
    step: name,
    operationId: 'op',
    outcome: 'passed',
    checks: 3,
    failures: [],
    durationMs: 1500,
    ...changes,
  }
}

const NASTY = `Tom & "Jerry" <'s> \u0001 call \uD800`

const RESULT: SuiteResult = {
  target: 'http://127.0.0.1:8000',
  level: 'full',
  startedAt: '2026-11-22T00:00:00.000Z',
  durationMs: 4200,
  steps: [
    step('calls lifecycle', 'John starts a call'),
    step('calls lifecycle', NASTY, {
      outcome: 'failed',
      failures: [
        {
          check: 'status',
          path: '$',
          message: 'expected 201, got 500',
          expected: 201,
          actual: 500,
        },
        {
          check: 'example',
          path: '$.name',
          message: 'expected "<a>", got "&b"',
          expected: '<a>',
          actual: '&b',
        },
      ],
      request: {
        method: 'POST',
        url: 'http://127.0.0.1:8000/api/x?a=1&b=2',
        actor: 'john',
        headers: {},
      },
    }),
    step('invites', 'Jane joins', {
      outcome: 'skipped',
      reason: 'needs "state" & <url>',
      checks: 0,
    }),
    step('invites', 'Jane leaves'),
  ],
}

type Attributes = Record<string, unknown>

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  isArray: (name) => ['testsuite', 'testcase'].includes(name),
})

function parse(xml: string): Attributes {
  const document = parser.parse(xml) as { testsuites: Attributes }
  return document.testsuites
}

function suites(root: Attributes): Attributes[] {
  return root['testsuite'] as Attributes[]
}

function cases(suite: Attributes | undefined): Attributes[] {
  return (suite?.['testcase'] ?? []) as Attributes[]
}

describe('toJUnitXml', () => {
  const xml = toJUnitXml(RESULT)
  const root = parse(xml)

  it('is well-formed XML with totals on <testsuites>', () => {
    // fast-xml-validator, the suggested replacement, is not a dependency; this one still works.
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    const validate = (text: string) => XMLValidator.validate(text)
    expect(validate('<a>&</a>')).not.toBe(true)
    expect(validate(xml)).toBe(true)
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true)
    expect(root).toMatchObject({
      tests: '4',
      failures: '1',
      errors: '0',
      skipped: '1',
      time: '4.200',
    })
  })

  it('has one <testsuite> per scenario, with its own counts', () => {
    expect(
      suites(root).map((s) => [s['name'], s['tests'], s['failures'], s['skipped'], s['errors']])
    ).toEqual([
      ['calls lifecycle', '2', '1', '0', '0'],
      ['invites', '2', '0', '1', '0'],
    ])
    expect(suites(root)[0]?.['time']).toBe('3.000')
  })

  it('has one <testcase> per step with classname, name and time in seconds', () => {
    const first = cases(suites(root)[0])
    expect(first.map((c) => [c['classname'], c['name'], c['time']])).toEqual([
      ['calls lifecycle', 'John starts a call', '1.500'],
      ['calls lifecycle', `Tom & "Jerry" <'s> \uFFFD call \uFFFD`, '1.500'],
    ])
  })

  it('gives a failed step one <failure> typed by its first check, listing every failure', () => {
    const failure = cases(suites(root)[0])[1]?.['failure'] as Attributes
    expect(failure['type']).toBe('status')
    expect(failure['message']).toBe('$: expected 201, got 500 (and 1 more)')
    expect(failure['#text']).toContain('expected "<a>", got "&b"')
    expect(failure['#text']).toContain('request:  POST http://127.0.0.1:8000/api/x?a=1&b=2 as john')
  })

  it('gives a skipped step <skipped message="reason"/>', () => {
    const skipped = cases(suites(root)[1])[0]?.['skipped'] as Attributes
    expect(skipped['message']).toBe('needs "state" & <url>')
    expect(cases(suites(root)[1])[1]).not.toHaveProperty('skipped')
  })

  it('escapes markup in attributes and text', () => {
    expect(xml).toContain('name="Tom &amp; &quot;Jerry&quot; &lt;&apos;s&gt; \uFFFD call \uFFFD"')
    expect(xml).not.toContain('\u0001')
    expect(xml).not.toContain('\uD800')
    expect(xml).not.toContain('<a>')
  })

  it('turns a fatal error into an <error> testcase and counts it', () => {
    const fatal = parse(toJUnitXml({ ...RESULT, steps: [], fatal: 'every credential was refused' }))
    expect(fatal).toMatchObject({ tests: '1', failures: '0', errors: '1', skipped: '0' })
    const only = suites(fatal)
    expect(only).toHaveLength(1)
    expect(only[0]).toMatchObject({ name: 'conformance run', tests: '1', errors: '1' })
    const error = cases(only[0])[0]?.['error'] as Attributes
    expect(error).toMatchObject({ type: 'fatal', message: 'every credential was refused' })
  })

  it('keeps the steps that ran alongside a fatal error', () => {
    const both = parse(toJUnitXml({ ...RESULT, fatal: 'target went away' }))
    expect(both).toMatchObject({ tests: '5', failures: '1', errors: '1', skipped: '1' })
    expect(suites(both)).toHaveLength(3)
  })
})
