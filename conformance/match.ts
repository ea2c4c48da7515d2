// Compares a documented example with an actual body; captures and substitutes values between steps.
import type { CheckFailure } from './types.ts'

export type Matcher =
  | { kind: 'equals'; value: unknown }
  | { kind: 'uuid' }
  | { kind: 'timestamp' }
  | { kind: 'integer' }
  | { kind: 'string' }
  | { kind: 'boolean' }
  | { kind: 'pattern'; regex: string }
  | { kind: 'oneOf'; values: unknown[] }
  | { kind: 'nullable'; of: Matcher }
  | { kind: 'any' }
  | { kind: 'absent' }

export interface MatchOptions {
  /**
   * Documented literal -> actual value of this run, substituted wherever the literal occurs in a
   * documented string (whole value or substring). Keys should be distinctive (ids, URLs, codes):
   * a short key would also be replaced inside unrelated strings.
   */
  vars: ReadonlyMap<string, string>
  /** Keyed by JSON path ("$.active_calls_count", "$.data[*].options.online_status"). */
  overrides?: Readonly<Record<string, Matcher>>
  /** Default false: keys the documentation does not show are failures ("unexpected key"). */
  allowExtraKeys?: boolean
}

export type PathSegment =
  { kind: 'key'; key: string } | { kind: 'index'; index: number } | { kind: 'wildcard' }

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** Laravel's serialisation of a MySQL timestamp: always six zero microseconds and "Z". */
export const TIMESTAMP_PATTERN =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.000000Z$/
export const ROOM_PIN_PATTERN = /^[A-Za-z0-9]{6}$/
export const INVITE_CODE_PATTERN = /^[A-Z0-9]{8}$/

const TIMESTAMP_SAMPLE = '2020-12-08T06:10:54.000000Z'
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/
const MAX_SHOWN = 120

