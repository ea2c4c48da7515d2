// `node --import tsx bench/wal-checkpoint.ts`: what SQLite's automatic WAL checkpoint costs a
// write transaction on this machine, the reason the mock checkpoints on a worker thread
// (src/db/checkpointer.ts). The same 20,000 small transactions (two row updates each, WAL,
// synchronous=NORMAL), with the automatic checkpoint at SQLite's default 1,000 pages and with
// none (as the mock's main connection runs), alternating; prints per-transaction time and the
// latency percentiles the stalls show up in.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDb } from '../src/db/open.ts'

const TRANSACTIONS = 20_000
const ROWS = 5000

function run(dir: string, autocheckpoint: number): string {
  const db = openDb(join(dir, `world-${autocheckpoint}-${Date.now()}.db`))
  db.pragma(`wal_autocheckpoint = ${autocheckpoint}`)
  db.exec('CREATE TABLE u (id INTEGER PRIMARY KEY, v TEXT, w INTEGER); CREATE INDEX u_v ON u(v)')
  const insert = db.prepare<[string, number]>('INSERT INTO u (v, w) VALUES (?, ?)')
  db.transaction(() => {
    for (let i = 0; i < ROWS; i += 1) {
      insert.run(`x${i}`, i)
    }
  })()
  const update = db.prepare<[string, number, number]>('UPDATE u SET v = ?, w = ? WHERE id = ?')
  const write = db.transaction((i: number) => {
    update.run(`y${i}`, i, 1 + (i % ROWS))
    update.run(`z${i}`, i, 1 + ((i * 7) % ROWS))
  })
  const times: number[] = []
  const started = performance.now()
  for (let i = 0; i < TRANSACTIONS; i += 1) {
    const t = performance.now()
    write(i)
    times.push(performance.now() - t)
  }
  const total = performance.now() - started
  db.close()
  times.sort((a, b) => a - b)
  const at = (p: number) => (times[Math.floor(p * (times.length - 1))] ?? 0).toFixed(2)
  const name =
    autocheckpoint === 0 ? 'no automatic checkpoint' : `automatic at ${autocheckpoint} pages`
  return `${name.padEnd(28)} ${((1000 * total) / TRANSACTIONS).toFixed(0).padStart(4)} µs/transaction; p50 ${at(0.5)} p99 ${at(0.99)} p99.9 ${at(0.999)} max ${at(1)} ms`
}

const dir = mkdtempSync(join(tmpdir(), 'wal-checkpoint-'))
try {
  for (let round = 0; round < 2; round += 1) {
    console.log(run(dir, 1000))
    console.log(run(dir, 0))
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
