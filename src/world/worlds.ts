// The registry of worlds: the main world in a file, and named in-memory sandboxes beside it.
// Sandboxes live until deleted or idle past their time to live; a name that expired answers so
// instead of silently starting afresh; past the cap new names are refused, never old ones dropped.
// Only recently used sandboxes stay open databases: the others sleep as compressed images (or as
// the shared default image when unchanged), so idle sandboxes cost little and memory comes back.
// A sandbox still on the default image opens its database only when a request needs it, and until
// it writes it reads what every such sandbox reads from the image, read once: a new sandbox whose
// first requests only read costs next to nothing.
import { deflateRawSync, inflateRawSync } from 'node:zlib'
import { migrate } from '../db/migrate.ts'
import { openDb, openDbFromImage, type Db } from '../db/open.ts'
import { openOnUse, type DbOnUse } from '../db/open-on-use.ts'
import { preparingOnUse } from '../db/prepare-on-use.ts'
import { createStores, forgetDerived, type StoreSeeds, type Stores } from '../resources/registry.ts'
import { createClock, type Clock, type ClockRow } from './clock.ts'
import { readWorldConfig } from './export.ts'
import { loadWorld } from './load.ts'
import { createRowCache } from './row-cache.ts'
import type { WorldConfig, WorldDocument } from './schema.ts'
import { createTemplateRows, sharingTemplateRows, type TemplateRows } from './template-rows.ts'
import { formatTimestamp, parseTimestamp } from './time.ts'

export interface WorldHandle {
  readonly name: string
  readonly db: Db
  readonly clock: Clock
  /** The world's stores, with their prepared statements: built with the world, closed with it. */
  readonly stores: Stores
  /**
   * One object per sandbox lifetime (one for the main world): the same while a sandbox sleeps and
   * wakes with a new handle, new when the name is made again after a delete or expiry. State kept
   * beside a world but outside its document (rules, journals) is keyed by it.
   */
  readonly lifetime: object
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
  /** When a request last used it (real time). */
  readonly last_used_at: string
  /** When it expires unless used again (real time). */
  readonly expires_at: string
}

export interface WorldsOptions {
  /** The main world's database: a path, or ':memory:'. */
  readonly file: string
  readonly defaultWorld: () => WorldDocument
  /** The most sandboxes that may exist; a new name past it is refused. Default 1000. */
  readonly maxSandboxes?: number
  /** A sandbox idle this long (no request) expires. Default one hour. */
  readonly sandboxTtlMs?: number
  /** How many idle sandboxes stay open databases before sleeping as images. Default 8. */
  readonly openSandboxes?: number
  /** An open sandbox idle this long goes to sleep. Default 10 s. */
  readonly sleepAfterMs?: number
  /** Real time in epoch ms, for the time to live (tests move it). Default Date.now. */
  readonly now?: () => number
}

/** A sandbox held by one request: it is never put to sleep or closed until released. */
export interface Lease {
  readonly world: WorldHandle
  release(): void
}

export interface Worlds {
  main(): WorldHandle
  /**
   * The sandbox called `name` for one request, made from the default world on first use. Throws
   * a SandboxError: a bad or reserved name (422), an expired sandbox (410), the cap reached (503).
   */
  acquire(name: string): Lease
  /** The sandbox called `name` (acquired and released at once), for scripts and tests. */
  sandbox(name: string): WorldHandle
  has(name: string): boolean
  /** The sandboxes, by name. */
  list(): SandboxInfo[]
  /**
   * Deletes a sandbox, or forgets that one expired. Requests in flight in it finish first: its
   * database closes when the last one is done. False when there was nothing of that name.
   */
  remove(name: string): boolean
  /** Reloads the default world into the main world. */
  resetMain(): WorldHandle
  /** Reloads the default world into a sandbox (making it if needed). */
  reset(name: string): WorldHandle
  /** Expires sandboxes idle past their time to live and puts idle ones to sleep (also on a timer). */
  sweep(): void
  /** Closes every database; the registry cannot be used afterwards. */
  close(): void
}

export const MAIN_WORLD = 'main'
export const DEFAULT_MAX_SANDBOXES = 1000
export const DEFAULT_SANDBOX_TTL_MS = 60 * 60 * 1000

export const SANDBOX_NAME = /^[A-Za-z0-9._-]{1,64}$/
/** Expired names remembered, so their next request says what happened (oldest forgotten first). */
const MAX_EXPIRED_NAMES = 10_000

/** Why a request cannot have its sandbox; the HTTP layer answers `status` with `message`. */
export class SandboxError extends Error {
  readonly status: 410 | 422 | 503
  constructor(status: 410 | 422 | 503, message: string) {
    super(message)
    this.name = 'SandboxError'
    this.status = status
  }
}

