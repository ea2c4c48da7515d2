// Request bodies: bounded while they stream (413 past the limit, the avatar's own 422), read the
// way Laravel reads them whatever their Content-Type says, and JSON nesting bounded.
import { describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import { useLiveMock } from '../controls/testing.ts'
import { BASE_URL, createTestMock, IDS } from '../testing/harness.ts'
import { readDefaultWorld } from '../world/default-world.ts'
import { createWorlds } from '../world/worlds.ts'

const MB = 1024 * 1024

/** A body of `total` bytes made on demand, counting how many bytes the server pulled. */
function countingStream(total: number, chunk = 64 * 1024) {
  let sent = 0
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) {
        controller.close()
        return
      }
      const size = Math.min(chunk, total - sent)
      sent += size
      controller.enqueue(new Uint8Array(size).fill(0x20))
    },
  })
  return { stream, pulled: () => sent }
}

const JSON_WRITES: [string, string][] = [
  ['PUT', '/api/messenger/settings'],
  ['POST', '/api/messenger/heartbeat'],
  ['POST', `/api/messenger/threads/${IDS.testParty}/invites`],
  [
    'PUT',
    `/api/messenger/threads/${IDS.testParty}/calls/${IDS.janesCall}/participants/${IDS.jane}`,
  ],
  ['PUT', '/mock/world'],
  ['POST', '/mock/clock'],
]

describe('bodies whose Content-Type does not match what they hold', () => {
  it.each(JSON_WRITES)(
    '%s %s reads a multipart type without a boundary as empty input',
    async (method, path) => {
      const mock = createTestMock()
      for (const type of [
        'multipart/form-data',
        'multipart/form-data; boundary=x',
        'application/x-www-form-urlencoded',
        'text/plain',
      ]) {
        const res = await mock.request(path, {
          method,
          token: 'john',
          headers: { 'Content-Type': type },
          body: '{}',
        })
        expect(res.status, `${method} ${path} as ${type}`).toBeLessThan(500)
        expect(await res.json()).toHaveProperty('message')
      }
    }
  )

  it('PUT /api/messenger/settings with a multipart type gets the 422 of an empty payload', async () => {
    const mock = createTestMock()
    const res = await mock.request('/api/messenger/settings', {
      method: 'PUT',
      token: 'john',
      headers: { 'Content-Type': 'multipart/form-data' },
      body: '{}',
    })
    expect(res.status).toBe(422)
  })
})

describe('body limits', () => {
  it('answers 413 to a declared body past the limit, before reading it', async () => {
    const mock = createTestMock()
    const big = countingStream(20 * MB)
    const res = await mock.app.fetch(
      new Request(`${BASE_URL}/api/messenger/settings`, {
        method: 'PUT',
        headers: {
          Authorization: 'Bearer john',
          'Content-Type': 'application/json',
          'Content-Length': String(20 * MB),
        },
        body: big.stream,
        duplex: 'half',
      })
    )
    expect(res.status).toBe(413)
    const body = (await res.json()) as { message: string }
    expect(body.message).toContain('8192 KB')
    expect(body.message).toContain('--max-body-kb')
    expect(big.pulled()).toBeLessThanOrEqual(64 * 1024)
  })

  it('answers 413 to a streamed body once it passes the limit, reading no further', async () => {
    const mock = createTestMock()
    const big = countingStream(50 * MB)
    const res = await mock.app.fetch(
      new Request(`${BASE_URL}/mock/world`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: big.stream,
        duplex: 'half',
      })
    )
    expect(res.status).toBe(413)
    expect(big.pulled()).toBeLessThan(9 * MB)
  })

  it('takes the limit from the app options', async () => {
    const worlds = createWorlds({ file: ':memory:', defaultWorld: readDefaultWorld })
    const app = createApp({ worlds, maxBodyBytes: 1024 })
    const res = await app.fetch(
      new Request(`${BASE_URL}/api/messenger/settings`, {
        method: 'PUT',
        headers: { Authorization: 'Bearer john', 'Content-Type': 'application/json' },
        body: JSON.stringify({ padding: 'x'.repeat(2000) }),
      })
    )
    expect(res.status).toBe(413)
    expect(((await res.json()) as { message: string }).message).toContain('1 KB')
    worlds.close()
  })

  it("POST /api/messenger/avatar stops reading past 5120 KB and answers Laravel's 422", async () => {
    const mock = createTestMock()
    const big = countingStream(200 * MB)
    const res = await mock.app.fetch(
      new Request(`${BASE_URL}/api/messenger/avatar`, {
        method: 'POST',
        headers: {
          Authorization: 'Bearer john',
          'Content-Type': 'multipart/form-data; boundary=b',
        },
        body: big.stream,
        duplex: 'half',
      })
    )
    expect(res.status).toBe(422)
    expect(await res.json()).toEqual({
      message: 'The given data was invalid.',
      errors: { image: ['The image may not be greater than 5120 kilobytes.'] },
    })
    expect(big.pulled()).toBeLessThan(6 * MB)
  })

  it('POST /api/messenger/avatar still answers 401 first to a guest', async () => {
    const mock = createTestMock()
    const res = await mock.request('/api/messenger/avatar', {
      method: 'POST',
      headers: { 'Content-Type': 'multipart/form-data; boundary=b' },
      body: new Uint8Array(7 * MB),
    })
    expect(res.status).toBe(401)
  })
})

