// Tests for the world registry: the main world in a file, sandboxes, their isolation and limits.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readDefaultWorld } from './default-world.ts'
import { exportWorld } from './export.ts'
import { createWorlds, SandboxNameError, type WorldHandle, type Worlds } from './worlds.ts'

const ZAJOR26J = '92315b42-d57e-461a-91fb-e5eb9f1f2ca9'
const DEFAULT_NOW = '2020-12-08T06:25:00.000000Z'

let dir = ''
let opened: Worlds[] = []

function worlds(file = ':memory:', maxSandboxes?: number): Worlds {
  const made = createWorlds({
    file,
    defaultWorld: readDefaultWorld,
    ...(maxSandboxes === undefined ? {} : { maxSandboxes }),
  })
  opened.push(made)
  return made
}

const inviteCodes = (world: WorldHandle): string[] =>
  world.db.prepare<[], string>('SELECT code FROM invites ORDER BY code').pluck().all()

function deleteInvite(world: WorldHandle): void {
  world.db.prepare('DELETE FROM invites WHERE id = ?').run(ZAJOR26J)
}

/** Turns calling off in the rows, after the config store has read them. */
function turnCallingOffInRows(world: WorldHandle): void {
  world.db
    .prepare("UPDATE world_config SET config = json_set(config, '$.calling', json('false'))")
    .run()
  // The store keeps what it read until the world is replaced.
  expect(world.stores.config.get().calling).toBe(true)
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'messenger-worlds-'))
  opened = []
})

afterEach(() => {
  for (const made of opened) {
    made.close()
  }
  rmSync(dir, { recursive: true, force: true })
})

describe('the main world', () => {
  it('starts as the default world', () => {
    const main = worlds().main()
    expect(main.name).toBe('main')
    expect(inviteCodes(main)).toEqual(['7EIFRXXP', 'ZAJOR26J'])
    expect(exportWorld(main.db).users.map((u) => u.token)).toEqual(['john', 'jane', 'jairo'])
  })

  it('keeps its data in the file across a restart instead of loading the default again', () => {
    const file = join(dir, 'main.db')
    const first = worlds(file)
    deleteInvite(first.main())
    first.main().clock.set('2021-01-01T00:00:00Z', true)
    first.close()
    const second = worlds(file).main()
    expect(inviteCodes(second)).toEqual(['7EIFRXXP'])
    expect(second.clock.state()).toEqual({ now: '2021-01-01T00:00:00.000000Z', frozen: true })
  })

  it('goes back to the default world on resetMain, in the same database', () => {
    const registry = worlds()
    const main = registry.main()
    deleteInvite(main)
    main.clock.advance(3600)
    expect(main.stores.config.get().calling).toBe(true)
    turnCallingOffInRows(main)
    const reset = registry.resetMain()
    expect(reset.db).toBe(main.db)
    expect(reset.stores).toBe(main.stores)
    expect(reset.stores.config.get().calling).toBe(true)
    expect(inviteCodes(reset)).toEqual(['7EIFRXXP', 'ZAJOR26J'])
    expect(reset.clock.now()).toBe(DEFAULT_NOW)
  })
})

