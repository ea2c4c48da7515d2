// Tests for the migration runner and for the invariants the first schema enforces.
import { describe, expect, it } from 'vitest'
import { listMigrations, migrate, schemaVersion } from './migrate.ts'
import { openDb, type Db } from './open.ts'

const latest = listMigrations().at(-1)?.version ?? 0

function migrated(): Db {
  const db = openDb(':memory:')
  migrate(db)
  return db
}

const NOW = '2020-12-08T06:25:00.000000Z'

function insertUser(db: Db, id: string, overrides: Record<string, unknown> = {}): void {
  db.prepare(
    `INSERT INTO users (id, name, email, token, created_at, updated_at)
     VALUES (@id, @name, @email, @token, @created_at, @updated_at)`
  ).run({
    id,
    name: id,
    email: `${id}@example.net`,
    token: id,
    created_at: NOW,
    updated_at: NOW,
    ...overrides,
  })
}

describe('migrate', () => {
  it('finds the numbered migrations in order, starting at 1', () => {
    const versions = listMigrations().map((m) => m.version)
    expect(versions[0]).toBe(1)
    expect(versions).toEqual(versions.map((_, i) => i + 1))
  })

  it('reads the migration files once and keeps them', () => {
    expect(listMigrations()).toBe(listMigrations())
  })

  it('applies every migration to a new database and records the version', () => {
    const db = openDb(':memory:')
    expect(schemaVersion(db)).toBe(0)
    expect(migrate(db)).toEqual({ from: 0, to: latest })
    expect(schemaVersion(db)).toBe(latest)
    const tables = db
      .prepare<[], string>("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
      .pluck()
      .all()
    expect(tables).toEqual(
      [
        'avatars',
        'call_participants',
        'calls',
        'friend_requests',
        'friends',
        'invites',
        'messengers',
        'participants',
        'threads',
        'users',
        'world_clock',
        'world_config',
      ].sort()
    )
  })

  it('is a no-op on an up-to-date database and keeps its rows', () => {
    const db = migrated()
    insertUser(db, 'a')
    expect(migrate(db)).toEqual({ from: latest, to: latest })
    expect(db.prepare('SELECT count(*) AS n FROM users').get()).toEqual({ n: 1 })
  })

  it('refuses a database from newer code', () => {
    const db = migrated()
    db.pragma(`user_version = ${latest + 1}`)
    expect(() => migrate(db)).toThrow(/newer|knows up to/)
  })
})

describe('schema 0001', () => {
  it('makes STRICT tables that reject a value of the wrong type', () => {
    const db = migrated()
    expect(() => {
      insertUser(db, 'a', { created_at: 42 })
    }).toThrow(/cannot store INT value in TEXT column|CHECK/)
  })

  it('accepts only timestamps in the API format', () => {
    const db = migrated()
    expect(() => {
      insertUser(db, 'a', { created_at: '2020-12-08 06:25:00' })
    }).toThrow(/CHECK constraint failed/)
    insertUser(db, 'b', { created_at: NOW })
  })

  it('keeps tokens unique and e-mails unique without regard to case', () => {
    const db = migrated()
    insertUser(db, 'a')
    expect(() => {
      insertUser(db, 'b', { token: 'a' })
    }).toThrow(/UNIQUE constraint failed: users.token/)
    expect(() => {
      insertUser(db, 'c', { email: 'A@EXAMPLE.NET' })
    }).toThrow(/UNIQUE constraint failed: users.email/)
  })

  it('enforces foreign keys', () => {
    const db = migrated()
    expect(() =>
      db
        .prepare('INSERT INTO messengers (owner_id, created_at, updated_at) VALUES (?, ?, ?)')
        .run('nobody', NOW, NOW)
    ).toThrow(/FOREIGN KEY constraint failed/)
  })

  it('allows one active call per thread but any number of ended ones', () => {
    const db = migrated()
    insertUser(db, 'u')
    db.prepare("INSERT INTO threads (id, type, created_at, updated_at) VALUES ('t', 1, ?, ?)").run(
      NOW,
      NOW
    )
    const call = db.prepare(
      `INSERT INTO calls (id, thread_id, owner_id, call_ended, created_at, updated_at)
       VALUES (?, 't', 'u', ?, ?, ?)`
    )
    call.run('ended-1', NOW, NOW, NOW)
    call.run('ended-2', NOW, NOW, NOW)
    call.run('active-1', null, NOW, NOW)
    expect(() => call.run('active-2', null, NOW, NOW)).toThrow(/UNIQUE constraint failed/)
  })
})
