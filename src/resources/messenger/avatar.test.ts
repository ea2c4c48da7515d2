// POST and DELETE /api/messenger/avatar, and the avatar they leave behind on the image routes.
import { describe, expect, it } from 'vitest'
import { IDS, createTestMock } from '../../testing/harness.ts'
import type { TestMock } from '../../testing/harness.ts'
import { expectValidResponse } from '../../testing/spec-validator.ts'
import {
  avatarForm,
  documentedBody,
  expectGuestRefused,
  expectLikeDocumented,
  imageSize,
  png,
  setConfig,
} from './test-support.ts'

const NOW = '2020-12-08T06:25:00.000000Z'
const OLD_FILE = 'img_5fcee7c1e64404.55920965.jpg'
const UNIQID_NAME = /^img_[0-9a-f]{13}\d\.\d{8}\.(png|jpg)$/

interface Settings {
  owner: {
    base: { avatar: string | null; updated_at: string }
    api_avatar: Record<'sm' | 'md' | 'lg', string>
    avatar: Record<'sm' | 'md' | 'lg', string>
  }
}

async function upload(mock: TestMock, body: FormData | undefined, init: RequestInit = {}) {
  const res = await mock.request('/api/messenger/avatar', {
    method: 'POST',
    token: 'john',
    ...(body === undefined ? {} : { body }),
    ...init,
  })
  return { status: res.status, body: (await res.json()) as Settings & Record<string, unknown> }
}

async function destroy(mock: TestMock, token = 'john') {
  const res = await mock.request('/api/messenger/avatar', { method: 'DELETE', token })
  return { status: res.status, body: (await res.json()) as Settings & Record<string, unknown> }
}

async function fetchImage(mock: TestMock, url: string) {
  const res = await mock.request(url, { token: 'john' })
  expect(res.status, url).toBe(200)
  return { type: res.headers.get('Content-Type'), bytes: new Uint8Array(await res.arrayBuffer()) }
}

function storedAvatars(mock: TestMock) {
  return mock.world.db
    .prepare('SELECT file, content_type, length(data) AS size FROM avatars WHERE user_id = ?')
    .all(IDS.john) as { file: string; content_type: string; size: number }[]
}

const errorsOf = (body: Record<string, unknown>) => body['errors']

