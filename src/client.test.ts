// The typed client against the app in-process: results narrow by status, and a Blob in a body
// goes as multipart/form-data.
import { readFileSync } from 'node:fs'
import { describe, expect, expectTypeOf, it } from 'vitest'
import type { components } from './generated/openapi.ts'
import { IDS, createTestMock } from './testing/harness.ts'

type Schemas = components['schemas']
const fixture = (name: string) =>
  new Blob([readFileSync(new URL(`../fixtures/images/${name}`, import.meta.url))])

describe('results narrowed by status', () => {
  it('gives a 201 its call and a 403 its message', async () => {
    const api = createTestMock().as('john')
    const started = await api.POST('/api/messenger/threads/{thread}/calls', {
      params: { path: { thread: IDS.johnJairo } },
    })
    expect(started.status).toBe(201)
    if (started.status === 201) {
      expectTypeOf(started.data).toEqualTypeOf<Schemas['Call']>()
      expect(started.data.thread_id).toBe(IDS.johnJairo)
    }
    // Jane's call is already active in John–Jane.
    const refused = await api.POST('/api/messenger/threads/{thread}/calls', {
      params: { path: { thread: IDS.johnJane } },
    })
    expect(refused.status).toBe(403)
    if (refused.status === 403) {
      expectTypeOf(refused.error).toEqualTypeOf<Schemas['ErrorMessage']>()
      expect(refused.error).toEqual({ message: 'Not authorized to start a call.' })
    }
  })

  it('gives a 422 the validation shape', async () => {
    const api = createTestMock().as('john')
    const result = await api.POST('/api/messenger/heartbeat', {
      // @ts-expect-error -- the contract wants a boolean; this call proves the 422 is typed.
      body: { away: 'sometimes' },
    })
    expect(result.status).toBe(422)
    if (result.status === 422) {
      expectTypeOf(result.error).toEqualTypeOf<Schemas['ValidationError']>()
      expect(result.error.errors['away']).toEqual(['The away field must be true or false.'])
    }
  })
})

describe('multipart bodies', () => {
  it('uploads a Blob as the avatar file', async () => {
    const api = createTestMock().as('john')
    const result = await api.POST('/api/messenger/avatar', {
      body: { image: fixture('avatar.png') },
    })
    expect(result.status).toBe(200)
    expect(result.data?.owner.base.avatar).toMatch(/^img_.*\.png$/)
  })

  it('sends a file that is not an image as a file, and gets the 422 that says so', async () => {
    const api = createTestMock().as('john')
    const result = await api.POST('/api/messenger/avatar', {
      body: { image: fixture('not-an-image.png') },
    })
    expect(result.status).toBe(422)
    if (result.status === 422) {
      expect(result.error.errors['image']).toEqual(['The image must be an image.'])
    }
  })

  it('types the file part as a Blob, not a string', () => {
    expectTypeOf<Schemas['AvatarPayload']['image']>().toEqualTypeOf<Blob>()
  })
})