/** A sandbox name the registry refuses; the HTTP layer answers it with a 422. */
export class SandboxNameError extends SandboxError {
  /** Laravel's 422 `errors`. */
  readonly errors: Record<string, string[]>
  readonly sandboxName: string

  constructor(sandboxName: string) {
    const message =
      sandboxName === MAIN_WORLD
        ? 'The sandbox name "main" is reserved for the main world: send no X-Mock-Sandbox header to use the main world, or pick another name.'
        : 'The sandbox name must be 1 to 64 characters of letters, digits, dots, underscores and hyphens.'
    super(422, message)
    this.name = 'SandboxNameError'
    this.sandboxName = sandboxName
    this.errors = { sandbox: [message] }
  }
}

function checkName(name: string): string {
  if (!SANDBOX_NAME.test(name) || name === MAIN_WORLD) {
    throw new SandboxNameError(name)
  }
  return name
}

const minutes = (ms: number) => {
  const n = Math.round(ms / 60_000)
  return n === 1 ? '1 minute' : `${n} minutes`
}

/** What a world's handle may start from instead of reading its database. */
interface HandleSeeds extends StoreSeeds {
  /** What world_clock holds. */
  readonly clock?: ClockRow
}

/** `db` as the handle's database; `stores` (a view of it) compiles statements on first use. */
function handle(
  name: string,
  db: Db,
  lifetime: object,
  close: () => void,
  stores: Db = preparingOnUse(db),
  seeds: HandleSeeds = {}
): WorldHandle {
  const clock = createClock(db, seeds.clock)
  const made = createStores(stores, seeds)
  return {
    name,
    db,
    clock,
    stores: made,
    lifetime,
    reloaded() {
      clock.reload()
      forgetDerived(made)
    },
    close,
  }
}

function loadOrThrow(db: Db, document: WorldDocument): void {
  const result = loadWorld(db, document)
  if (!result.ok) {
    throw new Error(`The default world is invalid: ${JSON.stringify(result.errors)}`)
  }
}

/** An image of the default world, from which sandboxes start, and what they read from it alike. */
interface Template {
  readonly image: Buffer
  /** The clock to give each new sandbox; undefined when the document asked for real time. */
  readonly clockAt: { readonly ms: number; readonly frozen: boolean } | undefined
  /** The image's config. */
  readonly config: Readonly<WorldConfig>
  /** The rows sandboxes still on the image have read (see template-rows.ts). */
  readonly rows: TemplateRows
}

/**
 * The template's page size. A world's dozen tables and their indexes take a page each however few
 * rows they hold: at SQLite's default 4 KiB the default world's image is 176 KiB, at 1 KiB 59 KiB,
 * and each sandbox copies the image when it opens and compresses its own when it sleeps changed.
 */
const SANDBOX_PAGE_SIZE = 1024

function buildTemplate(document: WorldDocument): Template {
  const db = openDb(':memory:')
  try {
    db.pragma(`page_size = ${SANDBOX_PAGE_SIZE}`)
    migrate(db)
    loadOrThrow(db, document)
    const { now, frozen } = document.clock
    return {
      image: db.serialize(),
      clockAt: now === undefined ? undefined : { ms: parseTimestamp(now), frozen },
      config: Object.freeze(readWorldConfig(db)),
      rows: createTemplateRows(),
    }
  } finally {
    db.close()
  }
}

// Writing the clock does not stop a sandbox sharing the image's rows: no read model value is read
// from world_clock.
const CLOCK_WRITE = /^\s*(?:INSERT|UPDATE)\s+(?:INTO\s+)?world_clock\b/i

interface Sandbox {
  readonly name: string
  /** The handles' `lifetime`: kept across sleep and wake. */
  readonly lifetime: object
  readonly createdAt: number
  lastUsedAt: number
  inFlight: number
  /** The handle, or undefined while asleep. */
  world: WorldHandle | undefined
  /** The handle's database, opened on first use; undefined while asleep. */
  db: DbOnUse | undefined
  /** While asleep: its own compressed image; undefined while it is still the default image. */
  image: Buffer | undefined
  /** The clock of a sandbox still on the default image (its only difference from it). */
  clock: ClockRow
  /** total_changes() once opened: a sandbox nothing wrote to sleeps without a new image. */
  changesAtOpen: number
  deleted: boolean
}

/**
 * Gives a sandbox still on the default world its handle. Its database opens from the shared image
 * when a request first needs it (with the sandbox's clock written in); until it writes, the rows
 * it reads are the image's, read once for every such sandbox, and its config is the image's.
 */
