// InviteResource in its three shapes (listed, freshly created, seen by code) and the participant
// a join creates, with the documented key orders.
import type { components } from '../../generated/openapi.ts'
import type { ParticipantRow } from '../../db/rows.ts'
import { OWNER_TYPE, presentProvider, providerBase } from '../users/present.ts'
import type { UserRow } from '../../db/rows.ts'
import type { InviteRow } from '../../db/rows.ts'

type Schemas = components['schemas']
export type Invite = Schemas['Invite']
export type InviteJoinView = Schemas['InviteJoinView']
export type InviteJoinOptions = InviteJoinView['options']
export type JoinedParticipant = Schemas['JoinedParticipant']

/** route('messenger.invites.join', code): the web page's absolute URL. */
export function inviteRoute(base: string, code: string): string {
  return `${base.replace(/\/+$/, '')}/messenger/join/${code}`
}

/** A fetched invite's attributes, in the row's own column order (as Laravel serialised them). */
function storedAttributes(invite: InviteRow) {
  return {
    id: invite.id,
    thread_id: invite.thread_id,
    owner_type: OWNER_TYPE,
    owner_id: invite.owner_id,
    code: invite.code,
    max_use: invite.max_use,
    uses: invite.uses,
    expires_at: invite.expires_at,
    created_at: invite.created_at,
    updated_at: invite.updated_at,
    deleted_at: null,
  }
}

/** A fetched invite with its owner: the row's own attribute order. */
export function presentInvite(invite: InviteRow, owner: UserRow, route: string): Invite {
  return {
    owner: presentProvider(owner),
    route,
    ...storedAttributes(invite),
  }
}

/** A just-created invite: the order in which Eloquent set the attributes, and no deleted_at. */
export function presentCreatedInvite(invite: InviteRow, owner: UserRow, route: string): Invite {
  return {
    owner: presentProvider(owner),
    route,
    owner_id: invite.owner_id,
    owner_type: OWNER_TYPE,
    code: invite.code,
    max_use: invite.max_use,
    uses: invite.uses,
    expires_at: invite.expires_at,
    thread_id: invite.thread_id,
    id: invite.id,
    updated_at: invite.updated_at,
    created_at: invite.created_at,
  }
}

/** The invite as the join page sees it: options instead of the owner. */
export function presentJoinView(
  invite: InviteRow,
  options: InviteJoinOptions,
  route: string
): InviteJoinView {
  return {
    options,
    route,
    ...storedAttributes(invite),
  }
}

/** The raw participant model Laravel returned: default permissions first, then keys, then owner. */
export function presentJoinedParticipant(p: ParticipantRow, owner: UserRow): JoinedParticipant {
  return {
    add_participants: p.add_participants === 1,
    manage_invites: p.manage_invites === 1,
    admin: p.admin === 1,
    deleted_at: null,
    pending: p.pending === 1,
    start_calls: p.start_calls === 1,
    send_knocks: p.send_knocks === 1,
    send_messages: p.send_messages === 1,
    owner_id: p.owner_id,
    owner_type: OWNER_TYPE,
    thread_id: p.thread_id,
    id: p.id,
    updated_at: p.updated_at,
    created_at: p.created_at,
    owner: providerBase(owner),
  }
}
