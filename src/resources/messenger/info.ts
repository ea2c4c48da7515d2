// GET /api/messenger (getMessengerInfo): the configuration payload, from the world's switches.
import { createRoute } from '@hono/zod-openapi'
import type { components } from '../../generated/openapi.ts'
import { createRouter, statuses } from '../../http/routing.ts'
import type { WorldConfig } from '../../world/schema.ts'

type MessengerInfo = components['schemas']['MessengerInfo']

export function presentInfo(config: WorldConfig): MessengerInfo {
  return {
    siteName: config.site_name,
    isProvidersCached: false,
    apiEndpoint: '/api/messenger',
    webEndpoint: '/messenger',
    socketEndpoint: config.socket_endpoint,
    broadcastDriver: config.broadcast_driver,
    pushNotificationDriver: config.push_notification_driver,
    videoDriver: config.video_driver,
    knockKnock: config.knock_knock,
    knockTimeout: config.knock_timeout,
    onlineStatus: config.online_status,
    onlineCacheLifetime: config.online_cache_lifetime,
    calling: config.calling,
    threadInvites: config.thread_invites,
    threadInvitesMax: config.thread_invites_max,
    providerAvatarUpload: config.provider_avatar_upload,
    providerAvatarRemoval: config.provider_avatar_removal,
    messageDocumentUpload: config.message_document_upload,
    messageDocumentDownload: config.message_document_download,
    messageImageUpload: config.message_image_upload,
    threadAvatarUpload: config.thread_avatar_upload,
    searchPageCount: config.search_page_count,
    threadsIndexCount: config.threads_index_count,
    threadsPageCount: config.threads_page_count,
    participantsIndexCount: config.participants_index_count,
    participantsPageCount: config.participants_page_count,
    messagesIndexCount: config.messages_index_count,
    messagesPageCount: config.messages_page_count,
    callsIndexCount: config.calls_index_count,
    callsPageCount: config.calls_page_count,
    providers: {
      user: {
        default_avatar: 'users.png',
        searchable: true,
        friendable: true,
        mobile_devices: false,
        provider_interactions: {
          can_message: ['user'],
          can_search: ['user'],
          can_friend: ['user'],
        },
      },
    },
  }
}

export function infoRoutes() {
  return createRouter().openapi(
    createRoute({
      method: 'get',
      path: '/api/messenger',
      operationId: 'getMessengerInfo',
      responses: statuses(200, 401, 405),
    }),
    (c) => c.json(presentInfo(c.get('config')), 200)
  )
}
