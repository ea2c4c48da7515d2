// The mock as a process: it starts on a port of its own, keeps a file world across restarts, says
// clearly when the port is taken, and shuts down on SIGTERM.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url))
const JOHN_JAIRO = '92316158-d218-4b23-b90b-a708fb354685'
const auth = { Authorization: 'Bearer john', Accept: 'application/json' }

interface Started {
  url: string
  output: () => string
  stop(): Promise<number | null>
}

function start(
  args: string[],
  entry: string[] = ['--import', 'tsx', MAIN],
  quiet = true
): Promise<Started> {
  const child = spawn(
    process.execPath,
    [...entry, '--port', '0', ...(quiet ? ['--quiet'] : []), ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    }
  )
  let output = ''
  const stop = () =>
    new Promise<number | null>((resolve) => {
      child.once('exit', (code) => {
        resolve(code)
      })
      child.kill('SIGTERM')
    })
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const url = /listening on (http:\/\/\S+)/.exec(output)?.[1]
      // The banner's last line ("try: curl …") means it has all been printed.
      if (url && output.includes('try:')) {
        resolve({ url, output: () => output, stop })
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.once('exit', (code) => {
      reject(new Error(`exited with ${String(code)}: ${output}`))
    })
  })
}

describe('the mock process', () => {
  it('keeps a file world across a restart', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'mock-')), 'world.db')
    const first = await start(['--db', db])
    const created = await fetch(`${first.url}/api/messenger/threads/${JOHN_JAIRO}/calls`, {
      method: 'POST',
      headers: auth,
    })
    expect(created.status).toBe(201)
    const { id } = (await created.json()) as { id: string }
    expect(await first.stop()).toBe(0)

    const second = await start(['--db', db])
    const shown = await fetch(`${second.url}/api/messenger/threads/${JOHN_JAIRO}/calls/${id}`, {
      headers: auth,
    })
    expect(shown.status).toBe(200)
    expect(((await shown.json()) as { active: boolean }).active).toBe(true)
    await second.stop()

    const reset = await start(['--db', db, '--reset'])
    const gone = await fetch(`${reset.url}/api/messenger/threads/${JOHN_JAIRO}/calls/${id}`, {
      headers: auth,
    })
    expect(gone.status).toBe(404)
    await reset.stop()
  })

  it('prints where it listens, the docs and the tokens, and serves /mock/health', async () => {
    const mock = await start(['--db', ':memory:'])
    expect(mock.output()).toMatch(/docs: +http:\/\/127\.0\.0\.1:\d+\/docs/)
    expect(mock.output()).toMatch(/tokens: +john .*jane .*jairo/)
    const health = await fetch(`${mock.url}/mock/health`)
    expect(health.status).toBe(200)
    const docs = await fetch(`${mock.url}/docs`)
    expect(await docs.text()).toMatch(/\/docs\/assets\/swagger-ui-bundle\.js/)
    expect(await mock.stop()).toBe(0)
  })

  it('logs every request on stdout, in order, and loses none at shutdown', async () => {
    const mock = await start(['--db', ':memory:'], undefined, false)
    for (let i = 0; i < 30; i += 1) {
      await fetch(`${mock.url}/api/messenger/threads/${i}`, { headers: auth })
    }
    // Stopped at once: lines still queued must be written before the process exits.
    expect(await mock.stop()).toBe(0)
    const logged = [...mock.output().matchAll(/^GET \/api\/messenger\/threads\/(\d+) 404 /gm)]
    expect(logged.map((m) => Number(m[1]))).toEqual(Array.from({ length: 30 }, (_, i) => i))
  })

  it('says clearly that the port is taken', async () => {
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', MAIN, '--port', String(port), '--db', ':memory:'],
      {
        encoding: 'utf8',
        timeout: 30_000,
      }
    )
    server.close()
    expect(run.status).toBe(1)
    expect(run.stderr).toMatch(new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`))
  })

  it('refuses a bad flag with the usage', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', MAIN, '--port', 'eighty'], {
      encoding: 'utf8',
      timeout: 30_000,
    })
    expect(run.status).toBe(2)
    expect(run.stderr).toMatch(/--port must be a whole number/)
    expect(run.stderr).toMatch(/Usage: npm start/)
  })

  it('runs bundled as dist/main.mjs, as npm start does: migrations, default world, specs', async () => {
    const root = fileURLToPath(new URL('../', import.meta.url))
    const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, encoding: 'utf8' })
    expect(build.status, build.stderr).toBe(0)
    const mock = await start(['--db', ':memory:'], [join(root, 'dist/main.mjs')])
    const info = await fetch(`${mock.url}/api/messenger`, { headers: auth })
    expect(info.status).toBe(200)
    const spec = await fetch(`${mock.url}/openapi.json`)
    expect(((await spec.json()) as { openapi: string }).openapi).toBe('3.1.0')
    expect(await mock.stop()).toBe(0)
  })

  it('on a non-loopback address prints the real address and a control token, and requires it', async () => {
    const mock = await start(['--host', '0.0.0.0', '--db', ':memory:'])
    try {
      expect(mock.url).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/)
      expect(mock.output()).toContain('other machines can reach this mock')
      const token = /X-Mock-Token: ([0-9a-f]{32})/.exec(mock.output())?.[1] ?? ''
      expect(token).not.toBe('')
      expect((await fetch(`${mock.url}/mock/world`)).status).toBe(401)
      const ok = await fetch(`${mock.url}/mock/world`, { headers: { 'X-Mock-Token': token } })
      expect(ok.status).toBe(200)
      expect((await fetch(`${mock.url}/mock/health`)).status).toBe(200)
    } finally {
      await mock.stop()
    }
  })
})
