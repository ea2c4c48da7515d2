// The row types' columns are the migrated tables' columns, table for table.
import { describe, expect, it } from 'vitest'
import { migrate } from './migrate.ts'
import { openDb } from './open.ts'
import { TABLE_COLUMNS } from './rows.ts'

describe('row types', () => {
  it('name every column of every table, in the order the migrations create them', () => {
    const db = openDb(':memory:')
    try {
      migrate(db)
      const columnsOf = (table: string) =>
        db
          .prepare<[string], string>('SELECT name FROM pragma_table_info(?) ORDER BY cid')
          .pluck()
          .all(table)
      const tables = db
        .prepare<[], string>(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        .pluck()
        .all()
      expect(Object.keys(TABLE_COLUMNS).sort()).toEqual(tables.sort())
      for (const [table, columns] of Object.entries(TABLE_COLUMNS)) {
        expect({ table, columns: [...columns] }).toEqual({ table, columns: columnsOf(table) })
      }
    } finally {
      db.close()
    }
  })
})
