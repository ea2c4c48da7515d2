// Tests for the world registry: the main world in a file, sandboxes, their isolation and limits.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { readDefaultWorld } from './default-world.ts'
import { exportWorld } from './export.ts'
import { loadWorld } from './load.ts'
import {
  createWorlds,
  SandboxError,
  SandboxNameError,
  type WorldHandle,
  type Worlds,
  type WorldsOptions,
} from './worlds.ts'

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

  it('past the cap, refuse a new name with a 503 naming the cap, and drop none', () => {
    const registry = worlds(':memory:', 3)
    const a = registry.sandbox('a')
    deleteInvite(a)
    registry.sandbox('b')
    registry.sandbox('c')
    let refused: unknown
    try {
      registry.sandbox('d')
    } catch (error) {
      refused = error
    }
    expect(refused).toBeInstanceOf(SandboxError)
    expect(refused).toMatchObject({ status: 503 })
    expect((refused as Error).message).toContain('3 sandboxes')
    expect((refused as Error).message).toContain('DELETE /mock/sandboxes/{name}')
    expect(registry.list().map((s) => s.name)).toEqual(['a', 'b', 'c'])
    expect(inviteCodes(registry.sandbox('a'))).toEqual(['7EIFRXXP'])
    registry.remove('b')
    expect(registry.sandbox('d').name).toBe('d')
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
    for (const name of ['a'.repeat(64), 'A.b_c-9', 'Main']) {
      expect(registry.sandbox(name).name).toBe(name)
    }
  })

  it('keep the name "main" for the main world', () => {
    const registry = worlds()
    expect(() => registry.sandbox('main')).toThrow(/reserved for the main world/)
    expect(registry.list()).toEqual([])
  })
})

describe('sandboxes still on the default image', () => {
  const JOHN = '922f8476-bdda-4ebd-b283-be23602c658d'
  const JOHN_UPDATED = '2020-12-08T06:21:11.000000Z'
  const LATER = '2021-01-01T00:00:00.000000Z'
  const johnIn = (world: WorldHandle) => world.stores.users.byToken('john')

  it('read the rows once for all of them, each seeing its own writes and no other', () => {
    const registry = worlds()
    const a = registry.sandbox('a')
    const b = registry.sandbox('b')
    const john = johnIn(a)
    expect(john?.updated_at).toBe(JOHN_UPDATED)
    expect(johnIn(b)).toBe(john)
    expect(Object.isFrozen(john)).toBe(true)
    a.stores.users.touch(JOHN, LATER)
    expect(johnIn(a)?.updated_at).toBe(LATER)
    expect(johnIn(b)).toBe(john)
    expect(johnIn(registry.sandbox('c'))?.updated_at).toBe(JOHN_UPDATED)
    expect(johnIn(registry.main())?.updated_at).toBe(JOHN_UPDATED)
  })

  it.each([
    ['its stores', (world: WorldHandle) => world.stores.users.touch(JOHN, LATER)],
    [
      'its database',
      (world: WorldHandle) =>
        world.db.prepare('UPDATE users SET updated_at = ? WHERE id = ?').run(LATER, JOHN),
    ],
    [
      'a world loaded into it',
      (world: WorldHandle) => {
        const document = exportWorld(world.db)
        const result = loadWorld(world.db, {
          ...document,
          users: document.users.map((u) => (u.id === JOHN ? { ...u, updated_at: LATER } : u)),
        })
        expect(result.ok).toBe(true)
        world.reloaded()
      },
    ],
  ])('never give others what one read after changing its rows through %s', (_, change) => {
    const registry = worlds()
    const a = registry.sandbox('a')
    change(a)
    // Read first by the sandbox that changed it: the others must still see the default world.
    expect(johnIn(a)?.updated_at).toBe(LATER)
    expect(johnIn(registry.sandbox('b'))?.updated_at).toBe(JOHN_UPDATED)
  })

  it('keep sharing while only their clock moves', () => {
    const registry = worlds()
    const a = registry.sandbox('a')
    a.clock.set('2021-06-01T00:00:00Z', true)
    expect(johnIn(a)).toBe(johnIn(registry.sandbox('b')))
    expect(a.clock.state()).toEqual({ now: '2021-06-01T00:00:00.000000Z', frozen: true })
  })
})

describe('sandboxes made later than the default image', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('keep their own clock in the image they sleep as after a write', () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.parse('2026-01-01T00:00:00Z'))
    const registry = createWorlds({
      file: ':memory:',
      defaultWorld: readDefaultWorld,
      openSandboxes: 1,
    })
    opened.push(registry)
    registry.sandbox('first')
    // A day later the image (made with the first sandbox) holds a clock a day behind real time.
    vi.setSystemTime(Date.parse('2026-01-02T00:00:00Z'))
    const late = registry.sandbox('late')
    expect(late.clock.now()).toBe(DEFAULT_NOW)
    deleteInvite(late)
    registry.sandbox('other')
    expect(late.db.open).toBe(false)
    const woken = registry.sandbox('late')
    expect(inviteCodes(woken)).toEqual(['7EIFRXXP'])
    expect(woken.clock.now()).toBe(DEFAULT_NOW)
  })
})

