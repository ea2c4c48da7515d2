// JUnit XML for CI dashboards: one <testsuite> per scenario, one <testcase> per step.
import { effectiveOutcome, summarize } from '../types.ts'
import type { StepResult, SuiteResult } from '../types.ts'
import { formatFailures } from './console.ts'

const FATAL_SUITE = 'conformance run'

/** Characters XML 1.0 cannot carry at all (even escaped); response bodies may contain them. */
const INVALID_XML = new RegExp(
  [
    '[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\uFFFE\\uFFFF]', // control characters
    '[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])', // a high surrogate without its low half
    '(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]', // a low surrogate without its high half
  ].join('|'),
  'g'
)

function clean(text: string): string {
  return text.replace(INVALID_XML, '\uFFFD')
}

export function escapeText(text: string): string {
  return clean(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** Attribute values also escape quotes, and line breaks and tabs, which parsers would flatten. */
export function escapeAttribute(text: string): string {
  return escapeText(text)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;')
}

function attributes(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([name, value]) => ` ${name}="${escapeAttribute(String(value))}"`)
    .join('')
}

function seconds(durationMs: number): string {
  return (durationMs / 1000).toFixed(3)
}

function testcase(step: StepResult): string {
  const open = `    <testcase${attributes({
    classname: step.scenario,
    name: step.step,
    time: seconds(step.durationMs),
  })}`
  const outcome = effectiveOutcome(step)
  if (outcome === 'skipped') {
    const skipped = attributes({ message: step.reason ?? 'no reason given' })
    return `${open}>\n      <skipped${skipped}/>\n    </testcase>`
  }
  const first = step.failures[0]
  if (outcome === 'passed' || first === undefined) {
    return `${open}/>`
  }
  // JUnit allows one <failure> per testcase: it carries the first failure's check and message, and
  // the text lists every failure.
  const more = step.failures.length - 1
  const message = `${first.path}: ${first.message}${more > 0 ? ` (and ${String(more)} more)` : ''}`
  const failure = attributes({ message, type: first.check })
  return [
    `${open}>`,
    `      <failure${failure}>${escapeText(formatFailures(step))}</failure>`,
    '    </testcase>',
  ].join('\n')
}

function testsuite(name: string, steps: StepResult[], timestamp: string): string {
  const summary = summarize({ target: '', level: 'full', startedAt: '', durationMs: 0, steps })
  const time = steps.reduce((total, step) => total + step.durationMs, 0)
  const head = `  <testsuite${attributes({
    name,
    tests: steps.length,
    failures: summary.failed,
    errors: 0,
    skipped: summary.skipped,
    time: seconds(time),
    timestamp,
  })}>`
  return [head, ...steps.map(testcase), '  </testsuite>'].join('\n')
}

function fatalSuite(result: SuiteResult, fatal: string): string {
  const name = `run against ${result.target}`
  return [
    `  <testsuite${attributes({
      name: FATAL_SUITE,
      tests: 1,
      failures: 0,
      errors: 1,
      skipped: 0,
      time: '0.000',
      timestamp: result.startedAt,
    })}>`,
    `    <testcase${attributes({ classname: FATAL_SUITE, name, time: '0.000' })}>`,
    `      <error${attributes({ message: fatal, type: 'fatal' })}>${escapeText(fatal)}</error>`,
    '    </testcase>',
    '  </testsuite>',
  ].join('\n')
}

/** Coverage and the seed as properties of the root, for dashboards that chart them. */
function properties(result: SuiteResult): string[] {
  const values: [string, string | number][] = []
  if (result.seed !== undefined) {
    values.push(['seed', result.seed])
  }
  for (const [kind, count] of Object.entries(result.generated ?? {})) {
    values.push([`generated.${kind}`, count])
  }
  const coverage = result.coverage
  if (coverage !== undefined) {
    const negative = Object.values(coverage.negative)
    values.push(
      ['coverage.documented', coverage.documented],
      ['coverage.exercised', coverage.exercised],
      ['coverage.percent', coverage.percent],
      ['coverage.operations', negative.length],
      ['coverage.operations_with_negative_checks', negative.filter((k) => k.length > 0).length],
      ...coverage.missing.map((missing): [string, string] => ['coverage.not_exercised', missing])
    )
  }
  if (values.length === 0) {
    return []
  }
  return [
    '  <properties>',
    ...values.map(([name, value]) => `    <property${attributes({ name, value })}/>`),
    '  </properties>',
  ]
}

export function toJUnitXml(result: SuiteResult): string {
  const byScenario = new Map<string, StepResult[]>()
  for (const step of result.steps) {
    const steps = byScenario.get(step.scenario) ?? []
    steps.push(step)
    byScenario.set(step.scenario, steps)
  }
  const summary = summarize(result)
  const errors = result.fatal === undefined ? 0 : 1
  const suites = [...byScenario].map(([name, steps]) => testsuite(name, steps, result.startedAt))
  if (result.fatal !== undefined) {
    suites.push(fatalSuite(result, result.fatal))
  }
  const root = `<testsuites${attributes({
    name: `conformance ${result.target} (${result.level})`,
    tests: result.steps.length + errors,
    failures: summary.failed,
    errors,
    skipped: summary.skipped,
    time: seconds(result.durationMs),
    timestamp: result.startedAt,
  })}>`
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    root,
    ...properties(result),
    ...suites,
    '</testsuites>',
    '',
  ].join('\n')
}
