// Every table the migrations create belongs to exactly one world slice (or to the world itself:
// its clock and config), so a world document can fill it and an export gives it back. A new
// table without a slice fails here, naming the table.
import { describe, expect, it } from 'vitest'
import { migrate } from '../db/migrate.ts'
import { openDb } from '../db/open.ts'
import { WORLD_TABLES } from '../world/load.ts'
import { WORLD_SLICES } from './world-slices.ts'

function migratedTables(): string[] {
  const db = openDb(':memory:')
  try {
    migrate(db)
    return db
      .prepare<[], string>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
      )
      .pluck()
      .all()
  } finally {
    db.close()
  }
}

describe('world slices', () => {
  const owners = [
    ...WORLD_SLICES.flatMap((slice) => slice.tables.map((table) => [table, slice.key])),
    ...WORLD_TABLES.map((table) => [table, 'the world (clock and config)']),
  ]

  it.each(migratedTables())('%s belongs to a world slice', (table) => {
    expect(
      owners.filter(([owned]) => owned === table).map(([, owner]) => owner),
      `${table} has no world slice: declare one in its resource's world-slice.ts and list it in src/resources/world-slices.ts`
    ).toHaveLength(1)
  })

  it('name only tables the migrations create, each once', () => {
    const tables = migratedTables()
    expect(owners.map(([table]) => table).sort()).toEqual([...tables].sort())
  })

  it('own distinct document keys', () => {
    const keys = WORLD_SLICES.map((slice) => slice.key)
    expect(new Set(keys).size).toBe(keys.length)
  })
})