function onDefaultImage(entry: Sandbox, template: Template): WorldHandle {
  const clock = entry.clock
  const db = openOnUse(
    () => {
      const opened = openDbFromImage(template.image)
      entry.changesAtOpen = opened
        .prepare('UPDATE world_clock SET offset_ms = ?, frozen_at_ms = ? WHERE id = 1')
        .run(clock.offset_ms, clock.frozen_at_ms).changes
      return opened
    },
    {
      onWrite(sql) {
        if (!CLOCK_WRITE.test(sql)) {
          rows.detach()
        }
      },
    }
  )
  const stores = preparingOnUse(db.db)
  const rows = sharingTemplateRows(createRowCache(stores), template.rows)
  entry.changesAtOpen = 0
  entry.db = db
  return handle(entry.name, db.db, entry.lifetime, db.close, stores, {
    clock,
    config: template.config,
    rows,
  })
}

/** Gives a sandbox that changed its handle, on its own image: it reads only its own rows. */
function onOwnImage(entry: Sandbox, image: Buffer): WorldHandle {
  const db = openOnUse(() => openDbFromImage(inflateRawSync(image)))
  entry.changesAtOpen = 0
  entry.db = db
  return handle(entry.name, db.db, entry.lifetime, db.close)
}

const totalChanges = (db: Db): number =>
  db.prepare<[], number>('SELECT total_changes()').pluck().get() ?? 0

