// Tests renderImage's choices beyond plain JPEG: formats kept or converted, never enlarging rasters,
// SVG rasterised at the target size, BMP passed through, and every default picture.
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'

import { defaultAvatar, renderImage } from './render.ts'
import type { DefaultAvatarKind } from './render.ts'

const solid = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: '#36c' } })

async function dimensions(body: Uint8Array): Promise<[string, number, number]> {
  const meta = await sharp(body).metadata()
  return [meta.format, meta.width, meta.height]
}

describe('renderImage formats', () => {
  it.each([
    ['png', 'image/png'],
    ['webp', 'image/webp'],
  ] as const)('keeps %s as %s', async (format, mime) => {
    const data = await solid(900, 600)[format]().toBuffer()
    const { body, contentType } = await renderImage(data, mime, 'md')
    expect(contentType).toBe(mime)
    expect(await dimensions(body)).toEqual([format, 450, 300])
  })

  it('sizes the shorter side of a portrait picture', async () => {
    const data = await solid(600, 900).jpeg().toBuffer()
    const { body } = await renderImage(data, 'image/jpeg', 'sm')
    expect(await dimensions(body)).toEqual(['jpeg', 150, 225])
  })

  it('never enlarges a raster smaller than the target', async () => {
    const data = await solid(200, 120).png().toBuffer()
    const { body } = await renderImage(data, 'image/png', 'md')
    expect(await dimensions(body)).toEqual(['png', 200, 120])
  })

  it('accepts mime aliases and parameters', async () => {
    const data = await solid(400, 300).jpeg().toBuffer()
    const { contentType } = await renderImage(data, 'Image/JPG; q=1', 'sm')
    expect(contentType).toBe('image/jpeg')
  })

  it('keeps an animated WebP animated', async () => {
    const frame = (colour: string) =>
      sharp({ create: { width: 600, height: 400, channels: 3, background: colour } })
        .png()
        .toBuffer()
    const data = await sharp([await frame('#f00'), await frame('#00f')], {
      join: { animated: true },
    })
      .webp({ loop: 0, delay: [100, 100] })
      .toBuffer()
    const { body } = await renderImage(data, 'image/webp', 'sm')
    const meta = await sharp(body, { animated: true }).metadata()
    expect([meta.format, meta.pages, meta.width, meta.pageHeight]).toEqual(['webp', 2, 225, 150])
  })

  it('rasterises SVG to PNG at the target size, even when drawn smaller', async () => {
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10">' +
        '<rect width="20" height="10" fill="#c33"/></svg>'
    )
    for (const [size, expected] of [
      ['sm', ['png', 300, 150]],
      ['md', ['png', 600, 300]],
    ] as const) {
      const { body, contentType } = await renderImage(svg, 'image/svg+xml', size)
      expect(contentType).toBe('image/png')
      expect(await dimensions(body)).toEqual(expected)
    }
    const original = await renderImage(svg, 'image/svg+xml', 'lg')
    expect([original.body, original.contentType]).toEqual([svg, 'image/svg+xml'])
  })

  it('serves a BMP unchanged at every size (sharp has no BMP decoder)', async () => {
    const data = new Uint8Array(58)
    data.set([0x42, 0x4d], 0)
    for (const size of ['sm', 'md', 'lg']) {
      const { body, contentType } = await renderImage(data, 'image/x-ms-bmp', size)
      expect(body).toBe(data)
      expect(contentType).toBe('image/bmp')
    }
  })

  it('rejects bytes sharp cannot decode, so the caller can fall back', async () => {
    const junk = new TextEncoder().encode('not a picture')
    await expect(renderImage(junk, 'image/png', 'sm')).rejects.toThrow()
  })
})

describe('defaultAvatar kinds', () => {
  it.each(['user', 'group', 'not-found'] as const)(
    'renders %s as a PNG, once per size',
    async (kind: DefaultAvatarKind) => {
      const first = await defaultAvatar(kind, 'md')
      expect(first.contentType).toBe('image/png')
      expect(await dimensions(first.body)).toEqual(['png', 300, 300])
      expect(await dimensions((await defaultAvatar(kind, 'nonsense')).body)).toEqual([
        'png',
        150,
        150,
      ])
      // Served from the in-memory cache the second time.
      expect((await defaultAvatar(kind, 'md')).body).toBe(first.body)
    }
  )

  it('draws something different for each kind', async () => {
    const bodies = await Promise.all(
      (['user', 'group', 'not-found'] as const).map(async (kind) =>
        Buffer.from((await defaultAvatar(kind, 'sm')).body).toString('base64')
      )
    )
    expect(new Set(bodies).size).toBe(3)
  })
})
