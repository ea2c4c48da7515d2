// Sandboxes over HTTP as a CI farm uses them: never lost silently, refused clearly past the cap or
// after they expired, made only by requests a route answers, and safe to delete mid-request.
import { describe, expect, it } from 'vitest'
import { createApp } from '../../app.ts'
import { BASE_URL, IDS } from '../../testing/harness.ts'
import { readDefaultWorld } from '../../world/default-world.ts'
import { createWorlds } from '../../world/worlds.ts'
import type { WorldsOptions } from '../../world/worlds.ts'
import { png } from '../messenger/test-support.ts'

function mockWith(options: Partial<WorldsOptions> = {}) {
  const worlds = createWorlds({ file: ':memory:', defaultWorld: readDefaultWorld, ...options })
  const app = createApp({ worlds })
  const call = (method: string, path: string, sandbox?: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers)
    headers.set('Authorization', 'Bearer john')
    headers.set('Accept', 'application/json')
    if (sandbox !== undefined) {
      headers.set('X-Mock-Sandbox', sandbox)
    }
    return app.fetch(new Request(`${BASE_URL}${path}`, { ...init, method, headers }))
  }
  const names = async () => {
    const res = await call('GET', '/mock/sandboxes')
    return ((await res.json()) as { data: { name: string }[] }).data.map((s) => s.name)
  }
  return { worlds, call, names }
}

const callsPath = `/api/messenger/threads/${IDS.johnJairo}/calls`

describe('sandboxes over HTTP', () => {
  it('a started call survives 200 requests naming other sandboxes on unknown routes', async () => {
    const mock = mockWith()
    const started = await mock.call('POST', callsPath, 'ci-job-1')
    expect(started.status).toBe(201)
    const { id } = (await started.json()) as { id: string }
    for (let i = 1; i <= 200; i++) {
      const res = await mock.call('GET', '/nothing', `junk${i}`)
      expect(res.status).toBe(404)
    }
    expect((await mock.call('PATCH', '/api/messenger/settings', 'junk-405')).status).toBe(405)
    expect(await mock.names()).toEqual(['ci-job-1'])
    const show = await mock.call('GET', `${callsPath}/${id}`, 'ci-job-1')
    expect(show.status).toBe(200)
    mock.worlds.close()
  })

  it('past the cap, a new name gets a 503 naming the cap and how to free room; old ones stay', async () => {
    const mock = mockWith({ maxSandboxes: 2 })
    expect((await mock.call('POST', callsPath, 'a')).status).toBe(201)
    expect((await mock.call('GET', '/api/messenger', 'b')).status).toBe(200)
    const refused = await mock.call('GET', '/api/messenger', 'c')
    expect(refused.status).toBe(503)
    const { message } = (await refused.json()) as { message: string }
    expect(message).toContain('2 sandboxes, its cap')
    expect(message).toContain('--max-sandboxes')
    expect(message).toContain('DELETE /mock/sandboxes/{name}')
    expect(await mock.names()).toEqual(['a', 'b'])
    const calls = await mock.call('GET', callsPath, 'a')
    expect(((await calls.json()) as { data: unknown[] }).data).toHaveLength(1)
    mock.worlds.close()
  })

  it('a sandbox idle past its time to live answers 410 saying it expired, until its name is deleted', async () => {
    let now = Date.now()
    const mock = mockWith({ sandboxTtlMs: 60_000, now: () => now })
    expect((await mock.call('POST', callsPath, 'ci-job-1')).status).toBe(201)
    now += 60_000
    mock.worlds.sweep()
    const gone = await mock.call('GET', callsPath, 'ci-job-1')
    expect(gone.status).toBe(410)
    const { message } = (await gone.json()) as { message: string }
    expect(message).toContain('"ci-job-1" expired')
    expect(message).toContain('after 1 minute without requests')
    expect((await mock.call('DELETE', '/mock/sandboxes/ci-job-1')).status).toBe(200)
    const fresh = await mock.call('GET', callsPath, 'ci-job-1')
    expect(fresh.status).toBe(200)
    expect(((await fresh.json()) as { data: unknown[] }).data).toEqual([])
    mock.worlds.close()
  })

  it('DELETE /mock/sandboxes/{name} during a slow avatar upload in it: the upload completes, no 500', async () => {
    const mock = mockWith()
    const form = new FormData()
    form.append('image', new File([await png(40, 40)], 'a.png'))
    const encoded = new Response(form)
    const type = encoded.headers.get('Content-Type') ?? ''
    const bytes = new Uint8Array(await encoded.arrayBuffer())
    let finish: () => void = () => undefined
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, 100))
        finish = () => {
          controller.enqueue(bytes.slice(100))
          controller.close()
        }
      },
    })
    const upload = mock.call('POST', '/api/messenger/avatar', 'slow', {
      headers: { 'Content-Type': type },
      body,
      duplex: 'half',
    })
    await new Promise((resolve) => setTimeout(resolve, 20))
    const deleted = await mock.call('DELETE', '/mock/sandboxes/slow')
    expect(deleted.status).toBe(200)
    finish()
    const res = await upload
    expect(res.status).toBe(200)
    expect(await mock.names()).toEqual([])
    mock.worlds.close()
  })
})
