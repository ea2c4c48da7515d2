// renderImage sizes like the backend (lg original, md 300 px and sm 150 px on the shorter side);
// defaultAvatar answers a PNG of the size asked for.
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { defaultAvatar, renderImage } from './render.ts'

const picture = (format: 'jpeg' | 'png' | 'gif') =>
  sharp({ create: { width: 800, height: 600, channels: 3, background: '#c33' } })
    [format]()
    .toBuffer()

describe('renderImage', () => {
  it('serves lg as uploaded, byte for byte', async () => {
    const data = new Uint8Array(await picture('jpeg'))
    const { body, contentType } = await renderImage(data, 'image/jpeg', 'lg')
    expect(Buffer.from(body).equals(Buffer.from(data))).toBe(true)
    expect(contentType).toBe('image/jpeg')
  })

  it.each([
    ['md', 300, 400],
    ['sm', 150, 200],
    ['anything-else', 150, 200],
  ])('resizes %s so the shorter side is %i px, keeping the format', async (size, short, long) => {
    const { body, contentType } = await renderImage(
      new Uint8Array(await picture('jpeg')),
      'image/jpeg',
      size
    )
    const meta = await sharp(body).metadata()
    expect([meta.format, meta.height, meta.width]).toEqual(['jpeg', short, long])
    expect(contentType).toBe('image/jpeg')
  })

  it('serves a GIF as uploaded at every size', async () => {
    const data = new Uint8Array(await picture('gif'))
    const { body } = await renderImage(data, 'image/gif', 'sm')
    expect(Buffer.from(body).equals(Buffer.from(data))).toBe(true)
  })
})

describe('defaultAvatar', () => {
  it.each([
    ['sm', 150],
    ['md', 300],
    ['lg', 600],
  ])('is a %s PNG of %i px', async (size, side) => {
    const { body, contentType } = await defaultAvatar('user', size)
    const meta = await sharp(body).metadata()
    expect([contentType, meta.format, meta.width, meta.height]).toEqual([
      'image/png',
      'png',
      side,
      side,
    ])
  })
})
