// The outbox sends what a request queued only when the response is a success: a handler that
// queues and then fails (an error status or a throw) sends nothing.
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import type { AppEnv } from '../http/env.ts'
import { readDefaultWorld } from '../world/default-world.ts'
import { createWorlds } from '../world/worlds.ts'
import { broadcasting } from './outbox.ts'
import { createRealtime } from './realtime.ts'

const kicked = { thread_id: 't', call_id: 'c', kicked: true }

function appWithOutbox() {
  const worlds = createWorlds({ file: ':memory:', defaultWorld: readDefaultWorld })
  const world = worlds.main()
  const realtime = createRealtime()
  const app = new Hono<AppEnv>()
  app.use('*', async (c, next) => {
    c.set('world', world)
    c.set('now', '2020-12-08T06:25:00.000000Z')
    await next()
  })
  app.use('*', broadcasting(realtime))
  app.post('/ok', (c) => {
    c.var.broadcasts.toUsers('call.kicked', ['u1', 'u2'], kicked)
    return c.json({ message: 'success' }, 200)
  })
  app.post('/denied', (c) => {
    c.var.broadcasts.toUsers('call.kicked', ['u1'], kicked)
    return c.json({ message: 'Not authorized.' }, 403)
  })
  app.post('/boom', (c) => {
    c.var.broadcasts.toUsers('call.kicked', ['u1'], kicked)
    throw new Error('after queueing')
  })
  app.post('/nobody', (c) => {
    c.var.broadcasts.toUsers('call.kicked', [], kicked)
    return c.json({ message: 'success' }, 200)
  })
  app.onError((_error, c) => c.json({ message: 'Server Error' }, 500))
  return { app, list: () => realtime.journals.list(world) }
}

describe('broadcasting middleware', () => {
  it('publishes after a successful response, one channel per user', async () => {
    const { app, list } = appWithOutbox()
    expect((await app.request('/ok', { method: 'POST' })).status).toBe(200)
    expect(list()).toEqual([
      {
        id: 1,
        at: '2020-12-08T06:25:00.000000Z',
        event: 'call.kicked',
        channels: ['private-user.u1', 'private-user.u2'],
        data: kicked,
      },
    ])
  })

  it('drops what a failed request queued (an error status or a throw), and empty recipient lists', async () => {
    const { app, list } = appWithOutbox()
    expect((await app.request('/denied', { method: 'POST' })).status).toBe(403)
    expect((await app.request('/boom', { method: 'POST' })).status).toBe(500)
    expect((await app.request('/nobody', { method: 'POST' })).status).toBe(200)
    expect(list()).toEqual([])
  })
})
