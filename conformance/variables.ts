// Variables of a run: the target's ids and actors, values captured by earlier steps, and the
// mapping from the documents' literals to this run's values for comparing with examples.
import type { RequestStep, Scenario, TargetProfile } from './scenario.ts'

const VAR = /\{\{([\w.]+)\}\}/g

/** The variables a step may use: the target's ids and actors, then what earlier steps captured. */
export function baseVariables(profile: TargetProfile, baseUrl: string): Map<string, string> {
  const vars = new Map<string, string>()
  for (const [name, actor] of Object.entries(profile.actors)) {
    vars.set(`actors.${name}`, actor.id)
  }
  for (const [name, id] of Object.entries(profile.ids)) {
    vars.set(name, id)
  }
  vars.set('base_url', profile.public_url ?? baseUrl)
  return vars
}

/** Documented literal → the target's value, for comparing with the documented examples. */
export function documentedToActual(
  documented: TargetProfile,
  scenario: Scenario,
  step: RequestStep,
  vars: Map<string, string>
): Map<string, string> {
  const map = new Map<string, string>()
  const add = (literal: string, name: string) => {
    const value = vars.get(name)
    if (value !== undefined) {
      map.set(literal, value)
    }
  }
  for (const [name, actor] of Object.entries(documented.actors)) {
    add(actor.id, `actors.${name}`)
  }
  for (const [name, literal] of Object.entries(documented.ids)) {
    add(literal, name)
  }
  if (documented.public_url !== undefined) {
    add(documented.public_url, 'base_url')
  }
  for (const [name, literal] of Object.entries({ ...scenario.aliases, ...step.aliases })) {
    add(literal, name)
  }
  // A step's own mapping wins for the literals it names.
  for (const [name, literal] of Object.entries(step.aliases ?? {})) {
    add(literal, name)
  }
  return map
}

/** `{{name}}` → value everywhere in a request part; the names that had no value are added to `missing`. */
export function fill<T>(value: T, vars: ReadonlyMap<string, string>, missing: Set<string>): T {
  if (typeof value === 'string') {
    return value.replace(VAR, (whole, name: string) => {
      const found = vars.get(name)
      if (found === undefined) {
        missing.add(name)
        return whole
      }
      return found
    }) as T
  }
  if (Array.isArray(value)) {
    return value.map((item: unknown) => fill(item, vars, missing)) as T
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, fill(v, vars, missing)])
    ) as T
  }
  return value
}

/**
 * Each variable a value names, mapped to itself: a captured id filled into an expectation is then
 * compared exactly rather than by its shape (for matchExample's `vars`).
 */
export function namedValues(
  value: unknown,
  vars: ReadonlyMap<string, string>
): Map<string, string> {
  const named = new Map<string, string>()
  for (const [, name] of JSON.stringify(value ?? null).matchAll(VAR)) {
    const found = name === undefined ? undefined : vars.get(name)
    if (found !== undefined) {
      named.set(found, found)
    }
  }
  return named
}

/** `fill` where a missing variable is left as written (expectations, not requests). */
export function fillLoosely<T>(value: T, vars: ReadonlyMap<string, string>): T {
  return fill(value, vars, new Set<string>())
}
