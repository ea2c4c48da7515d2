// The controls of each world (its rules and its request journal). They belong to the sandbox, not
// to its world document: kept beside the world's handle, they survive a world reset and go away
// with the sandbox.
import type { WorldHandle } from '../world/worlds.ts'
import { createJournal, DEFAULT_JOURNAL_LIMIT, type Journal } from './journal.ts'
import { createRuleSet, type RuleSet } from './rules.ts'

export interface SandboxControls {
  readonly rules: RuleSet
  readonly journal: Journal
}

export interface ControlsRegistry {
  of(world: WorldHandle): SandboxControls
}

export function createControlsRegistry(options: { journalLimit?: number | undefined } = {}) {
  const limit = options.journalLimit ?? DEFAULT_JOURNAL_LIMIT
  // Keyed by the sandbox's lifetime, not its handle: a sandbox that sleeps and wakes gets a new
  // handle but keeps its rules and journal; a deleted or expired sandbox's lifetime is dropped by
  // the registry, and its controls with it, so a name made again starts without them.
  const controls = new WeakMap<object, SandboxControls>()
  return {
    of(world: WorldHandle): SandboxControls {
      let found = controls.get(world.lifetime)
      if (found === undefined) {
        found = { rules: createRuleSet(), journal: createJournal(limit) }
        controls.set(world.lifetime, found)
      }
      return found
    },
  } satisfies ControlsRegistry
}