describe('JSON nesting', () => {
  it('reads JSON nested deeper than 512 levels as empty input, quickly', async () => {
    const mock = createTestMock()
    const depth = 1_000_000
    const res = await mock.request('/mock/clock', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: `{"frozen":${'['.repeat(depth)}${']'.repeat(depth)}}`,
    })
    expect(res.status).toBe(422)
    const body = (await res.json()) as { errors: Record<string, string[]> }
    expect(Object.keys(body.errors)).toEqual(['advance_seconds', 'frozen'])
  })

  it('still reads JSON nested 512 levels deep', async () => {
    const mock = createTestMock()
    const inner = `${'['.repeat(510)}${']'.repeat(510)}`
    const res = await mock.request('/mock/clock', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: `{"frozen":${inner}}`,
    })
    expect(res.status).toBe(422)
    const body = (await res.json()) as { errors: Record<string, string[]> }
    expect(body.errors).toEqual({ frozen: ['The frozen field must be true or false.'] })
  })
})

describe('JSON bodies over a real socket (read straight from the Node request)', () => {
  const live = useLiveMock()
  const settings = {
    message_popups: false,
    message_sound: true,
    call_ringtone_sound: true,
    notify_sound: true,
    dark_mode: false,
    online_status: 2,
  }

  it('reads a valid body, journals it as sent, and answers from it', async () => {
    const sandbox = 'direct-json'
    const put = await live.send('PUT', '/api/messenger/settings', {
      sandbox,
      token: 'john',
      body: settings,
    })
    expect(put.status).toBe(200)
    expect(put.body).toMatchObject({ message_popups: false, online_status: 2 })
    const journal = await live.send('GET', '/mock/requests', { sandbox })
    const entries = (journal.body as { data: { body: unknown }[] }).data
    expect(entries.at(-1)?.body).toEqual(settings)
  })

  it.each([
    ['unparsable JSON', '{"message_popups": fal'],
    ['a JSON list', '[1, 2]'],
    ['JSON nested 600 deep', `{"a":${'['.repeat(600)}${']'.repeat(600)}}`],
  ])('reads %s as empty input: the route answers its own 422', async (_, body) => {
    const put = await live.send('PUT', '/api/messenger/settings', {
      sandbox: 'direct-json-bad',
      token: 'john',
      body,
    })
    expect(put.status).toBe(422)
    expect(Object.keys((put.body as { errors: object }).errors)).toContain('message_popups')
  })

  it('answers 413 to a declared JSON body past the limit without reading it', async () => {
    const big = `{"x":"${'a'.repeat(9 * MB)}"}`
    const put = await live.send('PUT', '/api/messenger/settings', { token: 'john', body: big })
    expect(put.status).toBe(413)
  })
})
