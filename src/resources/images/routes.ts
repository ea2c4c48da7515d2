// The images avatar URLs point at: user avatars (API route with login, public route without) and
// group thread pictures. They always answer 200 with an image, never a 404 for the image itself.
import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { idKey, viewerOf } from '../../http/binding.ts'
import type { AppEnv } from '../../http/env.ts'
import { forbidden, modelNotFound } from '../../http/errors.ts'
import { createRouter, pathId, pathText, statuses } from '../../http/routing.ts'
import { defaultAvatar, renderImage } from '../../images/render.ts'
import type { RenderedImage } from '../../images/render.ts'
import type { WorldHandle } from '../../world/worlds.ts'
import { PROVIDER_ALIAS } from '../users/present.ts'
import type { AvatarInfo } from './store.ts'
import { createVariantCache } from './variants.ts'
import type { VariantCache } from './variants.ts'

/** What the backend's `cache.headers` middleware put on the public avatar route. */
const PUBLIC_CACHE = 'public, max-age=86400'

const size = pathText('size', '`sm` (shorter side 150 px), `md` (300 px) or `lg` (as uploaded).', {
  enum: ['sm', 'md', 'lg'],
})
const image = pathText('image', 'The file name from the avatar URL (`default.png` when unset).')

const providerParams = z.object({
  alias: pathText('alias', 'The provider alias (`user`); any other gets the "not found" picture.'),
  id: pathText('id', "The provider's id."),
  size,
  image,
})

const groupParams = z.object({
  thread: pathId('thread', "The thread's id. An unknown, deleted or malformed id is a 404."),
  size,
  image,
})

const IMAGE_STATUSES = [200, 401, 405] as const

/** An SVG opened on its own may not run scripts or load anything (uploads are untrusted). */
const SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"

function send(c: Context<AppEnv>, picture: RenderedImage): Response {
  // Browsers must take the declared type, never guess one from the bytes.
  c.header('X-Content-Type-Options', 'nosniff')
  if (picture.contentType === 'image/svg+xml') {
    c.header('Content-Security-Policy', SVG_POLICY)
  }
  // A copy: the cached and shared default pictures must never reach a writer.
  return c.body(new Uint8Array(picture.body), 200, { 'Content-Type': picture.contentType })
}

function variantKey(world: WorldHandle, avatar: AvatarInfo, size: string): string {
  // Size and upload time tell a re-uploaded or reloaded file of the same name apart.
  return [world.name, avatar.user_id, avatar.file, avatar.size, avatar.created_at, size].join('\0')
}

/**
 * The picture of a stored avatar at `size`, from the cache when it was rendered before; the
 * "not found" picture when the bytes cannot be decoded.
 */
async function storedAvatar(
  world: WorldHandle,
  variants: VariantCache,
  avatar: AvatarInfo,
  size: string
): Promise<RenderedImage> {
  const cacheKey = variantKey(world, avatar, size)
  const hit = variants.get(cacheKey)
  if (hit !== undefined) {
    return hit
  }
  const data = world.stores.avatars.data(avatar.user_id, avatar.file)
  if (data === undefined) {
    // Removed or replaced since `avatar` was read.
    return defaultAvatar('user', size)
  }
  let picture: RenderedImage
  try {
    picture = await renderImage(data, avatar.content_type, size)
  } catch {
    return defaultAvatar('not-found', size)
  }
  // The original bytes (lg, GIF, BMP) are read from the world each time; only renders are kept.
  if (picture.body !== data) {
    variants.set(cacheKey, picture)
  }
  return picture
}

/** RenderProviderAvatar: the stored avatar when {image} names it, else a default picture. */
async function providerAvatar(
  world: WorldHandle,
  variants: VariantCache,
  params: z.infer<typeof providerParams>
): Promise<RenderedImage> {
  if (params.alias !== PROVIDER_ALIAS) {
    return defaultAvatar('not-found', params.size)
  }
  const avatar = world.stores.avatars.info(idKey(params.id))
  if (avatar?.file !== params.image) {
    return defaultAvatar('user', params.size)
  }
  return storedAvatar(world, variants, avatar, params.size)
}

/**
 * RenderGroupAvatar: a group member sees the group's picture. The mock stores no uploaded group
 * pictures, so the group's current image (a bundled 1.png … 5.png, or any other name a world
 * gives it) is the default group picture; another name is the "not found" picture.
 */
async function groupAvatar(c: Context<AppEnv>, params: z.infer<typeof groupParams>) {
  const { threads } = c.get('stores')
  const thread = threads.byId(idKey(params.thread))
  if (!thread) {
    return modelNotFound(c, 'Thread', params.thread)
  }
  if (thread.type !== 2 || !threads.member(thread.id, viewerOf(c).id)) {
    return forbidden(c, 'Not authorized to view that thread.')
  }
  const kind = params.image === thread.image ? 'group' : 'not-found'
  return send(c, await defaultAvatar(kind, params.size))
}

/** A group picture's route: the same below the API prefix (`/api/messenger`) and the web one. */
const groupRoute = (prefix: '/api/messenger' | '/messenger', operationId: string) =>
  createRoute({
    method: 'get',
    path: `${prefix}/threads/{thread}/avatar/{size}/{image}`,
    operationId,
    request: { params: groupParams },
    responses: statuses(200, 401, 403, 404, 405),
  })

export function imageRoutes() {
  const variants = createVariantCache()
  return createRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/messenger/images/{alias}/{id}/{size}/{image}',
        operationId: 'renderProviderAvatarApi',
        request: { params: providerParams },
        responses: statuses(...IMAGE_STATUSES),
      }),
      async (c) => send(c, await providerAvatar(c.get('world'), variants, c.req.valid('param')))
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/images/{alias}/{id}/{size}/{image}',
        operationId: 'renderProviderAvatar',
        security: [],
        request: { params: providerParams },
        responses: statuses(200, 405),
      }),
      async (c) => {
        const picture = await providerAvatar(c.get('world'), variants, c.req.valid('param'))
        c.header('Cache-Control', PUBLIC_CACHE)
        return send(c, picture)
      }
    )
    .openapi(groupRoute('/api/messenger', 'renderGroupAvatarApi'), async (c) =>
      groupAvatar(c, c.req.valid('param'))
    )
    .openapi(groupRoute('/messenger', 'renderGroupAvatar'), async (c) =>
      groupAvatar(c, c.req.valid('param'))
    )
}
