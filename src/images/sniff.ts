// Decides whether an upload is one of Laravel 8's `image` rule types, by content (magic bytes) only.

export type ImageMime =
  'image/jpeg' | 'image/png' | 'image/gif' | 'image/bmp' | 'image/webp' | 'image/svg+xml'

export type ImageExt = 'jpg' | 'png' | 'gif' | 'bmp' | 'webp' | 'svg'

export type SniffedImage = { mime: ImageMime; ext: ImageExt }

const JPEG = [0xff, 0xd8, 0xff]
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
const UTF8_BOM = [0xef, 0xbb, 0xbf]
// Sizes of the known BMP info headers (OS/2 1.x and 2.x, Windows 3.x, the V2–V5 variants). libmagic
// (behind PHP's finfo, which Laravel's rule trusts) also wants one of these after "BM", so a text
// file that merely starts with "BM" is not a bitmap.
const BMP_INFO_HEADER_SIZES = new Set([12, 16, 40, 52, 56, 64, 108, 124])
const WEBP_CHUNKS = new Set(['VP8 ', 'VP8L', 'VP8X'])
// An SVG prolog (declaration, comments, doctype) is short; scanning a bounded prefix keeps a
// multi-megabyte text upload from being decoded in full just to be rejected.
const SVG_SCAN_BYTES = 64 * 1024

/** The image type of `bytes`, or null when it is none of jpeg, png, gif, bmp, webp, svg. */
export function sniffImage(bytes: Uint8Array): SniffedImage | null {
  if (startsWith(bytes, JPEG)) {
    return { mime: 'image/jpeg', ext: 'jpg' }
  }
  if (startsWith(bytes, PNG)) {
    return { mime: 'image/png', ext: 'png' }
  }
  const head = ascii(bytes, 0, 6)
  if (head === 'GIF87a' || head === 'GIF89a') {
    return { mime: 'image/gif', ext: 'gif' }
  }
  if (isBmp(bytes)) {
    return { mime: 'image/bmp', ext: 'bmp' }
  }
  if (isWebp(bytes)) {
    return { mime: 'image/webp', ext: 'webp' }
  }
  if (isSvg(bytes)) {
    return { mime: 'image/svg+xml', ext: 'svg' }
  }
  return null
}

function startsWith(bytes: Uint8Array, prefix: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + prefix.length) {
    return false
  }
  return prefix.every((byte, i) => bytes[offset + i] === byte)
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end))
}

function isBmp(bytes: Uint8Array): boolean {
  if (bytes.length < 26 || ascii(bytes, 0, 2) !== 'BM') {
    return false
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  return BMP_INFO_HEADER_SIZES.has(view.getUint32(14, true))
}

function isWebp(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 16 &&
    ascii(bytes, 0, 4) === 'RIFF' &&
    ascii(bytes, 8, 12) === 'WEBP' &&
    WEBP_CHUNKS.has(ascii(bytes, 12, 16))
  )
}

// Accepts: optional UTF-8 BOM and whitespace, an optional XML declaration, then any mix of
// comments, processing instructions and a doctype, then an element literally named `svg`.
function isSvg(bytes: Uint8Array): boolean {
  const start = startsWith(bytes, UTF8_BOM) ? UTF8_BOM.length : 0
  const text = new TextDecoder('utf-8').decode(bytes.subarray(start, start + SVG_SCAN_BYTES))
  let i = skipWhitespace(text, 0)
  if (text.startsWith('<?xml', i)) {
    const end = text.indexOf('?>', i)
    if (end < 0) {
      return false
    }
    i = end + 2
  }
  for (;;) {
    i = skipWhitespace(text, i)
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4)
      if (end < 0) {
        return false
      }
      i = end + 3
    } else if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i + 2)
      if (end < 0) {
        return false
      }
      i = end + 2
    } else if (text.slice(i, i + 9).toUpperCase() === '<!DOCTYPE') {
      const end = doctypeEnd(text, i + 9)
      if (end < 0) {
        return false
      }
      i = end + 1
    } else {
      break
    }
  }
  return /^<svg[\s/>]/.test(text.slice(i, i + 5))
}

function skipWhitespace(text: string, from: number): number {
  let i = from
  while (i < text.length && /\s/.test(text.charAt(i))) {
    i++
  }
  return i
}

// Index of the `>` closing a doctype; an internal subset (`[ ... ]`) and quoted strings may
// contain `>` themselves, so those are skipped.
function doctypeEnd(text: string, from: number): number {
  let quote = ''
  let depth = 0
  for (let i = from; i < text.length; i++) {
    const c = text.charAt(i)
    if (quote !== '') {
      if (c === quote) {
        quote = ''
      }
    } else if (c === '"' || c === "'") {
      quote = c
    } else if (c === '[') {
      depth++
    } else if (c === ']') {
      depth = Math.max(0, depth - 1)
    } else if (c === '>' && depth === 0) {
      return i
    }
  }
  return -1
}