export function createWorlds(options: WorldsOptions): Worlds {
  const maxSandboxes = options.maxSandboxes ?? DEFAULT_MAX_SANDBOXES
  if (!Number.isInteger(maxSandboxes) || maxSandboxes < 1) {
    throw new RangeError(`maxSandboxes must be a positive integer, not ${maxSandboxes}.`)
  }
  const ttlMs = options.sandboxTtlMs ?? DEFAULT_SANDBOX_TTL_MS
  const keepOpen = options.openSandboxes ?? 8
  const sleepAfterMs = options.sleepAfterMs ?? 10_000
  const realNow = options.now ?? Date.now
  const mainDb = openDb(options.file)
  migrate(mainDb)
  const mainWorld = handle(MAIN_WORLD, mainDb, {}, () => mainDb.close())
  // A world that was ever loaded has its clock row; only a new database gets the default world.
  if (mainDb.prepare('SELECT 1 FROM world_clock').get() === undefined) {
    loadOrThrow(mainDb, options.defaultWorld())
  }

  const sandboxes = new Map<string, Sandbox>()
  // Open sandboxes in use order: the first is the least recently used.
  const awake = new Set<Sandbox>()
  const expired = new Map<string, number>()
  let template: Template | undefined
  let closed = false
  const timer = setInterval(() => {
    sweep()
  }, 1000)
  timer.unref()

  const open = (): void => {
    if (closed) {
      throw new Error('The worlds have been closed.')
    }
  }

  const startClock = (): ClockRow => {
    const at = template?.clockAt
    if (at === undefined) {
      return { offset_ms: 0, frozen_at_ms: null }
    }
    return at.frozen
      ? { offset_ms: 0, frozen_at_ms: at.ms }
      : { offset_ms: at.ms - Date.now(), frozen_at_ms: null }
  }

  const wake = (entry: Sandbox): WorldHandle => {
    if (entry.world !== undefined) {
      awake.delete(entry)
      awake.add(entry)
      return entry.world
    }
    template ??= buildTemplate(options.defaultWorld())
    const world =
      entry.image === undefined ? onDefaultImage(entry, template) : onOwnImage(entry, entry.image)
    entry.world = world
    awake.add(entry)
    return world
  }

  const sleep = (entry: Sandbox): void => {
    const world = entry.world
    if (world === undefined || entry.inFlight > 0) {
      return
    }
    const db = entry.db?.opened()
    if (db !== undefined && totalChanges(db) !== entry.changesAtOpen) {
      entry.image = deflateRawSync(db.serialize(), { level: 1 })
    }
    world.close()
    entry.world = undefined
    entry.db = undefined
    awake.delete(entry)
  }

  const drop = (entry: Sandbox): void => {
    entry.deleted = true
    sandboxes.delete(entry.name)
    awake.delete(entry)
    if (entry.inFlight === 0) {
      entry.world?.close()
      entry.world = undefined
      entry.db = undefined
    }
    entry.image = undefined
  }

  const expire = (entry: Sandbox, at: number): void => {
    drop(entry)
    expired.set(entry.name, at)
    for (const oldest of expired.keys()) {
      if (expired.size <= MAX_EXPIRED_NAMES) {
        break
      }
      expired.delete(oldest)
    }
  }

  function sweep(): void {
    if (closed) {
      return
    }
    const now = realNow()
    for (const entry of sandboxes.values()) {
      if (entry.inFlight > 0) {
        continue
      }
      if (now - entry.lastUsedAt >= ttlMs) {
        expire(entry, entry.lastUsedAt + ttlMs)
      } else if (entry.world !== undefined && now - entry.lastUsedAt >= sleepAfterMs) {
        sleep(entry)
      }
    }
  }

  /** Beyond `keepOpen` open sandboxes, the least recently used idle ones go to sleep. */
  const trimAwake = (): void => {
    for (const entry of awake) {
      if (awake.size <= keepOpen) {
        break
      }
      sleep(entry)
    }
  }

  // A request that wakes a sandbox past `keepOpen` does not wait for another to go to sleep (a
  // changed one is serialized and compressed, about a third of a millisecond): that runs once
  // the event loop has sent what is ready to send.
  let trimming: NodeJS.Immediate | undefined
  const trimSoon = (): void => {
    if (awake.size <= keepOpen || trimming !== undefined) {
      return
    }
    trimming = setImmediate(() => {
      trimming = undefined
      if (!closed) {
        trimAwake()
      }
    })
  }

  const create = (name: string): Sandbox => {
    const now = realNow()
    const gone = expired.get(name)
    if (gone !== undefined) {
      throw new SandboxError(
        410,
        `The sandbox "${name}" expired at ${formatTimestamp(gone)} after ${minutes(ttlMs)} without requests, and its world was deleted. Send DELETE /mock/sandboxes/${name} to start it again from the default world, or use a new name.`
      )
    }
    if (sandboxes.size >= maxSandboxes) {
      sweep()
    }
    if (sandboxes.size >= maxSandboxes) {
      throw new SandboxError(
        503,
        `The mock already holds ${maxSandboxes} sandboxes, its cap (--max-sandboxes, env MOCK_MAX_SANDBOXES). Delete sandboxes you no longer need (DELETE /mock/sandboxes/{name}), let idle ones expire (after ${minutes(ttlMs)}), or restart the mock with a higher cap.`
      )
    }
    template ??= buildTemplate(options.defaultWorld())
    const entry: Sandbox = {
      name,
      lifetime: {},
      createdAt: now,
      lastUsedAt: now,
      inFlight: 0,
      world: undefined,
      db: undefined,
      image: undefined,
      clock: startClock(),
      changesAtOpen: 0,
      deleted: false,
    }
    sandboxes.set(name, entry)
    return entry
  }

  const acquire = (name: string): Lease => {
    open()
    checkName(name)
    const entry = sandboxes.get(name) ?? create(name)
    const world = wake(entry)
    entry.inFlight++
    entry.lastUsedAt = realNow()
    trimSoon()
    let released = false
    return {
      world,
      release() {
        if (released) {
          return
        }
        released = true
        entry.inFlight--
        entry.lastUsedAt = realNow()
        // A sandbox deleted while this request ran closes once the last request is done.
        if (entry.deleted && entry.inFlight === 0) {
          world.close()
          entry.world = undefined
          entry.db = undefined
        }
      },
    }
  }

  const sandbox = (name: string): WorldHandle => {
    const lease = acquire(name)
    lease.release()
    trimAwake()
    return lease.world
  }

  return {
    main() {
      open()
      return mainWorld
    },
    acquire,
    sandbox,
    has(name) {
      open()
      return sandboxes.has(checkName(name))
    },
    list() {
      open()
      return [...sandboxes.values()]
        .map((entry) => ({
          name: entry.name,
          created_at: formatTimestamp(entry.createdAt),
          last_used_at: formatTimestamp(entry.lastUsedAt),
          expires_at: formatTimestamp(entry.lastUsedAt + ttlMs),
        }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    },
    remove(name) {
      open()
      if (expired.delete(name)) {
        return true
      }
      const entry = sandboxes.get(name)
      if (entry === undefined) {
        return false
      }
      drop(entry)
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
      const isNew = !sandboxes.has(name)
      const world = sandbox(name)
      if (!isNew) {
        loadOrThrow(world.db, options.defaultWorld())
        world.reloaded()
      }
      return world
    },
    sweep,
    close() {
      if (closed) {
        return
      }
      closed = true
      clearInterval(timer)
      if (trimming !== undefined) {
        clearImmediate(trimming)
      }
      for (const entry of sandboxes.values()) {
        entry.world?.close()
      }
      sandboxes.clear()
      awake.clear()
      mainWorld.close()
    },
  }
}