describe('POST /api/messenger/avatar', () => {
  it('POST /api/messenger/avatar stores an image decided by its content, not its name', async () => {
    const mock = createTestMock()
    const picture = await png(800, 400)
    const { status, body } = await upload(mock, avatarForm(picture, 'photo.txt'))
    expect(status).toBe(200)
    expectValidResponse('updateAvatar', 200, body)
    const file = body.owner.base.avatar ?? ''
    expect(file).toMatch(UNIQID_NAME)
    expect(file.endsWith('.png')).toBe(true)
    expectLikeDocumented(body, documentedBody('updateAvatar'), {
      '$.owner.base.avatar': file,
      '$.owner.api_avatar': {
        sm: `/api/messenger/images/user/${IDS.john}/sm/${file}`,
        md: `/api/messenger/images/user/${IDS.john}/md/${file}`,
        lg: `/api/messenger/images/user/${IDS.john}/lg/${file}`,
      },
      '$.owner.avatar': {
        sm: `/images/user/${IDS.john}/sm/${file}`,
        md: `/images/user/${IDS.john}/md/${file}`,
        lg: `/images/user/${IDS.john}/lg/${file}`,
      },
    })
    expect(body.owner.base.updated_at).toBe(NOW)
    expect(storedAvatars(mock)).toEqual([{ file, content_type: 'image/png', size: picture.length }])

    // The image routes serve it: sm and md by their shorter side, lg as uploaded.
    const sm = await fetchImage(mock, body.owner.api_avatar.sm)
    expect(sm.type).toBe('image/png')
    expect(await imageSize(sm.bytes)).toEqual({ width: 300, height: 150, format: 'png' })
    const md = await fetchImage(mock, body.owner.avatar.md)
    expect(await imageSize(md.bytes)).toEqual({ width: 600, height: 300, format: 'png' })
    const lg = await fetchImage(mock, body.owner.api_avatar.lg)
    expect(Buffer.from(lg.bytes).equals(picture)).toBe(true)
  })

  it('POST /api/messenger/avatar replaces the previous avatar, whose file is gone', async () => {
    const mock = createTestMock()
    const before = await fetchImage(mock, `/images/user/${IDS.john}/lg/${OLD_FILE}`)
    expect(before.type).toBe('image/jpeg')
    const first = await upload(mock, avatarForm(await png(200, 200)))
    const second = await upload(mock, avatarForm(await png(300, 300)))
    expect(second.status).toBe(200)
    const firstFile = first.body.owner.base.avatar ?? ''
    const secondFile = second.body.owner.base.avatar ?? ''
    expect(secondFile).not.toBe(firstFile)
    expect(storedAvatars(mock).map((a) => a.file)).toEqual([secondFile])
    // Old names now get the default picture, a PNG unlike the stored files.
    const old = await fetchImage(mock, `/images/user/${IDS.john}/lg/${OLD_FILE}`)
    expect(old.type).toBe('image/png')
    const gone = await fetchImage(mock, `/images/user/${IDS.john}/lg/${firstFile}`)
    const fallback = await fetchImage(mock, `/images/user/${IDS.john}/lg/default.png`)
    expect(Buffer.from(gone.bytes).equals(fallback.bytes)).toBe(true)
    expect(await imageSize(gone.bytes)).toEqual({ width: 600, height: 600, format: 'png' })
  })

  it('POST /api/messenger/avatar answers 422 for a file that is not an image', async () => {
    const mock = createTestMock()
    const text = new TextEncoder().encode('just some text, not a picture')
    const { status, body } = await upload(mock, avatarForm(text, 'x.png'))
    expect(status).toBe(422)
    expect(body).toEqual({
      message: 'The given data was invalid.',
      errors: { image: ['The image must be an image.'] },
    })
    expect(storedAvatars(mock).map((a) => a.file)).toEqual([OLD_FILE])
  })

  it('POST /api/messenger/avatar answers 422 for a file over 5120 KB and accepts 5120 KB', async () => {
    const mock = createTestMock()
    const header = await png(10, 10)
    const sized = (bytes: number) => {
      const data = new Uint8Array(bytes)
      data.set(header)
      return data
    }
    const tooBig = await upload(mock, avatarForm(sized(5120 * 1024 + 1)))
    expect(tooBig.status).toBe(422)
    expect(errorsOf(tooBig.body)).toEqual({
      image: ['The image may not be greater than 5120 kilobytes.'],
    })
    const atLimit = await upload(mock, avatarForm(sized(5120 * 1024)))
    expect(atLimit.status).toBe(200)
  })

  it('POST /api/messenger/avatar answers 422 when the image is missing or not a file', async () => {
    const mock = createTestMock()
    const required = { image: ['The image field is required.'] }
    expect(errorsOf((await upload(mock, new FormData())).body)).toEqual(required)
    expect(errorsOf((await upload(mock, undefined)).body)).toEqual(required)
    expect(errorsOf((await upload(mock, avatarForm('  '))).body)).toEqual(required)
    const json = await upload(mock, undefined, {
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ image: 'x' }),
    })
    expect(json.status).toBe(422)
    expect(errorsOf(json.body)).toEqual(required)
    const broken = await upload(mock, undefined, {
      headers: { 'Content-Type': 'multipart/form-data; boundary=nothing-here' },
      body: 'not multipart at all',
    })
    expect(broken.status).toBe(422)
    expect(errorsOf(broken.body)).toEqual(required)

    const text = await upload(mock, avatarForm('a picture, honest'))
    expect(text.status).toBe(422)
    expect(errorsOf(text.body)).toEqual({
      image: ['The image must be a file.', 'The image must be an image.'],
    })
    const long = await upload(mock, avatarForm('x'.repeat(5121)))
    expect(errorsOf(long.body)).toEqual({
      image: [
        'The image may not be greater than 5120 characters.',
        'The image must be a file.',
        'The image must be an image.',
      ],
    })
  })

  it('POST /api/messenger/avatar checks the payload (422) before the upload switch (403)', async () => {
    const mock = createTestMock()
    setConfig(mock, 'provider_avatar_upload', false)
    const bad = await upload(mock, avatarForm(new TextEncoder().encode('text'), 'x.png'))
    expect(bad.status).toBe(422)
    const good = await upload(mock, avatarForm(await png(20, 20)))
    expect(good).toEqual({
      status: 403,
      body: { message: 'Avatar uploads are currently disabled.' },
    })
    expect(storedAvatars(mock).map((a) => a.file)).toEqual([OLD_FILE])
  })

  it('POST /api/messenger/avatar answers 401 without a valid token', async () => {
    const body = avatarForm(await png(20, 20))
    await expectGuestRefused('/api/messenger/avatar', { method: 'POST', body })
  })
})

describe('DELETE /api/messenger/avatar', () => {
  it('DELETE /api/messenger/avatar removes the avatar; URLs end in default.png', async () => {
    const mock = createTestMock()
    const { status, body } = await destroy(mock)
    expect(status).toBe(200)
    expectValidResponse('destroyAvatar', 200, body)
    expectLikeDocumented(body, documentedBody('destroyAvatar'))
    expect(body.owner.base.updated_at).toBe(NOW)
    expect(storedAvatars(mock)).toEqual([])
    // The old URL and the new default.png URL both serve the default picture.
    const old = await fetchImage(mock, `/api/messenger/images/user/${IDS.john}/sm/${OLD_FILE}`)
    const fallback = await fetchImage(mock, body.owner.api_avatar.sm)
    expect(old.type).toBe('image/png')
    expect(Buffer.from(old.bytes).equals(fallback.bytes)).toBe(true)
  })

  it('DELETE /api/messenger/avatar is a no-op for a user without an avatar', async () => {
    const mock = createTestMock()
    mock.advance(60)
    const { status, body } = await destroy(mock, 'jane')
    expect(status).toBe(200)
    expect(body.owner.base).toMatchObject({
      avatar: null,
      updated_at: '2020-12-08T04:45:53.000000Z',
    })
  })

  it('DELETE /api/messenger/avatar answers 403 while removal is disabled', async () => {
    const mock = createTestMock()
    setConfig(mock, 'provider_avatar_removal', false)
    expect(await destroy(mock)).toEqual({
      status: 403,
      body: { message: 'Avatar removal is currently disabled.' },
    })
    expect(storedAvatars(mock).map((a) => a.file)).toEqual([OLD_FILE])
  })

  it('DELETE /api/messenger/avatar answers 401 without a valid token', async () => {
    await expectGuestRefused('/api/messenger/avatar', { method: 'DELETE' })
  })
})
