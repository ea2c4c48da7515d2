// The first request that may write starts the work once; reads never do.
import { setImmediate as turn } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { onFirstWrite } from './on-first-write.ts'

describe('onFirstWrite', () => {
  const answered: string[] = []
  const fetch = (request: Request) => {
    answered.push(request.method)
    return new Response('ok')
  }
  const send = (wrapped: typeof fetch, method: string) =>
    wrapped(new Request('http://mock.test/api/messenger', { method }))

  it('starts nothing for reads, then once for the first write, after answering it', async () => {
    let starts = 0
    const wrapped = onFirstWrite(fetch, () => {
      starts += 1
    })
    for (const method of ['GET', 'HEAD', 'OPTIONS']) {
      send(wrapped, method)
    }
    await turn()
    expect(starts).toBe(0)

    const first = send(wrapped, 'POST')
    // Handed on first: the work starts on a later turn of the event loop.
    expect(starts).toBe(0)
    await turn()
    expect(starts).toBe(1)
    expect(await first.text()).toBe('ok')

    for (const method of ['PUT', 'PATCH', 'DELETE', 'POST']) {
      send(wrapped, method)
    }
    await turn()
    expect(starts).toBe(1)
    expect(answered).toEqual(['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE', 'POST'])
  })
})
