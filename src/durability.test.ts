// Durability as a crash meets it: a real mock process on a real database file takes a stream of
// writes, is killed with SIGKILL while requests are still in flight, and restarts on the same
// file with every write it had acknowledged.
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url))
/** The default world's group thread, where John may create invites. */
const TEST_PARTY = '92313cf7-b356-4d74-944c-c799fcfc3b1e'
const json = { Authorization: 'Bearer john', 'Content-Type': 'application/json' }
const invites = `/api/messenger/threads/${TEST_PARTY}/invites`

function start(db: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', MAIN, '--port', '0', '--db', db, '--quiet'],
    { stdio: ['ignore', 'pipe', 'inherit'] }
  )
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const url = /listening on (http:\/\/\S+)/.exec(out)?.[1]
      if (url) {
        resolve({ url, child })
      }
    })
    child.once('exit', (code) => {
      reject(new Error(`the mock exited with ${String(code)}: ${out}`))
    })
  })
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve()
      return
    }
    child.once('exit', () => {
      resolve()
    })
  })

describe('a file world killed mid-stream', () => {
  it('keeps every write it acknowledged before SIGKILL', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'durability-')), 'world.db')
    const first = await start(db)
    // No cap on active invites, so every request of the stream is a new row.
    const world = (await (await fetch(`${first.url}/mock/world`)).json()) as { config: object }
    const unlimited = { ...world, config: { ...world.config, thread_invites_max: 0 } }
    const put = await fetch(`${first.url}/mock/world`, {
      method: 'PUT',
      headers: json,
      body: JSON.stringify(unlimited),
    })
    expect(put.status).toBe(200)

    const acknowledged: string[] = []
    const stream = { killed: false }
    const running = () => !stream.killed
    // Eight writers at once, until the process is gone; a request cut off by the kill is not
    // acknowledged and may or may not have been stored.
    const writer = async () => {
      while (running()) {
        try {
          const res = await fetch(`${first.url}${invites}`, {
            method: 'POST',
            headers: json,
            body: '{"expires":0,"uses":0}',
          })
          if (res.status === 201) {
            acknowledged.push(((await res.json()) as { id: string }).id)
          } else {
            throw new Error(`unexpected ${res.status}: ${await res.text()}`)
          }
        } catch (error) {
          if (running()) {
            throw error
          }
        }
      }
    }
    const writers = Array.from({ length: 8 }, writer)
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (acknowledged.length >= 200) {
          clearInterval(check)
          resolve()
        }
      }, 1)
    })
    stream.killed = true
    first.child.kill('SIGKILL')
    const seen = acknowledged.length
    await Promise.all([exited(first.child), ...writers])
    expect(first.child.signalCode).toBe('SIGKILL')
    expect(acknowledged.length).toBeGreaterThanOrEqual(seen)

    const second = await start(db)
    try {
      const res = await fetch(`${second.url}${invites}`, { headers: json })
      expect(res.status).toBe(200)
      const stored = new Set(
        ((await res.json()) as { data: { id: string }[] }).data.map((i) => i.id)
      )
      const lost = acknowledged.filter((id) => !stored.has(id))
      expect({ acknowledged: acknowledged.length, lost }).toEqual({
        acknowledged: acknowledged.length,
        lost: [],
      })
    } finally {
      second.child.kill('SIGTERM')
      await exited(second.child)
    }
  })
})
