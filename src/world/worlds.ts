// The registry of worlds: the main world in a file, and named in-memory sandboxes beside it.
import { migrate } from '../db/migrate.ts'
import { openDb, openDbFromImage, type Db } from '../db/open.ts'
import { createStores, forgetDerived, type Stores } from '../resources/registry.ts'
import { createClock, type Clock } from './clock.ts'
import { loadWorld } from './load.ts'
import type { WorldDocument } from './schema.ts'
import { formatTimestamp, parseTimestamp } from './time.ts'

export interface WorldHandle {
  readonly name: string
  readonly db: Db
  readonly clock: Clock
  /** The world's stores, with their prepared statements: built with the world, closed with it. */
  readonly stores: Stores
  /**
   * After the rows were replaced under the world (loadWorld on `db`): re-reads the clock and drops
   * what the stores derived from the old rows. The registry's resets do it themselves.
   */
  reloaded(): void
  /** Closes the database; the handle cannot be used afterwards. */
  close(): void
}

export interface SandboxInfo {
  readonly name: string
  /** When the sandbox was made, in real time (not the sandbox's clock). */
  readonly created_at: string
}

export interface WorldsOptions {
  /** The main world's database: a path, or ':memory:'. */
  readonly file: string
  readonly defaultWorld: () => WorldDocument
  /** Beyond this many sandboxes the least recently used one is dropped. Default 200. */
  readonly maxSandboxes?: number
}

export interface Worlds {
  main(): WorldHandle
  /** The sandbox called `name`, made from the default world on first use. */
  sandbox(name: string): WorldHandle
  has(name: string): boolean
  /** The sandboxes, by name. */
  list(): SandboxInfo[]
  remove(name: string): boolean
  /** Reloads the default world into the main world. */
  resetMain(): WorldHandle
  /** Reloads the default world into a sandbox (making it if needed). */
  reset(name: string): WorldHandle
  /** Closes every database; the registry cannot be used afterwards. */
  close(): void
}

export const MAIN_WORLD = 'main'

export const SANDBOX_NAME = /^[A-Za-z0-9._-]{1,64}$/

/** A sandbox name the registry refuses; the HTTP layer answers it with a 422. */
export class SandboxNameError extends Error {
  readonly status = 422
  /** Laravel's 422 `errors`. */
  readonly errors: Record<string, string[]>
  readonly sandboxName: string

  constructor(sandboxName: string) {
    const message =
      'The sandbox name must be 1 to 64 characters of letters, digits, dots, underscores and hyphens.'
    super(message)
    this.name = 'SandboxNameError'
    this.sandboxName = sandboxName
    this.errors = { sandbox: [message] }
  }
}

function checkName(name: string): string {
  if (!SANDBOX_NAME.test(name)) {
    throw new SandboxNameError(name)
  }
  return name
}

function handle(name: string, db: Db): WorldHandle {
  const clock = createClock(db)
  const stores = createStores(db)
  return {
    name,
    db,
    clock,
    stores,
    reloaded() {
      clock.reload()
      forgetDerived(stores)
    },
    close() {
      db.close()
    },
  }
}

function loadOrThrow(db: Db, document: WorldDocument): void {
  const result = loadWorld(db, document)
  if (!result.ok) {
    throw new Error(`The default world is invalid: ${JSON.stringify(result.errors)}`)
  }
}

/** An image of the default world, from which sandboxes start. */
interface Template {
  readonly image: Buffer
  /** The clock to give each new sandbox; undefined when the document asked for real time. */
  readonly clockAt: { readonly ms: number; readonly frozen: boolean } | undefined
}

function buildTemplate(document: WorldDocument): Template {
  const db = openDb(':memory:')
  try {
    migrate(db)
    loadOrThrow(db, document)
    const { now, frozen } = document.clock
    return {
      image: db.serialize(),
      clockAt: now === undefined ? undefined : { ms: parseTimestamp(now), frozen },
    }
  } finally {
    db.close()
  }
}

export function createWorlds(options: WorldsOptions): Worlds {
  const maxSandboxes = options.maxSandboxes ?? 200
  if (!Number.isInteger(maxSandboxes) || maxSandboxes < 1) {
    throw new RangeError(`maxSandboxes must be a positive integer, not ${maxSandboxes}.`)
  }
  const mainDb = openDb(options.file)
  migrate(mainDb)
  const mainWorld = handle(MAIN_WORLD, mainDb)
  // A world that was ever loaded has its clock row; only a new database gets the default world.
  if (mainDb.prepare('SELECT 1 FROM world_clock').get() === undefined) {
    loadOrThrow(mainDb, options.defaultWorld())
  }

  // Map order is use order: the first entry is the least recently used.
  const sandboxes = new Map<string, { world: WorldHandle; created_at: string }>()
  let template: Template | undefined
  let closed = false

  const open = (): void => {
    if (closed) {
      throw new Error('The worlds have been closed.')
    }
  }

  const makeSandbox = (name: string): WorldHandle => {
    template ??= buildTemplate(options.defaultWorld())
    const db = openDbFromImage(template.image)
    const world = handle(name, db)
    // The image holds the template's clock offset; start each sandbox at the document's time.
    if (template.clockAt !== undefined) {
      world.clock.set(template.clockAt.ms, template.clockAt.frozen)
    }
    for (const [oldest, entry] of sandboxes) {
      if (sandboxes.size < maxSandboxes) {
        break
      }
      entry.world.close()
      sandboxes.delete(oldest)
    }
    sandboxes.set(name, { world, created_at: formatTimestamp(Date.now()) })
    return world
  }

  const sandbox = (name: string): WorldHandle => {
    open()
    checkName(name)
    const entry = sandboxes.get(name)
    if (entry === undefined) {
      return makeSandbox(name)
    }
    sandboxes.delete(name)
    sandboxes.set(name, entry)
    return entry.world
  }

  return {
    main() {
      open()
      return mainWorld
    },
    sandbox,
    has(name) {
      open()
      return sandboxes.has(checkName(name))
    },
    list() {
      open()
      return [...sandboxes]
        .map(([name, entry]) => ({ name, created_at: entry.created_at }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    },
    remove(name) {
      open()
      const entry = sandboxes.get(checkName(name))
      if (entry === undefined) {
        return false
      }
      entry.world.close()
      sandboxes.delete(name)
      return true
    },
    resetMain() {
      open()
      loadOrThrow(mainDb, options.defaultWorld())
      mainWorld.reloaded()
      return mainWorld
    },
    reset(name) {
      open()
      checkName(name)
      if (!sandboxes.has(name)) {
        return sandbox(name)
      }
      const world = sandbox(name)
      loadOrThrow(world.db, options.defaultWorld())
      world.reloaded()
      return world
    },
    close() {
      if (closed) {
        return
      }
      closed = true
      for (const entry of sandboxes.values()) {
        entry.world.close()
      }
      sandboxes.clear()
      mainWorld.close()
    },
  }
}