/** The JSON type of a value; anything JSON cannot hold is reported by its JS type. */
export function jsonType(value: unknown): string {
  if (value === null) {
    return 'null'
  }
  if (Array.isArray(value)) {
    return 'array'
  }
  return typeof value
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A value as it appears in a message: JSON, cut short so one failure stays one readable line. */
export function show(value: unknown): string {
  const text = value === undefined ? 'undefined' : (JSON.stringify(value) as string | undefined)
  if (text === undefined) {
    return String(value)
  }
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text
}

/** Parses "$", "$.a.b", "$.data[0].id", "$[1]", "$.data[*].x", '$["odd key"]'; throws if bad. */
export function parsePath(path: string): PathSegment[] {
  if (!path.startsWith('$')) {
    throw new Error(`invalid JSON path ${show(path)}: it must start with "$"`)
  }
  const segments: PathSegment[] = []
  let rest = path.slice(1)
  while (rest.length > 0) {
    const dotted = /^\.([^.[\]]+)/.exec(rest)
    const indexed = /^\[(\d+|\*)\]/.exec(rest)
    const quoted = /^\[("(?:[^"\\]|\\.)*"|'[^']*')\]/.exec(rest)
    if (dotted?.[1] !== undefined) {
      segments.push({ kind: 'key', key: dotted[1] })
      rest = rest.slice(dotted[0].length)
    } else if (indexed?.[1] !== undefined) {
      segments.push(
        indexed[1] === '*' ? { kind: 'wildcard' } : { kind: 'index', index: Number(indexed[1]) }
      )
      rest = rest.slice(indexed[0].length)
    } else if (quoted?.[1] !== undefined) {
      const literal = quoted[1]
      const key = literal.startsWith('"') ? (JSON.parse(literal) as string) : literal.slice(1, -1)
      segments.push({ kind: 'key', key })
      rest = rest.slice(quoted[0].length)
    } else {
      throw new Error(`invalid JSON path ${show(path)} at ${show(rest)}`)
    }
  }
  return segments
}

export function formatPath(segments: readonly PathSegment[]): string {
  let path = '$'
  for (const segment of segments) {
    switch (segment.kind) {
      case 'key':
        path += IDENTIFIER.test(segment.key)
          ? `.${segment.key}`
          : `[${JSON.stringify(segment.key)}]`
        break
      case 'index':
        path += `[${segment.index}]`
        break
      case 'wildcard':
        path += '[*]'
        break
    }
  }
  return path
}

/** The value at a simple JSON path ("$.id", "$.data[0].id", "$[1].id"); undefined when absent. */
export function capture(body: unknown, pointer: string): unknown {
  let current: unknown = body
  for (const segment of parsePath(pointer)) {
    switch (segment.kind) {
      case 'wildcard':
        throw new Error(`cannot capture ${show(pointer)}: [*] matches many values`)
      case 'key':
        if (!isRecord(current) || !Object.hasOwn(current, segment.key)) {
          return undefined
        }
        current = current[segment.key]
        break
      case 'index':
        if (!Array.isArray(current) || segment.index >= current.length) {
          return undefined
        }
        current = current[segment.index] as unknown
        break
    }
  }
  return current
}

interface CompiledVars {
  regex: RegExp | null
  map: ReadonlyMap<string, string>
}

function compileVars(vars: ReadonlyMap<string, string>): CompiledVars {
  // Longest first, in one pass: a value just substituted is never substituted again, and a long
  // literal wins over a shorter one it contains (a base URL over a host, say).
  const keys = [...vars.keys()].filter((key) => key.length > 0).sort((a, b) => b.length - a.length)
  if (keys.length === 0) {
    return { regex: null, map: vars }
  }
  const escaped = keys.map((key) => key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  return { regex: new RegExp(escaped.join('|'), 'g'), map: vars }
}

function substituteWith(text: string, vars: CompiledVars): { value: string; substituted: boolean } {
  if (vars.regex === null) {
    return { value: text, substituted: false }
  }
  let substituted = false
  const value = text.replace(vars.regex, (found) => {
    substituted = true
    return vars.map.get(found) ?? found
  })
  return { value, substituted }
}

function substituteDeep(value: unknown, vars: CompiledVars): unknown {
  if (typeof value === 'string') {
    return substituteWith(value, vars).value
  }
  if (Array.isArray(value)) {
    return value.map((item: unknown) => substituteDeep(item, vars))
  }
  if (isRecord(value)) {
    const copy: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) {
      copy[key] = substituteDeep(item, vars)
    }
    return copy
  }
  return value
}

/** Deep string substitution (values only, never keys); for request bodies and paths as well. */
export function substitute(value: unknown, vars: ReadonlyMap<string, string>): unknown {
  return substituteDeep(value, compileVars(vars))
}

interface CompiledOverride {
  segments: PathSegment[]
  matcher: Matcher
  wildcards: number
}

interface Context {
  vars: CompiledVars
  overrides: CompiledOverride[]
  allowExtraKeys: boolean
  failures: CheckFailure[]
}

function fail(
  ctx: Context,
  segments: readonly PathSegment[],
  message: string,
  values: { expected?: unknown; actual?: unknown } = {}
): void {
  ctx.failures.push({ check: 'example', path: formatPath(segments), message, ...values })
}

function segmentMatches(pattern: PathSegment, segment: PathSegment): boolean {
  switch (pattern.kind) {
    case 'wildcard':
      return segment.kind === 'index'
    case 'index':
      return segment.kind === 'index' && segment.index === pattern.index
    case 'key':
      return segment.kind === 'key' && segment.key === pattern.key
  }
}

function prefixMatches(pattern: readonly PathSegment[], segments: readonly PathSegment[]): boolean {
  return segments.every((segment, i) => {
    const expected = pattern[i]
    return expected !== undefined && segmentMatches(expected, segment)
  })
}

/** The override for this exact node; a literal path beats one with [*]. */
function findOverride(ctx: Context, segments: readonly PathSegment[]): Matcher | undefined {
  let best: CompiledOverride | undefined
  for (const candidate of ctx.overrides) {
    if (
      candidate.segments.length === segments.length &&
      prefixMatches(candidate.segments, segments)
    ) {
      if (best === undefined || candidate.wildcards < best.wildcards) {
        best = candidate
      }
    }
  }
  return best?.matcher
}

/** Keys an override names directly under this object, so an override can also add a key. */
function overrideKeys(ctx: Context, segments: readonly PathSegment[]): string[] {
  const keys: string[] = []
  for (const candidate of ctx.overrides) {
    const last = candidate.segments.at(-1)
    if (
      last?.kind === 'key' &&
      candidate.segments.length === segments.length + 1 &&
      prefixMatches(candidate.segments, segments) &&
      !keys.includes(last.key)
    ) {
      keys.push(last.key)
    }
  }
  return keys
}

export function describeMatcher(matcher: Matcher): string {
  switch (matcher.kind) {
    case 'equals':
      return show(matcher.value)
    case 'uuid':
      return 'a UUID'
    case 'timestamp':
      return `a timestamp like ${TIMESTAMP_SAMPLE}`
    case 'integer':
      return 'an integer'
    case 'string':
      return 'a string'
    case 'boolean':
      return 'a boolean'
    case 'pattern':
      return `a string matching /${matcher.regex}/`
    case 'oneOf':
      return `one of ${matcher.values.map(show).join(', ')}`
    case 'nullable':
      return `null or ${describeMatcher(matcher.of)}`
    case 'any':
      return 'any value'
    case 'absent':
      return 'no value (the key must be absent)'
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) {
    return true
  }
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]))
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a)
    return (
      keys.length === Object.keys(b).length &&
      keys.every((key) => Object.hasOwn(b, key) && deepEqual(a[key], b[key]))
    )
  }
  return false
}

