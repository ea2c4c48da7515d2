// ProviderResource: how a user appears inside every response (name, base, avatar URLs, options).
import type { components } from '../../generated/openapi.ts'
import type { WorldConfig } from '../../world/schema.ts'
import { onlineStatus } from './store.ts'
import type { UserRow } from '../../db/rows.ts'
import type { UserStore } from './store.ts'

type Schemas = components['schemas']
export type Provider = Schemas['Provider']
export type ProviderWithOptions = Schemas['ProviderWithOptions']
export type ProviderOptions = Schemas['ProviderOptions']
export type ProviderBase = Schemas['ProviderBase']

export const OWNER_TYPE = 'App\\Models\\User'
export const PROVIDER_ALIAS = 'user'
const SIZES = ['sm', 'md', 'lg'] as const

const ONLINE_VERBOSE = ['OFFLINE', 'ONLINE', 'AWAY'] as const
const FRIEND_VERBOSE = [
  'NOT_FRIEND',
  'FRIEND',
  'SENT_FRIEND_REQUEST',
  'PENDING_FRIEND_REQUEST',
] as const

export function onlineStatusVerbose(status: 0 | 1 | 2): (typeof ONLINE_VERBOSE)[number] {
  return ONLINE_VERBOSE[status]
}

/** Messageable::name(): strip_tags(ucwords($name)). */
export function displayName(name: string): string {
  let shown = shownNames.get(name)
  if (shown === undefined) {
    shown = name
      .replace(/(^|[\s])(\S)/g, (_m, gap: string, first: string) => gap + first.toUpperCase())
      .replace(/<[^>]*>/g, '')
    if (shownNames.size >= MAX_SHOWN_NAMES) {
      shownNames.clear()
    }
    shownNames.set(name, shown)
  }
  return shown
}
// Kept: every presented user, participant and owner is named, with two regular expressions.
const MAX_SHOWN_NAMES = 10_000
const shownNames = new Map<string, string>()

/** Relative avatar URLs under a prefix ("/api/messenger/images" or "/images"). */
export function avatarUrls(prefix: string, userId: string, file: string | null) {
  const name = file ?? 'default.png'
  const [sm, md, lg] = SIZES.map((size) => `${prefix}/${PROVIDER_ALIAS}/${userId}/${size}/${name}`)
  return { sm: sm ?? '', md: md ?? '', lg: lg ?? '' }
}

/** The user model as the app serialises it (hidden columns left out). */
export function providerBase(user: UserRow): ProviderBase {
  return {
    id: user.id,
    name: user.name,
    avatar: user.avatar,
    created_at: user.created_at,
    updated_at: user.updated_at,
  }
}

// A user's provider block changes only with the user's row. The read model hands out the same
// (frozen) row object until a write, so the block is built once per row object and shared, frozen.
const providers = new WeakMap<UserRow, Provider>()

export function presentProvider(user: UserRow): Provider {
  let provider = providers.get(user)
  if (provider === undefined) {
    const base = Object.freeze(providerBase(user))
    const apiAvatar = Object.freeze(avatarUrls('/api/messenger/images', user.id, user.avatar))
    const webAvatar = Object.freeze(avatarUrls('/images', user.id, user.avatar))
    provider = Object.freeze({
      name: displayName(user.name),
      route: null,
      provider_id: user.id,
      provider_alias: PROVIDER_ALIAS,
      base,
      api_avatar: apiAvatar,
      avatar: webAvatar,
    })
    providers.set(user, provider)
  }
  return provider
}

export interface ViewContext {
  viewer: UserRow
  users: UserStore
  now: string
  config: WorldConfig
}

/** The options block: `user` as seen by the current user (`viewer`). */
export function providerOptions(user: UserRow, view: ViewContext): ProviderOptions {
  const self = user.id === view.viewer.id
  const status = onlineStatus(user, view.now, view.config.online_status)
  const relation = view.users.relation(view.viewer.id, user.id)
  const options: ProviderOptions = {
    can_message_first: !self,
    friendable: !self,
    can_friend: !self,
    searchable: true,
    can_search: true,
    online_status: status,
    online_status_verbose: ONLINE_VERBOSE[status],
    friend_status: relation.status,
    friend_status_verbose: FRIEND_VERBOSE[relation.status],
    last_active: relation.status === 1 && view.config.online_status ? user.updated_at : null,
  }
  if (relation.status === 1) {
    options.friend_id = relation.friend_id
  } else if (relation.status === 2) {
    options.sent_friend_id = relation.sent_friend_id
  } else if (relation.status === 3) {
    options.pending_friend_id = relation.pending_friend_id
  }
  return options
}

export function presentProviderWithOptions(user: UserRow, view: ViewContext): ProviderWithOptions {
  const provider = presentProvider(user)
  return {
    name: provider.name,
    route: provider.route,
    provider_id: provider.provider_id,
    provider_alias: provider.provider_alias,
    base: provider.base,
    options: providerOptions(user, view),
    api_avatar: provider.api_avatar,
    avatar: provider.avatar,
  }
}
