// A world's stores declare every statement they may run (about a hundred), but a request uses a
// handful and most sandboxes only a few dozen. Preparing them all when a world opens was most of
// the cost of a new sandbox (5 ms of its 6) and much of its native memory. Through this view of
// the database a statement is compiled by SQLite the first time it runs, then reused. The same
// goes for transactions: better-sqlite3 compiles nine BEGIN/COMMIT/SAVEPOINT statements for a
// connection's first `transaction()`, which stores declare when they are built.
import type { Statement } from 'better-sqlite3'
import type { Db } from './open.ts'

/** Statement members that read its declaration, not the compiled statement. */
const DECLARED: ReadonlySet<PropertyKey> = new Set(['source'])

/** The ways of running a transaction function better-sqlite3 offers beside calling it. */
const TRANSACTION_KINDS = ['deferred', 'immediate', 'exclusive'] as const

/**
 * `target[property]`, with a method bound to `target` (better-sqlite3's methods must be called on
 * their own object) and kept in `bound`, so each call does not bind again.
 */
export function member(
  target: object,
  property: PropertyKey,
  bound: Map<PropertyKey, unknown>
): unknown {
  const value: unknown = Reflect.get(target, property, target)
  if (typeof value !== 'function') {
    return value
  }
  let method = bound.get(property)
  if (method === undefined) {
    method = (value as (...args: unknown[]) => unknown).bind(target)
    bound.set(property, method)
  }
  return method
}

function statementOnUse(db: Db, sql: string): Statement {
  let compiled: Statement | undefined
  const bound = new Map<PropertyKey, unknown>()
  return new Proxy({} as Statement, {
    get(_, property) {
      if (DECLARED.has(property)) {
        return sql
      }
      compiled ??= db.prepare(sql)
      return member(compiled, property, bound)
    },
  })
}

type TransactionFn = (...args: unknown[]) => unknown

/** `db.transaction(fn)`, made on its first call. */
function transactionOnUse(db: Db, fn: TransactionFn): Db['transaction'] {
  let made: ReturnType<Db['transaction']> | undefined
  const real = () => (made ??= db.transaction(fn))
  const run = (...args: unknown[]) => real()(...args)
  for (const kind of TRANSACTION_KINDS) {
    Object.defineProperty(run, kind, { value: (...args: unknown[]) => real()[kind](...args) })
  }
  return run as unknown as Db['transaction']
}

/** `db`, but its `prepare()` compiles each statement on its first use (transactions likewise). */
export function preparingOnUse(db: Db): Db {
  const bound = new Map<PropertyKey, unknown>()
  const prepare = (sql: string) => statementOnUse(db, sql)
  const transaction = (fn: TransactionFn) => transactionOnUse(db, fn)
  return new Proxy(db, {
    get(target, property) {
      if (property === 'prepare') {
        return prepare
      }
      if (property === 'transaction') {
        return transaction
      }
      return member(target, property, bound)
    },
  })
}
