// Tests that sniffImage rejects near-misses of the six image types and copes with longer SVG prologs.
import { describe, expect, it } from 'vitest'

import { sniffImage } from './sniff.ts'

const text = (s: string): Uint8Array => new TextEncoder().encode(s)

describe('sniffImage look-alikes', () => {
  it.each([
    ['text starting with BM', 'BMW owners club, minutes of the 2020 meeting'],
    ['a RIFF file that is not WebP', 'RIFF\x24\x00\x00\x00WAVEfmt '],
    ['an HTML page', '<!DOCTYPE html><html><svg></svg></html>'],
    ['an element merely starting with svg', '<svgfoo/>'],
    ['XML that is not SVG', '<?xml version="1.0"?><note/>'],
    ['an unclosed comment', '<!-- never closed <svg/>'],
    ['an unclosed XML declaration', '<?xml version="1.0" <svg/>'],
  ])('rejects %s', (_name, payload) => {
    expect(sniffImage(text(payload))).toBeNull()
  })

  it('rejects a truncated PNG signature', () => {
    expect(sniffImage(new Uint8Array([0x89, 0x50, 0x4e, 0x47]))).toBeNull()
  })

  it('accepts SVG after a BOM, whitespace, a doctype with an internal subset and a PI', () => {
    const svg =
      '\uFEFF \n<?xml version="1.0" encoding="UTF-8"?>\n<!-- made by hand > -->\n' +
      '<?xml-stylesheet href="a.css"?>\n' +
      '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" ' +
      '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd" [ <!ENTITY a "b>"> ]>\n' +
      '<svg\n  width="10" height="10"><rect width="10" height="10"/></svg>'
    expect(sniffImage(text(svg))).toEqual({ mime: 'image/svg+xml', ext: 'svg' })
  })

  it('reads a view into a larger buffer from its own offset', () => {
    const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]
    const padded = new Uint8Array(7 + png.length)
    padded.set(png, 7)
    expect(sniffImage(padded.subarray(7))?.ext).toBe('png')
    // A BMP header read through a DataView must also honour the view's offset.
    const bmp = new Uint8Array(3 + 30)
    bmp.set([0x42, 0x4d], 3)
    new DataView(bmp.buffer).setUint32(3 + 14, 40, true)
    expect(sniffImage(bmp.subarray(3))?.ext).toBe('bmp')
  })
})
