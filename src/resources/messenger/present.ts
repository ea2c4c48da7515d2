// Response shapes of the account endpoints: MessengerResource (settings) and
// ProviderStatusResource (heartbeat), keys in the documented order.
import type { components } from '../../generated/openapi.ts'
import { OWNER_TYPE, avatarUrls, onlineStatusVerbose, presentProvider } from '../users/present.ts'
import type { MessengerRow, UserRow } from '../../db/rows.ts'

type Schemas = components['schemas']
export type MessengerSettings = Schemas['MessengerSettings']
export type SettingsFields = Schemas['SettingsRow']
export type ProviderStatus = Schemas['ProviderStatus']
export type OnlineStatus = Schemas['OnlineStatus']

export function asOnlineStatus(value: number): OnlineStatus {
  return value === 1 || value === 2 ? value : 0
}

/** The messengers row as the API shows it (booleans cast, ip and timezone hidden). */
export function presentSettingsRow(row: MessengerRow): SettingsFields {
  return {
    owner_type: OWNER_TYPE,
    owner_id: row.owner_id,
    message_popups: row.message_popups === 1,
    message_sound: row.message_sound === 1,
    call_ringtone_sound: row.call_ringtone_sound === 1,
    notify_sound: row.notify_sound === 1,
    dark_mode: row.dark_mode === 1,
    online_status: asOnlineStatus(row.online_status),
    created_at: row.created_at,
    updated_at: row.updated_at,
  }
}

export function presentSettings(user: UserRow, row: MessengerRow): MessengerSettings {
  return { owner: presentProvider(user), ...presentSettingsRow(row) }
}

export interface StatusCounts {
  active_calls_count: number
  online_status: OnlineStatus
  unread_threads_count: number
  pending_friends_count: number
}

/**
 * The heartbeat's answer. Its provider `base` is the only one that shows the email columns (the
 * backend un-hid them there), in the documented column order.
 */
export function presentStatus(
  user: UserRow,
  settings: MessengerRow,
  counts: StatusCounts
): ProviderStatus {
  const provider = presentProvider(user)
  return {
    provider: {
      name: provider.name,
      route: provider.route,
      provider_id: provider.provider_id,
      provider_alias: provider.provider_alias,
      base: {
        id: user.id,
        name: user.name,
        email: user.email,
        avatar: user.avatar,
        email_verified_at: user.email_verified_at,
        created_at: user.created_at,
        updated_at: user.updated_at,
      },
      api_avatar: avatarUrls('/api/messenger/images', user.id, user.avatar),
      avatar: avatarUrls('/images', user.id, user.avatar),
    },
    active_calls_count: counts.active_calls_count,
    online_status: counts.online_status,
    online_status_verbose: onlineStatusVerbose(counts.online_status),
    unread_threads_count: counts.unread_threads_count,
    pending_friends_count: counts.pending_friends_count,
    settings: presentSettingsRow(settings),
  }
}