describe('sandbox lifetimes', () => {
  const HOUR = 3_600_000
  function timed(extra: Partial<WorldsOptions> = {}) {
    let now = Date.parse('2026-01-01T00:00:00Z')
    const registry = createWorlds({
      file: ':memory:',
      defaultWorld: readDefaultWorld,
      sandboxTtlMs: HOUR,
      now: () => now,
      ...extra,
    })
    opened.push(registry)
    return {
      registry,
      pass: (ms: number) => {
        now += ms
        registry.sweep()
      },
    }
  }

  it('list each sandbox with its creation, last use and expiry', () => {
    const { registry, pass } = timed()
    registry.sandbox('a')
    pass(60_000)
    registry.sandbox('a')
    expect(registry.list()).toEqual([
      {
        name: 'a',
        created_at: '2026-01-01T00:00:00.000000Z',
        last_used_at: '2026-01-01T00:01:00.000000Z',
        expires_at: '2026-01-01T01:01:00.000000Z',
      },
    ])
  })

  it('expire a sandbox idle past its time to live, and say so when it is named again', () => {
    const { registry, pass } = timed()
    deleteInvite(registry.sandbox('ci-job-1'))
    pass(HOUR - 1)
    expect(inviteCodes(registry.sandbox('ci-job-1'))).toEqual(['7EIFRXXP'])
    pass(HOUR)
    expect(registry.list()).toEqual([])
    let refused: unknown
    try {
      registry.sandbox('ci-job-1')
    } catch (error) {
      refused = error
    }
    expect(refused).toMatchObject({ status: 410 })
    expect((refused as Error).message).toContain(
      '"ci-job-1" expired at 2026-01-01T01:59:59.000000Z'
    )
    expect((refused as Error).message).toContain('after 60 minutes without requests')
    expect((refused as Error).message).toContain('DELETE /mock/sandboxes/ci-job-1')
    // Deleting the expired name starts it afresh.
    expect(registry.remove('ci-job-1')).toBe(true)
    expect(inviteCodes(registry.sandbox('ci-job-1'))).toEqual(['7EIFRXXP', 'ZAJOR26J'])
  })

  it('never expire a sandbox while a request holds it', () => {
    const { registry, pass } = timed()
    const lease = registry.acquire('busy')
    pass(2 * HOUR)
    expect(registry.has('busy')).toBe(true)
    expect(lease.world.db.open).toBe(true)
    lease.release()
    pass(HOUR - 1)
    expect(registry.has('busy')).toBe(true)
  })

  it('delete a sandbox in use only once its requests are done: their writes complete', () => {
    const { registry } = timed()
    const lease = registry.acquire('slow')
    expect(registry.remove('slow')).toBe(true)
    expect(registry.has('slow')).toBe(false)
    expect(lease.world.db.open).toBe(true)
    deleteInvite(lease.world)
    expect(inviteCodes(lease.world)).toEqual(['7EIFRXXP'])
    lease.release()
    expect(lease.world.db.open).toBe(false)
    // The name starts afresh.
    expect(inviteCodes(registry.sandbox('slow'))).toEqual(['7EIFRXXP', 'ZAJOR26J'])
  })

  it('put idle sandboxes to sleep as images and wake them with their data and clock', () => {
    const { registry, pass } = timed({ openSandboxes: 1, sleepAfterMs: 1000 })
    const a = registry.sandbox('a')
    deleteInvite(a)
    a.clock.set('2021-06-01T00:00:00Z', true)
    const b = registry.sandbox('b')
    // Only one idle sandbox stays open: a went to sleep.
    expect(a.db.open).toBe(false)
    pass(1000)
    expect(b.db.open).toBe(false)
    const woken = registry.sandbox('a')
    expect(woken.db.open).toBe(true)
    expect(inviteCodes(woken)).toEqual(['7EIFRXXP'])
    expect(woken.clock.state()).toEqual({ now: '2021-06-01T00:00:00.000000Z', frozen: true })
    expect(inviteCodes(registry.sandbox('b'))).toEqual(['7EIFRXXP', 'ZAJOR26J'])
  })

  it('put the least recently used to sleep after a request wakes another, not during it', async () => {
    const { registry } = timed({ openSandboxes: 1 })
    const a = registry.sandbox('a')
    deleteInvite(a)
    const lease = registry.acquire('b')
    expect(a.db.open).toBe(true)
    lease.release()
    await new Promise((resolve) => setImmediate(resolve))
    expect(a.db.open).toBe(false)
    expect(inviteCodes(registry.sandbox('a'))).toEqual(['7EIFRXXP'])
  })

  it('keep one lifetime per sandbox across sleep and wake, and a new one after a delete', () => {
    const { registry } = timed({ openSandboxes: 1, sleepAfterMs: 1000 })
    const a = registry.sandbox('a')
    registry.sandbox('b')
    expect(a.db.open).toBe(false)
    const woken = registry.sandbox('a')
    expect(woken).not.toBe(a)
    expect(woken.lifetime).toBe(a.lifetime)
    expect(registry.remove('a')).toBe(true)
    expect(registry.sandbox('a').lifetime).not.toBe(a.lifetime)
  })

  it('keep a sleeping sandbox that nothing changed on the default image, its clock running on', () => {
    const { registry, pass } = timed({ openSandboxes: 1, sleepAfterMs: 1000 })
    const first = registry.sandbox('a').clock.nowMs()
    pass(1000)
    const later = registry.sandbox('a').clock.nowMs()
    // The clock ticks in real time (Date.now), not the registry's TTL time: never backwards.
    expect(later).toBeGreaterThanOrEqual(first)
    expect(later - first).toBeLessThan(60_000)
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
