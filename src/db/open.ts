// Opens a better-sqlite3 database with the pragmas every world database relies on.
import Database from 'better-sqlite3'

export type Db = Database.Database

/** How long a statement waits for a lock held by another connection before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000

function isInMemory(file: string): boolean {
  return file === '' || file === ':memory:'
}

/** Per-connection settings: they are not stored in the file, so every new connection needs them. */
function applyConnectionPragmas(db: Db): Db {
  db.pragma('foreign_keys = ON')
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
  return db
}

/**
 * Opens `file` (a path or ':memory:'). File databases use WAL with synchronous=NORMAL: a
 * committed transaction survives a crash of the process, and writes stay cheap.
 */
export function openDb(file: string): Db {
  const db = new Database(file, { timeout: BUSY_TIMEOUT_MS })
  if (!isInMemory(file)) {
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
  }
  return applyConnectionPragmas(db)
}

/** Opens an in-memory database from an image made by `db.serialize()`. */
export function openDbFromImage(image: Buffer): Db {
  return applyConnectionPragmas(new Database(image, { timeout: BUSY_TIMEOUT_MS }))
}
