// sniffImage decides the type by content: the six types Laravel's `image` rule accepts, nothing else.
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { sniffImage } from './sniff.ts'

const pixel = () => sharp({ create: { width: 4, height: 3, channels: 3, background: '#369' } })

/** A minimal 1×1 24-bit BMP: file header, info header, one padded pixel row. */
function bmp(): Uint8Array {
  const bytes = Buffer.alloc(58)
  bytes.write('BM', 0, 'ascii')
  bytes.writeUInt32LE(58, 2)
  bytes.writeUInt32LE(54, 10)
  bytes.writeUInt32LE(40, 14)
  bytes.writeInt32LE(1, 18)
  bytes.writeInt32LE(1, 22)
  bytes.writeUInt16LE(1, 26)
  bytes.writeUInt16LE(24, 28)
  return bytes
}

describe('sniffImage', () => {
  it.each([
    ['jpeg', () => pixel().jpeg().toBuffer(), 'image/jpeg', 'jpg'],
    ['png', () => pixel().png().toBuffer(), 'image/png', 'png'],
    ['gif', () => pixel().gif().toBuffer(), 'image/gif', 'gif'],
    ['webp', () => pixel().webp().toBuffer(), 'image/webp', 'webp'],
    ['bmp', () => Promise.resolve(bmp()), 'image/bmp', 'bmp'],
    [
      'svg',
      () =>
        Promise.resolve(
          Buffer.from(
            '<?xml version="1.0"?>\n<!-- logo -->\n<svg xmlns="http://www.w3.org/2000/svg" width="4" height="3"/>'
          )
        ),
      'image/svg+xml',
      'svg',
    ],
  ] as const)('recognises %s from its bytes', async (_name, make, mime, ext) => {
    expect(sniffImage(new Uint8Array(await make()))).toEqual({ mime, ext })
  })

  it('rejects text, even when it would be named .png', () => {
    expect(sniffImage(new TextEncoder().encode('just some text, not a picture'))).toBeNull()
    expect(sniffImage(new Uint8Array())).toBeNull()
  })

  it('rejects an HTML page that mentions svg later on', () => {
    expect(sniffImage(new TextEncoder().encode('<html><body><svg></svg></body></html>'))).toBeNull()
  })
})
