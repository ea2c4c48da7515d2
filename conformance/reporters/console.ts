// Human-readable report: one line per step as it runs, failure diffs, and a plain summary line.
import { formatCoverage } from '../coverage.ts'
import { effectiveOutcome, summarize } from '../types.ts'
import type { CheckFailure, StepResult, SuiteResult } from '../types.ts'

export interface ConsoleOptions {
  /** ANSI colours; off by default so logs and files stay plain. */
  color?: boolean
}

const ANSI = {
  red: '\u001b[31m',
  green: '\u001b[32m',
  yellow: '\u001b[33m',
  dim: '\u001b[2m',
  reset: '\u001b[0m',
} as const

/** Values longer than this many lines are cut: a whole unexpected thread object drowns the diff. */
const MAX_VALUE_LINES = 30

function paint(text: string, color: keyof typeof ANSI, options: ConsoleOptions): string {
  return options.color === true ? `${ANSI[color]}${text}${ANSI.reset}` : text
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`
}

/** Path and query only: the target's origin is the same on every line and in the summary. */
function shortUrl(url: string): string {
  try {
    const parsed = new URL(url)
    return `${parsed.pathname}${parsed.search}`
  } catch {
    return url
  }
}

function milliseconds(durationMs: number): string {
  return `${Math.round(durationMs)} ms`
}

/** A JSON value, pretty-printed, continuation lines indented to sit under the first one. */
export function formatValue(value: unknown, indent: string): string {
  const text =
    value === undefined ? 'undefined' : (JSON.stringify(value, null, 2) as string | undefined)
  const lines = (text ?? String(value)).split('\n')
  const shown =
    lines.length > MAX_VALUE_LINES
      ? [...lines.slice(0, MAX_VALUE_LINES), `… (${lines.length - MAX_VALUE_LINES} more lines)`]
      : lines
  return shown.join(`\n${indent}`)
}

export function formatStepLine(step: StepResult, options: ConsoleOptions = {}): string {
  const outcome = effectiveOutcome(step)
  if (outcome === 'skipped') {
    return paint(`- ${step.id} (skipped: ${step.reason ?? 'no reason given'})`, 'yellow', options)
  }
  const parts: string[] = []
  if (step.request !== undefined) {
    const call = `${step.request.method} ${shortUrl(step.request.url)}`
    parts.push(
      step.response === undefined ? `${call}, no response` : `${call} ${step.response.status}`
    )
  }
  parts.push(milliseconds(step.durationMs))
  if (outcome === 'failed') {
    parts.push(plural(step.failures.length, 'failure'))
    return `${paint('✗', 'red', options)} ${step.id} (${parts.join(', ')})`
  }
  return `${paint('✓', 'green', options)} ${step.id} (${parts.join(', ')})`
}

function formatFailure(failure: CheckFailure, index: number, options: ConsoleOptions): string {
  const indent = '     '
  const lines = [
    `  ${String(index + 1)}) ${paint(failure.check, 'red', options)} at ${failure.path}`,
    `${indent}${failure.message}`,
  ]
  if (Object.hasOwn(failure, 'expected')) {
    lines.push(`${indent}expected: ${formatValue(failure.expected, `${indent}          `)}`)
  }
  if (Object.hasOwn(failure, 'actual')) {
    lines.push(`${indent}actual:   ${formatValue(failure.actual, `${indent}          `)}`)
  }
  return lines.join('\n')
}

/**
 * One block per failed step: each failure with its JSON path, message, expected and actual value,
 * then the request that produced them. Empty for a step without failures.
 */
export function formatFailures(step: StepResult, options: ConsoleOptions = {}): string {
  if (step.failures.length === 0) {
    return ''
  }
  const lines = [
    `${paint('✗', 'red', options)} ${step.id} [${step.operationId}]`,
    ...step.failures.map((failure, i) => formatFailure(failure, i, options)),
  ]
  const request = step.request
  if (request === undefined) {
    lines.push(paint('  request: (none was sent)', 'dim', options))
  } else {
    lines.push(`  request:  ${request.method} ${request.url} as ${request.actor ?? '(anonymous)'}`)
    if (request.body !== undefined) {
      lines.push(`  body:     ${formatValue(request.body, '            ')}`)
    }
  }
  if (step.response !== undefined) {
    const contentType = Object.entries(step.response.headers).find(
      ([name]) => name.toLowerCase() === 'content-type'
    )?.[1]
    const type = contentType === undefined ? '' : ` ${contentType}`
    lines.push(`  response: ${String(step.response.status)}${type}`)
  }
  return lines.join('\n')
}

/**
 * The end of a run: failed and skipped steps by id, totals, the fatal reason if any, and as the
 * very last line, plain even with colours, "N passed, N failed, N skipped" for CI logs to grep.
 */
export function formatSummary(result: SuiteResult, options: ConsoleOptions = {}): string {
  const summary = summarize(result)
  const lines: string[] = []
  const failed = result.steps.filter((step) => effectiveOutcome(step) === 'failed')
  const skipped = result.steps.filter((step) => effectiveOutcome(step) === 'skipped')
  if (failed.length > 0) {
    lines.push('Failed:', ...failed.map((step) => `  ${paint('✗', 'red', options)} ${step.id}`))
  }
  if (skipped.length > 0) {
    lines.push(
      'Skipped:',
      ...skipped.map((step) => `  - ${step.id} (${step.reason ?? 'no reason given'})`)
    )
  }
  lines.push(
    `Target ${result.target}, level ${result.level}: ${plural(result.steps.length, 'step')}, ` +
      `${plural(summary.checks, 'check')} in ${milliseconds(result.durationMs)}`
  )
  if (result.generated !== undefined) {
    const kinds = Object.entries(result.generated).map(([kind, count]) => `${count} ${kind}`)
    lines.push(
      `Generated from the contract (seed ${String(result.seed ?? '?')}; repeat with --seed): ${kinds.join(', ')}`
    )
  }
  if (result.coverage !== undefined) {
    lines.push(formatCoverage(result.coverage))
  }
  if (result.comparedWith !== undefined) {
    const differing = result.steps.filter((s) => s.failures.some((f) => f.check === 'compare'))
    lines.push(
      `Compared with ${result.comparedWith}: ${plural(differing.length, 'step')} answered differently`
    )
  }
  if (result.fatal !== undefined) {
    lines.push(paint(`fatal: ${result.fatal}`, 'red', options))
  } else if (summary.checks === 0) {
    lines.push(paint('error: no check ran', 'red', options))
  }
  lines.push(`${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`)
  return lines.join('\n')
}

/** The whole report at once, for when nothing was printed while the run went on. */
export function formatReport(result: SuiteResult, options: ConsoleOptions = {}): string {
  const blocks = [result.steps.map((step) => formatStepLine(step, options)).join('\n')]
  for (const step of result.steps) {
    const failures = formatFailures(step, options)
    if (failures !== '') {
      blocks.push(failures)
    }
  }
  blocks.push(formatSummary(result, options))
  return blocks.filter((block) => block !== '').join('\n\n')
}
