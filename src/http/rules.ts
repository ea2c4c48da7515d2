// Laravel 8 validation rules as zod fields, so @hono/zod-openapi's request validation answers
// with Laravel's own per-field texts ("The kicked field is required.", …).
import { z } from '@hono/zod-openapi'
import type { FieldErrors } from './errors.ts'

export interface Rule {
  passes(value: unknown): boolean
  message(attribute: string): string
}

/** Laravel shows a field as its name with underscores turned into spaces. */
const attributeName = (field: string) => field.replaceAll('_', ' ')

/** Laravel's `required`: null, an all-blank string and an empty array count as missing. */
function isMissing(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    (typeof value === 'string' && value.trim() === '') ||
    (Array.isArray(value) && value.length === 0)
  )
}

const INTEGER_STRING = /^\s*[+-]?\d+\s*$/

/** PHP's filter_var(FILTER_VALIDATE_INT), which is what Laravel's `integer` rule runs. */
function isPhpInteger(value: unknown): boolean {
  if (typeof value === 'number') {
    return Number.isInteger(value)
  }
  return value === true || (typeof value === 'string' && INTEGER_STRING.test(value))
}

/** Laravel's size of a value under a numeric rule: the number itself, else a length. */
function numericSize(value: unknown): number {
  if (typeof value === 'number') {
    return value
  }
  if (typeof value === 'string') {
    const trimmed = value.trim()
    return trimmed !== '' && Number.isFinite(Number(trimmed))
      ? Number(trimmed)
      : Array.from(value).length
  }
  if (Array.isArray(value)) {
    return value.length
  }
  return Number.NaN
}

export const boolean: Rule = {
  passes: (value) => [true, false, 0, 1, '0', '1'].includes(value as never),
  message: (attribute) => `The ${attribute} field must be true or false.`,
}

export const integer: Rule = {
  passes: isPhpInteger,
  message: (attribute) => `The ${attribute} must be an integer.`,
}

export const between = (min: number, max: number): Rule => ({
  passes: (value) => {
    const size = numericSize(value)
    return size >= min && size <= max
  },
  message: (attribute) => `The ${attribute} must be between ${min} and ${max}.`,
})

export const oneOf = (values: readonly (string | number)[]): Rule => ({
  passes: (value) =>
    (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') &&
    values.map(String).includes(String(value === true ? 1 : value === false ? '' : value)),
  message: (attribute) => `The selected ${attribute} is invalid.`,
})

export const asBoolean = (value: unknown): boolean => value === true || value === 1 || value === '1'
export const asInteger = (value: unknown): number => (value === true ? 1 : Number(value))

/**
 * A required field checked by Laravel rules, in order; every failing rule is reported (no `bail`),
 * but a missing value reports only "required", as Laravel stops at a failed implicit rule.
 */
export function requiredField<T>(
  field: string,
  rules: readonly Rule[],
  cast: (value: unknown) => T,
  openapi: Record<string, unknown>
) {
  const attribute = attributeName(field)
  return z
    .unknown()
    .superRefine((value, ctx) => {
      if (isMissing(value)) {
        ctx.addIssue({ code: 'custom', message: `The ${attribute} field is required.` })
        return
      }
      for (const rule of rules) {
        if (!rule.passes(value)) {
          ctx.addIssue({ code: 'custom', message: rule.message(attribute) })
        }
      }
    })
    .transform(cast)
    .openapi(openapi)
}

/** Groups zod issues by field, keeping the declared field order and each field's rule order. */
export function fieldErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[]) {
  const errors: FieldErrors = {}
  for (const issue of issues) {
    const field = issue.path.length > 0 ? String(issue.path[0]) : 'body'
    const messages = (errors[field] ??= [])
    if (!messages.includes(issue.message)) {
      messages.push(issue.message)
    }
  }
  return errors
}