/** Whether a value satisfies a matcher that has no inner structure to report on. */
function satisfies(matcher: Matcher, actual: unknown): boolean {
  switch (matcher.kind) {
    case 'equals':
      return deepEqual(matcher.value, actual)
    case 'uuid':
      return typeof actual === 'string' && UUID_PATTERN.test(actual)
    case 'timestamp':
      return typeof actual === 'string' && TIMESTAMP_PATTERN.test(actual)
    case 'integer':
      return Number.isInteger(actual)
    case 'string':
      return typeof actual === 'string'
    case 'boolean':
      return typeof actual === 'boolean'
    case 'pattern':
      return typeof actual === 'string' && new RegExp(matcher.regex).test(actual)
    case 'oneOf':
      return matcher.values.some((value) => deepEqual(value, actual))
    case 'nullable':
      return actual === null || satisfies(matcher.of, actual)
    case 'any':
      return true
    case 'absent':
      return false
  }
}

function applyMatcher(
  ctx: Context,
  matcher: Matcher,
  actual: unknown,
  segments: readonly PathSegment[]
): void {
  // An exact value is compared structurally so that the failure names the innermost path.
  const exact =
    matcher.kind === 'equals'
      ? matcher
      : matcher.kind === 'nullable' && matcher.of.kind === 'equals' && actual !== null
        ? matcher.of
        : undefined
  if (exact !== undefined) {
    compareExact(ctx, exact.value, actual, [...segments])
    return
  }
  if (!satisfies(matcher, actual)) {
    fail(ctx, segments, `expected ${describeMatcher(matcher)}, got ${show(actual)}`, {
      expected: matcher,
      actual,
    })
  }
}

function typeMismatch(
  ctx: Context,
  expected: unknown,
  actual: unknown,
  segments: readonly PathSegment[]
): boolean {
  const expectedType = jsonType(expected)
  const actualType = jsonType(actual)
  if (expectedType === actualType) {
    return false
  }
  fail(ctx, segments, `expected ${expectedType}, got ${actualType}`, { expected, actual })
  return true
}

/** Arrays: a length difference is one failure; the common prefix is still compared item by item. */
function compareItems(
  ctx: Context,
  expected: readonly unknown[],
  actual: readonly unknown[],
  segments: PathSegment[],
  compare: (ctx: Context, expected: unknown, actual: unknown, segments: PathSegment[]) => void
): void {
  if (expected.length !== actual.length) {
    fail(ctx, segments, `expected ${expected.length} items, got ${actual.length}`, {
      expected: expected.length,
      actual: actual.length,
    })
  }
  const common = Math.min(expected.length, actual.length)
  for (let i = 0; i < common; i++) {
    compare(ctx, expected[i], actual[i], [...segments, { kind: 'index', index: i }])
  }
}

/** Exact deep equality with precise paths; no vars, heuristics or overrides apply inside. */
function compareExact(
  ctx: Context,
  expected: unknown,
  actual: unknown,
  segments: PathSegment[]
): void {
  if (typeMismatch(ctx, expected, actual, segments)) {
    return
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    compareItems(ctx, expected, actual, segments, compareExact)
    return
  }
  if (isRecord(expected) && isRecord(actual)) {
    for (const [key, value] of Object.entries(expected)) {
      const child: PathSegment[] = [...segments, { kind: 'key', key }]
      if (Object.hasOwn(actual, key)) {
        compareExact(ctx, value, actual[key], child)
      } else {
        fail(ctx, child, `missing key ${show(key)}`, { expected: value })
      }
    }
    for (const [key, value] of Object.entries(actual)) {
      if (!Object.hasOwn(expected, key)) {
        fail(ctx, [...segments, { kind: 'key', key }], `unexpected key ${show(key)}`, {
          actual: value,
        })
      }
    }
    return
  }
  if (expected !== actual) {
    fail(ctx, segments, `expected ${show(expected)}, got ${show(actual)}`, { expected, actual })
  }
}

function lastKey(segments: readonly PathSegment[]): string | undefined {
  const last = segments.at(-1)
  return last?.kind === 'key' ? last.key : undefined
}

