// A database opened on its first use. A new sandbox whose first requests are answered from what
// every sandbox on the default image shares (the clock, the config, the rows read from the image:
// see world/template-rows.ts) never needs its own connection; one that does pays for opening the
// image and parsing its schema only then. The view also tells who watches when the connection
// first compiles a statement that writes, before it runs.
import { member } from './prepare-on-use.ts'
import type { Db } from './open.ts'

export interface DbOnUse {
  /** The database: opened by the first use of anything but `inTransaction` and `open`. */
  readonly db: Db
  /** The connection, if it was opened. */
  readonly opened: () => Db | undefined
  /** Closes the connection if it was opened; afterwards the view is closed like a closed Db. */
  readonly close: () => void
}

export interface OpenOnUseOptions {
  /**
   * Called when a statement that writes is compiled on the connection (once per statement, before
   * it first runs) and before `exec` or `pragma`, which may write; `sql` is the statement's text.
   */
  onWrite?: ((sql: string) => void) | undefined
}

const NOT_OPEN = 'The database connection is not open'

export function openOnUse(open: () => Db, options: OpenOnUseOptions = {}): DbOnUse {
  const { onWrite } = options
  let real: Db | undefined
  let closed = false
  const bound = new Map<PropertyKey, unknown>()
  const connection = (): Db => {
    if (real === undefined) {
      if (closed) {
        throw new TypeError(NOT_OPEN)
      }
      real = open()
    }
    return real
  }
  const watched: Partial<Record<PropertyKey, unknown>> =
    onWrite === undefined
      ? {}
      : {
          prepare(sql: string) {
            const statement = connection().prepare(sql)
            if (!statement.readonly) {
              onWrite(sql)
            }
            return statement
          },
          exec(sql: string) {
            onWrite(sql)
            connection().exec(sql)
            return view
          },
          pragma(source: string, options?: { simple?: boolean }) {
            onWrite(`PRAGMA ${source}`)
            return connection().pragma(source, options)
          },
        }
  const view = new Proxy({} as Db, {
    get(_, property) {
      if (real === undefined) {
        // Asking whether the database is usable, or in a transaction, needs no connection.
        if (property === 'open') {
          return !closed
        }
        if (property === 'inTransaction') {
          return false
        }
      }
      if (Object.hasOwn(watched, property)) {
        connection()
        return watched[property]
      }
      return member(connection(), property, bound)
    },
  })
  return {
    db: view,
    opened: () => real,
    close: () => {
      closed = true
      real?.close()
    },
  }
}
