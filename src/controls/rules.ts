// Latency and fault rules of one sandbox (POST /mock/rules): which requests they match, and the
// bookkeeping of hits and `times`. What a rule does to a request is in middleware.ts.
import type { components } from '../generated/mock-control.ts'

type Schemas = components['schemas']
export type RuleInput = Schemas['RuleInput']
export type Rule = Schemas['Rule']
export type RuleMatch = Schemas['RuleMatch']
export type Delay = Schemas['Delay']

/** The most rules a sandbox may hold (documented in mock-control.yaml and README). */
export const MAX_RULES = 100
export const MAX_DELAY_MS = 60_000

/** What a request offers to the rules' `match`. */
export interface RequestFacts {
  method: string
  path: string
  operationId: string | undefined
  /** The logged-in user's id and token; both undefined for a guest. */
  userId: string | undefined
  token: string | undefined
}

export interface RuleSet {
  list(): Rule[]
  add(input: RuleInput): Rule
  remove(id: string): boolean
  clear(): void
  readonly size: number
  /**
   * The first rule that matches, counted as applied (its `times` used up removes it); undefined
   * when none does.
   */
  take(
    facts: RequestFacts,
    matchesTemplate: (template: string, path: string) => boolean
  ): Rule | undefined
}

const stripSlash = (path: string) => (path.length > 1 ? path.replace(/\/$/, '') : path)

export function ruleMatches(
  match: RuleMatch,
  facts: RequestFacts,
  matchesTemplate: (template: string, path: string) => boolean
): boolean {
  if (match.method !== undefined && match.method !== facts.method) {
    return false
  }
  if (match.path !== undefined) {
    const fits = match.path.includes('{')
      ? matchesTemplate(match.path, facts.path)
      : stripSlash(match.path) === stripSlash(facts.path)
    if (!fits) {
      return false
    }
  }
  if (match.operation !== undefined && match.operation !== facts.operationId) {
    return false
  }
  if (match.actor !== undefined && match.actor !== facts.userId && match.actor !== facts.token) {
    return false
  }
  return true
}

/** The delay a rule asks for: fixed, or uniformly random within its range. */
export function delayOf(delay: Delay | undefined, random: () => number = Math.random): number {
  if (delay === undefined) {
    return 0
  }
  if (typeof delay === 'number') {
    return delay
  }
  return delay.min + Math.floor(random() * (delay.max - delay.min + 1))
}

export function createRuleSet(): RuleSet {
  const rules: Rule[] = []
  let nextId = 1
  const snapshot = (rule: Rule): Rule => structuredClone(rule)
  return {
    list: () => rules.map(snapshot),
    add(input) {
      const rule: Rule = {
        id: `rule-${nextId++}`,
        match: input.match ?? {},
        ...(input.delay_ms === undefined ? {} : { delay_ms: input.delay_ms }),
        ...(input.respond === undefined ? {} : { respond: input.respond }),
        ...(input.drop === undefined ? {} : { drop: input.drop }),
        hits: 0,
        remaining: input.times ?? null,
      }
      rules.push(rule)
      return snapshot(rule)
    },
    remove(id) {
      const index = rules.findIndex((r) => r.id === id)
      if (index < 0) {
        return false
      }
      rules.splice(index, 1)
      return true
    },
    clear() {
      rules.length = 0
    },
    get size() {
      return rules.length
    },
    take(facts, matchesTemplate) {
      const index = rules.findIndex((r) => ruleMatches(r.match, facts, matchesTemplate))
      const rule = rules[index]
      if (rule === undefined) {
        return undefined
      }
      rule.hits += 1
      if (rule.remaining !== null) {
        rule.remaining -= 1
        if (rule.remaining === 0) {
          rules.splice(index, 1)
        }
      }
      return snapshot(rule)
    },
  }
}