function compareString(
  ctx: Context,
  documented: string,
  actual: unknown,
  segments: PathSegment[]
): void {
  const { value: expected, substituted } = substituteWith(documented, ctx.vars)
  if (typeMismatch(ctx, expected, actual, segments) || typeof actual !== 'string') {
    return
  }
  const key = lastKey(segments)
  const mismatch = (description: string): void => {
    fail(ctx, segments, `expected ${description}, got ${show(actual)}`, { expected, actual })
  }
  // A substituted var makes the value known for this run, so it must match exactly; otherwise
  // generated values (ids, timestamps, pins, codes) only need to have the documented shape.
  if (substituted) {
    if (actual !== expected) {
      mismatch(show(expected))
    }
  } else if (UUID_PATTERN.test(expected)) {
    if (!UUID_PATTERN.test(actual)) {
      mismatch('a UUID')
    }
  } else if (TIMESTAMP_PATTERN.test(expected)) {
    if (!TIMESTAMP_PATTERN.test(actual)) {
      mismatch(`a timestamp like ${expected}`)
    }
  } else if (key === 'room_pin') {
    if (!ROOM_PIN_PATTERN.test(actual)) {
      mismatch(`a room pin matching ${String(ROOM_PIN_PATTERN)}`)
    }
  } else if (key === 'code' && INVITE_CODE_PATTERN.test(expected)) {
    if (!INVITE_CODE_PATTERN.test(actual)) {
      mismatch(`an invite code matching ${String(INVITE_CODE_PATTERN)}`)
    }
  } else if (actual !== expected) {
    mismatch(show(expected))
  }
}

function compareObject(
  ctx: Context,
  expected: Record<string, unknown>,
  actual: Record<string, unknown>,
  segments: PathSegment[]
): void {
  const documentedKeys = Object.keys(expected)
  const addedKeys = overrideKeys(ctx, segments).filter((key) => !Object.hasOwn(expected, key))
  for (const key of [...documentedKeys, ...addedKeys]) {
    const child: PathSegment[] = [...segments, { kind: 'key', key }]
    const present = Object.hasOwn(actual, key)
    const override = findOverride(ctx, child)
    if (override?.kind === 'absent') {
      if (present) {
        fail(ctx, child, `unexpected key ${show(key)} (it must be absent)`, { actual: actual[key] })
      }
    } else if (!present) {
      fail(ctx, child, `missing key ${show(key)}`, {
        expected: override ?? expected[key],
      })
    } else {
      walk(ctx, expected[key], actual[key], child)
    }
  }
  if (ctx.allowExtraKeys) {
    return
  }
  for (const [key, value] of Object.entries(actual)) {
    if (!Object.hasOwn(expected, key) && !addedKeys.includes(key)) {
      fail(ctx, [...segments, { kind: 'key', key }], `unexpected key ${show(key)}`, {
        actual: value,
      })
    }
  }
}

function walk(ctx: Context, expected: unknown, actual: unknown, segments: PathSegment[]): void {
  const override = findOverride(ctx, segments)
  if (override !== undefined) {
    applyMatcher(ctx, override, actual, segments)
    return
  }
  if (typeof expected === 'string') {
    compareString(ctx, expected, actual, segments)
    return
  }
  if (typeMismatch(ctx, expected, actual, segments)) {
    return
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    compareItems(ctx, expected, actual, segments, walk)
  } else if (isRecord(expected) && isRecord(actual)) {
    compareObject(ctx, expected, actual, segments)
  } else if (lastKey(segments) === 'room_id' && typeof expected === 'number') {
    // The video room is created by the backend for every call; only its shape is documented.
    if (!Number.isInteger(actual)) {
      fail(ctx, segments, `expected an integer room id, got ${show(actual)}`, { expected, actual })
    }
  } else if (expected !== actual) {
    fail(ctx, segments, `expected ${show(expected)}, got ${show(actual)}`, { expected, actual })
  }
}

function compileOverrides(overrides: Readonly<Record<string, Matcher>>): CompiledOverride[] {
  return Object.entries(overrides).map(([path, matcher]) => {
    const segments = parsePath(path)
    if (matcher.kind === 'pattern') {
      // Fail fast on a bad regex, rather than on the first value that reaches it.
      new RegExp(matcher.regex)
    }
    return {
      segments,
      matcher,
      wildcards: segments.filter((segment) => segment.kind === 'wildcard').length,
    }
  })
}

/**
 * Compares a documented example with an actual response body. Returns one failure per difference,
 * in documented key order; an empty list means the body matches. Throws only for a malformed
 * override path or regex, which is a bug in the scenario, not in the target.
 */
export function matchExample(
  expected: unknown,
  actual: unknown,
  options: MatchOptions
): CheckFailure[] {
  const ctx: Context = {
    vars: compileVars(options.vars),
    overrides: compileOverrides(options.overrides ?? {}),
    allowExtraKeys: options.allowExtraKeys ?? false,
    failures: [],
  }
  walk(ctx, expected, actual, [])
  return ctx.failures
}
