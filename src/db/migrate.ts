// Applies the numbered SQL files in ./migrations/ above PRAGMA user_version, each in a transaction.
import { readdirSync, readFileSync } from 'node:fs'
import type { Db } from './open.ts'
import { projectFile } from '../paths.ts'

export interface Migration {
  readonly version: number
  readonly name: string
  readonly sql: string
}

export interface MigrateResult {
  readonly from: number
  readonly to: number
}

const MIGRATION_FILE = /^(\d{4})_[a-z0-9_]+\.sql$/

// Read on first use and kept: every sandbox and test database is migrated, disk is read once.
let migrations: readonly Migration[] | undefined

/** The migrations shipped with the code, in version order (versions are 1, 2, 3… with no gaps). */
export function listMigrations(): readonly Migration[] {
  if (migrations !== undefined) {
    return migrations
  }
  const folder = projectFile('src/db/migrations/')
  const found: Migration[] = []
  for (const name of readdirSync(folder).sort()) {
    const match = MIGRATION_FILE.exec(name)
    if (match?.[1] === undefined) {
      continue
    }
    const version = Number(match[1])
    if (version !== found.length + 1) {
      throw new Error(`Migration ${name} should be number ${found.length + 1}: no gaps or repeats.`)
    }
    found.push({ version, name, sql: readFileSync(new URL(name, folder), 'utf8') })
  }
  migrations = found
  return found
}

export function schemaVersion(db: Db): number {
  const version = db.pragma('user_version', { simple: true })
  if (typeof version !== 'number') {
    throw new TypeError('PRAGMA user_version did not return a number.')
  }
  return version
}

/** Brings `db` up to the latest schema; a database already there is left untouched. */
export function migrate(db: Db): MigrateResult {
  const from = schemaVersion(db)
  const all = listMigrations()
  const latest = all.at(-1)?.version ?? 0
  if (from > latest) {
    throw new Error(`The database has schema version ${from}; this code knows up to ${latest}.`)
  }
  for (const migration of all) {
    if (migration.version > from) {
      // user_version lives in the database header, which is written inside the transaction too.
      db.transaction(() => {
        db.exec(migration.sql)
        db.pragma(`user_version = ${migration.version}`)
      }).immediate()
    }
  }
  return { from, to: schemaVersion(db) }
}