describe('sandboxes', () => {
  it('start as the default world with its clock, however late they are made', () => {
    const registry = worlds()
    registry.main().clock.advance(86_400)
    const sandbox = registry.sandbox('ci-1')
    expect(sandbox.name).toBe('ci-1')
    expect(inviteCodes(sandbox)).toEqual(['7EIFRXXP', 'ZAJOR26J'])
    expect(sandbox.clock.state()).toEqual({ now: DEFAULT_NOW, frozen: false })
    expect(exportWorld(sandbox.db).users.map((u) => u.online_status)).toEqual([1, 2, 1])
  })

  it('are the same world on every use of the name', () => {
    const registry = worlds()
    expect(registry.sandbox('a')).toBe(registry.sandbox('a'))
  })

  it('are isolated from each other and from main', () => {
    const registry = worlds()
    const a = registry.sandbox('a')
    const b = registry.sandbox('b')
    deleteInvite(a)
    a.clock.advance(600)
    expect(inviteCodes(a)).toEqual(['7EIFRXXP'])
    expect(inviteCodes(b)).toEqual(['7EIFRXXP', 'ZAJOR26J'])
    expect(inviteCodes(registry.main())).toEqual(['7EIFRXXP', 'ZAJOR26J'])
    expect(b.clock.now()).toBe(DEFAULT_NOW)
    deleteInvite(registry.main())
    expect(inviteCodes(b)).toEqual(['7EIFRXXP', 'ZAJOR26J'])
    expect(a.stores).not.toBe(b.stores)
  })

  it('are listed by name with the time they were made', () => {
    const registry = worlds()
    registry.sandbox('zeta')
    registry.sandbox('alpha')
    const list = registry.list()
    expect(list.map((s) => s.name)).toEqual(['alpha', 'zeta'])
    for (const entry of list) {
      expect(entry.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000000Z$/)
      expect(Math.abs(Date.parse(entry.created_at) - Date.now())).toBeLessThan(5000)
    }
  })

  it('can be removed, closing their database, and come back fresh', () => {
    const registry = worlds()
    const a = registry.sandbox('a')
    deleteInvite(a)
    expect(registry.remove('a')).toBe(true)
    expect(a.db.open).toBe(false)
    expect(registry.has('a')).toBe(false)
    expect(registry.remove('a')).toBe(false)
    expect(registry.list()).toEqual([])
    expect(inviteCodes(registry.sandbox('a'))).toEqual(['7EIFRXXP', 'ZAJOR26J'])
  })

  it('go back to the default world on reset, keeping the same handle', () => {
    const registry = worlds()
    const a = registry.sandbox('a')
    deleteInvite(a)
    a.clock.set('2021-06-01T00:00:00Z', true)
    expect(a.stores.config.get().calling).toBe(true)
    turnCallingOffInRows(a)
    expect(registry.reset('a')).toBe(a)
    expect(a.stores.config.get().calling).toBe(true)
    expect(inviteCodes(a)).toEqual(['7EIFRXXP', 'ZAJOR26J'])
    expect(a.clock.state()).toEqual({ now: DEFAULT_NOW, frozen: false })
    expect(inviteCodes(registry.reset('new'))).toEqual(['7EIFRXXP', 'ZAJOR26J'])
  })

  it('beyond the cap, drop the least recently used one', () => {
    const registry = worlds(':memory:', 3)
    const a = registry.sandbox('a')
    const b = registry.sandbox('b')
    registry.sandbox('c')
    registry.sandbox('a')
    registry.sandbox('d')
    expect(registry.list().map((s) => s.name)).toEqual(['a', 'c', 'd'])
    expect(b.db.open).toBe(false)
    expect(a.db.open).toBe(true)
    registry.sandbox('e')
    expect(registry.list().map((s) => s.name)).toEqual(['a', 'd', 'e'])
  })

  it.each(['', 'a'.repeat(65), 'a/b', 'with space', 'ünï', '../main'])(
    'refuse the name %j with a 422 error',
    (name) => {
      const registry = worlds()
      expect(() => registry.sandbox(name)).toThrow(SandboxNameError)
      try {
        registry.sandbox(name)
      } catch (error) {
        expect(error).toBeInstanceOf(SandboxNameError)
        expect(error).toMatchObject({ status: 422, errors: { sandbox: [expect.any(String)] } })
      }
      expect(registry.list()).toEqual([])
    }
  )

  it('accept names of up to 64 letters, digits, dots, underscores and hyphens', () => {
    const registry = worlds()
    for (const name of ['a'.repeat(64), 'A.b_c-9', 'main']) {
      expect(registry.sandbox(name).name).toBe(name)
    }
    expect(registry.sandbox('main')).not.toBe(registry.main())
  })
})

describe('close', () => {
  it('closes every database and refuses further use', () => {
    const registry = worlds()
    const main = registry.main()
    const a = registry.sandbox('a')
    registry.close()
    expect(main.db.open).toBe(false)
    expect(a.db.open).toBe(false)
    expect(() => registry.main()).toThrow(/closed/)
    expect(() => registry.sandbox('a')).toThrow(/closed/)
  })
})
