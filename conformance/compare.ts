// Differential runs: the same steps played against two targets, answer by answer. Generated values
// (ids, timestamps, codes, pins, room numbers, file names, each target's own base URL) may differ;
// statuses, keys, types and every other value must not.
import { INVITE_CODE_PATTERN, ROOM_PIN_PATTERN, jsonType, show } from './match.ts'
import { effectiveOutcome } from './types.ts'
import type { CheckFailure, StepResult, SuiteResult } from './types.ts'

const GENERATED_IN_TEXT: readonly [RegExp, string][] = [
  [/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<uuid>'],
  [/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z/g, '<timestamp>'],
  [/img_[0-9a-f]+\.\d+/g, '<image>'],
  [/\/messenger\/join\/[A-Z0-9]{8}/g, '/messenger/join/<code>'],
  // An invite code inside a text (an 8-character word of capitals and at least one digit).
  [/\b(?=[A-Z]*\d)[A-Z0-9]{8}\b/g, '<code>'],
]
/** A room id: an integer of 12 digits or more. */
const LARGE_NUMBER = 1e11

function normalise(text: string, base: string): string {
  let out = base === '' ? text : text.split(base).join('<base>')
  for (const [pattern, token] of GENERATED_IN_TEXT) {
    out = out.replace(pattern, token)
  }
  return out
}

/** Both strings stand for generated values of the same kind. */
function sameGeneratedKind(a: string, b: string): boolean {
  return [INVITE_CODE_PATTERN, ROOM_PIN_PATTERN].some((p) => p.test(a) && p.test(b))
}

interface Side {
  value: unknown
  base: string
}

function diff(a: Side, b: Side, path: string, out: CheckFailure[]): void {
  const ta = jsonType(a.value)
  const tb = jsonType(b.value)
  const differ = (message: string) => {
    out.push({ check: 'compare', path, message, expected: a.value, actual: b.value })
  }
  if (ta !== tb) {
    differ(`${ta} here, ${tb} on the other target`)
    return
  }
  if (Array.isArray(a.value) && Array.isArray(b.value)) {
    if (a.value.length !== b.value.length) {
      differ(`${a.value.length} items here, ${b.value.length} on the other target`)
    }
    const shared = Math.min(a.value.length, b.value.length)
    for (let i = 0; i < shared; i += 1) {
      diff({ ...a, value: a.value[i] }, { ...b, value: b.value[i] }, `${path}[${i}]`, out)
    }
    return
  }
  if (ta === 'object') {
    const oa = a.value as Record<string, unknown>
    const ob = b.value as Record<string, unknown>
    // Keys only this target has come first, then the other's keys in its order.
    const keys = [...Object.keys(oa).filter((key) => !Object.hasOwn(ob, key)), ...Object.keys(ob)]
    for (const key of keys) {
      const at = `${path}.${key}`
      if (!Object.hasOwn(ob, key)) {
        out.push({ check: 'compare', path: at, message: 'only on this target', expected: oa[key] })
      } else if (!Object.hasOwn(oa, key)) {
        out.push({
          check: 'compare',
          path: at,
          message: 'only on the other target',
          actual: ob[key],
        })
      } else {
        diff({ ...a, value: oa[key] }, { ...b, value: ob[key] }, at, out)
      }
    }
    return
  }
  if (typeof a.value === 'string' && typeof b.value === 'string') {
    if (
      a.value !== b.value &&
      normalise(a.value, a.base) !== normalise(b.value, b.base) &&
      !sameGeneratedKind(a.value, b.value)
    ) {
      differ(`${show(a.value)} here, ${show(b.value)} on the other target`)
    }
    return
  }
  if (typeof a.value === 'number' && typeof b.value === 'number') {
    if (a.value !== b.value && !(a.value >= LARGE_NUMBER && b.value >= LARGE_NUMBER)) {
      differ(`${a.value} here, ${b.value} on the other target`)
    }
    return
  }
  if (a.value !== b.value) {
    differ(`${show(a.value)} here, ${show(b.value)} on the other target`)
  }
}

/** The differences between two answers to the same step. */
export function compareAnswers(
  a: StepResult,
  b: StepResult,
  bases: [string, string]
): CheckFailure[] {
  if (a.response === undefined || b.response === undefined) {
    return []
  }
  const out: CheckFailure[] = []
  if (a.response.status !== b.response.status) {
    out.push({
      check: 'compare',
      path: '$',
      message: `status ${a.response.status} here, ${b.response.status} on the other target`,
      expected: a.response.status,
      actual: b.response.status,
    })
    return out
  }
  diff(
    { value: a.response.body, base: bases[0] },
    { value: b.response.body, base: bases[1] },
    '$',
    out
  )
  return out
}

/**
 * The first run with each step's differences from the second run added as `compare` failures.
 * Steps that ran on one target only are left as they are.
 */
export function mergeComparison(first: SuiteResult, second: SuiteResult): SuiteResult {
  const others = new Map(second.steps.map((step) => [step.id, step]))
  const steps = first.steps.map((step) => {
    const other = others.get(step.id)
    if (
      other === undefined ||
      effectiveOutcome(step) === 'skipped' ||
      effectiveOutcome(other) === 'skipped'
    ) {
      return step
    }
    const differences = compareAnswers(step, other, [first.target, second.target])
    return differences.length === 0
      ? step
      : {
          ...step,
          outcome: 'failed' as const,
          checks: step.checks + 1,
          failures: [...step.failures, ...differences],
        }
  })
  return { ...first, steps, comparedWith: second.target }
}
