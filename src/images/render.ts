// Renders avatar bytes for the image routes like the backend's ImageRenderService, and the default pictures.
import type Sharp from 'sharp'
import type { Sharp as SharpImage } from 'sharp'

// sharp (libvips) takes ~120 ms to load; only image requests need it, so it loads on first use.
let sharpModule: Promise<typeof Sharp> | undefined
const loadSharp = () => (sharpModule ??= import('sharp').then((m) => m.default))

export type RenderedImage = { body: Uint8Array; contentType: string }
export type DefaultAvatarKind = 'user' | 'group' | 'not-found'
export type DefaultAvatar = { body: Uint8Array; contentType: 'image/png' }

// Intervention's encoder default; keeps resized JPEG/WebP close to what the backend served.
const QUALITY = 90

/**
 * The bytes the backend would serve for `size` of a stored image of type `mime`:
 * 'lg' or a GIF → the original bytes (the backend never re-encoded those, so GIF animation survives);
 * 'md' → the shorter side scaled to 300 px; anything else (the size is not validated, so also 'sm'
 * and typos) → 150 px. The aspect ratio is kept.
 *
 * Raster images are never enlarged: the backend's Intervention resize would upscale a small
 * upload, but an upscaled avatar only gets blurrier and bigger, and no client relies on the exact
 * pixel count of a tiny upload. SVG is vector, so it is rasterised straight at the target size.
 *
 * JPEG, PNG and WebP keep their format (an animated WebP stays animated); SVG becomes PNG because
 * sharp cannot write SVG. BMP is served as the original bytes at every size: the prebuilt libvips
 * inside sharp has no BMP decoder, and a pixel-exact but unresized bitmap beats failing the route
 * that must always answer with an image.
 *
 * Rejects when sharp cannot decode the bytes at all; the caller should then fall back to
 * `defaultAvatar('not-found', size)`.
 */
export async function renderImage(
  data: Uint8Array,
  mime: string,
  size: string
): Promise<RenderedImage> {
  const type = normaliseMime(mime)
  if (size === 'lg' || type === 'image/gif' || type === 'image/bmp') {
    return { body: data, contentType: type }
  }
  const sharp = await loadSharp()
  const side = shorterSide(size)
  // 'none': a slightly damaged upload still yields a picture instead of a failed image route.
  const input = { failOn: 'none', animated: type === 'image/webp' } as const
  let image: SharpImage
  if (type === 'image/svg+xml') {
    // Rasterise at a density that makes the shorter side reach the target, so the vector is drawn
    // at full resolution instead of being scaled up from a 72 dpi bitmap.
    const { width, height } = await sharp(data, input).metadata()
    const density = clamp((72 * side) / Math.max(1, Math.min(width, height)), 1, 100_000)
    image = sharp(data, { ...input, density }).resize({ width: side, height: side, fit: 'outside' })
  } else {
    image = sharp(data, input)
      .autoOrient()
      .resize({ width: side, height: side, fit: 'outside', withoutEnlargement: true })
  }
  switch (type) {
    case 'image/jpeg':
      return { body: await image.jpeg({ quality: QUALITY }).toBuffer(), contentType: type }
    case 'image/webp':
      return { body: await image.webp({ quality: QUALITY }).toBuffer(), contentType: type }
    default:
      return { body: await image.png().toBuffer(), contentType: 'image/png' }
  }
}

function normaliseMime(mime: string): string {
  const type = (mime.split(';')[0] ?? '').trim().toLowerCase()
  switch (type) {
    case 'image/jpg':
    case 'image/pjpeg':
      return 'image/jpeg'
    // Older libmagic builds (and so PHP's finfo) name bitmaps this way.
    case 'image/x-ms-bmp':
    case 'image/x-bmp':
      return 'image/bmp'
    default:
      return type
  }
}

function shorterSide(size: string): number {
  return size === 'md' ? 300 : 150
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value))
}

// Promises, not results, are cached so concurrent first requests share one render.
const defaults = new Map<string, Promise<DefaultAvatar>>()

/**
 * The default picture (a user silhouette, a group glyph, or a question mark for unknown avatars)
 * as a square PNG of 150/300/600 px for 'sm'/'md'/'lg' (anything else → 150), rendered on first
 * use and then kept in memory. The returned body is shared between callers: do not mutate it.
 */
export function defaultAvatar(kind: DefaultAvatarKind, size: string): Promise<DefaultAvatar> {
  const px = defaultPixels(size)
  const key = `${kind}:${px}`
  const cached = defaults.get(key)
  if (cached !== undefined) {
    return cached
  }
  const rendered = loadSharp()
    .then((sharp) =>
      sharp(Buffer.from(defaultSvg(kind, px)))
        .png({ compressionLevel: 9 })
        .toBuffer()
    )
    .then((body): DefaultAvatar => ({ body, contentType: 'image/png' }))
  defaults.set(key, rendered)
  // A failed render must not stick: the next request tries again.
  rendered.catch(() => defaults.delete(key))
  return rendered
}

function defaultPixels(size: string): number {
  switch (size) {
    case 'md':
      return 300
    case 'lg':
      return 600
    default:
      return 150
  }
}

const BACKGROUND = '#e5e7eb'
const FIGURE = '#9ca3af'
const FIGURE_BEHIND = '#c4c9d1'

// Drawn on a 100×100 canvas with shapes only: text would depend on fonts the host may not have.
const DRAWINGS: Record<DefaultAvatarKind, string> = {
  user:
    `<circle cx="50" cy="38" r="17" fill="${FIGURE}"/>` +
    `<path d="M16 100 C16 74 32 62 50 62 C68 62 84 74 84 100 Z" fill="${FIGURE}"/>`,
  group:
    `<circle cx="36" cy="34" r="13" fill="${FIGURE_BEHIND}"/>` +
    `<path d="M10 86 C10 66 22 54 36 54 C50 54 62 66 62 86 Z" fill="${FIGURE_BEHIND}"/>` +
    `<circle cx="62" cy="44" r="15" fill="${FIGURE}"/>` +
    `<path d="M32 100 C32 76 46 65 62 65 C78 65 92 76 92 100 Z" fill="${FIGURE}"/>`,
  'not-found':
    `<path d="M36 36 C36 26 42 20 50 20 C58 20 64 26 64 34 C64 42 57 45 53 49 C51 51 50 54 50 60"` +
    ` fill="none" stroke="${FIGURE}" stroke-width="9" stroke-linecap="round"/>` +
    `<circle cx="50" cy="77" r="6" fill="${FIGURE}"/>`,
}

function defaultSvg(kind: DefaultAvatarKind, px: number): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${px}" height="${px}" viewBox="0 0 100 100">` +
    `<rect width="100" height="100" fill="${BACKGROUND}"/>${DRAWINGS[kind]}</svg>`
  )
}
