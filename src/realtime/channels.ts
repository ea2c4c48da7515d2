// Who is subscribed to which channel, per world, and the presence members of presence channels.
// Knows nothing of sockets: a subscriber is anything that can take a Pusher frame.
import { presenceFrame, eventFrame } from './protocol.ts'

export interface Subscriber {
  readonly socketId: string
  send(frame: string): void
}

/** A presence member as `channel_data` names it. */
export interface Member {
  readonly user_id: string
  readonly user_info: unknown
}

interface Channel {
  /** Each subscriber, with the member it joined as (presence channels). */
  readonly subscribers: Map<Subscriber, Member | undefined>
  /** Presence: each user's info and how many of their sockets are subscribed. */
  readonly members: Map<string, { info: unknown; sockets: number }>
}

export interface PresenceData {
  presence: { ids: string[]; hash: Record<string, unknown>; count: number }
}

/** Pusher's limit of members in one presence channel. */
export const MAX_PRESENCE_MEMBERS = 100

export type Subscribed =
  { ok: true; data: PresenceData | Record<string, never> } | { ok: false; message: string }

export function createChannels() {
  const worlds = new Map<string, Map<string, Channel>>()

  const channelOf = (world: string, name: string, create: boolean): Channel | undefined => {
    let channels = worlds.get(world)
    if (!channels) {
      if (!create) {
        return undefined
      }
      channels = new Map()
      worlds.set(world, channels)
    }
    let channel = channels.get(name)
    if (!channel && create) {
      channel = { subscribers: new Map(), members: new Map() }
      channels.set(name, channel)
    }
    return channel
  }

  const drop = (world: string, name: string, channel: Channel) => {
    if (channel.subscribers.size > 0) {
      return
    }
    const channels = worlds.get(world)
    channels?.delete(name)
    if (channels?.size === 0) {
      worlds.delete(world)
    }
  }

  /** Sends to every subscriber of the channel except `except`. */
  const fanOut = (channel: Channel, frame: string, except?: Subscriber) => {
    let sent = 0
    for (const subscriber of channel.subscribers.keys()) {
      if (subscriber !== except) {
        subscriber.send(frame)
        sent++
      }
    }
    return sent
  }

  const presenceData = (channel: Channel): PresenceData => {
    const hash: Record<string, unknown> = {}
    for (const [id, member] of channel.members) {
      hash[id] = member.info
    }
    return { presence: { ids: Object.keys(hash), hash, count: channel.members.size } }
  }

  return {
    subscribe(world: string, name: string, subscriber: Subscriber, member?: Member): Subscribed {
      const channel = channelOf(world, name, true)
      if (!channel) {
        throw new Error('unreachable: channelOf(create) always returns a channel')
      }
      if (channel.subscribers.has(subscriber)) {
        return { ok: true, data: member ? presenceData(channel) : {} }
      }
      if (!member) {
        channel.subscribers.set(subscriber, undefined)
        return { ok: true, data: {} }
      }
      const known = channel.members.get(member.user_id)
      if (!known && channel.members.size >= MAX_PRESENCE_MEMBERS) {
        drop(world, name, channel)
        return {
          ok: false,
          message: `Cannot subscribe to ${name}: a presence channel holds at most ${MAX_PRESENCE_MEMBERS} members.`,
        }
      }
      channel.subscribers.set(subscriber, member)
      if (known) {
        known.sockets++
        known.info = member.user_info
      } else {
        channel.members.set(member.user_id, { info: member.user_info, sockets: 1 })
        // Everyone already there learns of the new member; the newcomer gets the list instead.
        fanOut(channel, presenceFrame('pusher_internal:member_added', name, member), subscriber)
      }
      return { ok: true, data: presenceData(channel) }
    },

    unsubscribe(world: string, name: string, subscriber: Subscriber): void {
      const channel = channelOf(world, name, false)
      if (!channel?.subscribers.has(subscriber)) {
        return
      }
      const member = channel.subscribers.get(subscriber)
      channel.subscribers.delete(subscriber)
      if (member) {
        const known = channel.members.get(member.user_id)
        if (known && --known.sockets === 0) {
          channel.members.delete(member.user_id)
          fanOut(
            channel,
            presenceFrame('pusher_internal:member_removed', name, { user_id: member.user_id })
          )
        }
      }
      drop(world, name, channel)
    },

    isSubscribed(world: string, name: string, subscriber: Subscriber): boolean {
      return channelOf(world, name, false)?.subscribers.has(subscriber) ?? false
    },

    /** The member a subscriber joined a presence channel as. */
    memberOf(world: string, name: string, subscriber: Subscriber): Member | undefined {
      return channelOf(world, name, false)?.subscribers.get(subscriber)
    },

    /** Sends one event to the subscribers of each channel; returns how many frames went out. */
    publish(world: string, event: string, channels: readonly string[], data: string): number {
      let sent = 0
      for (const name of channels) {
        const channel = channelOf(world, name, false)
        if (channel) {
          sent += fanOut(channel, eventFrame(event, name, data))
        }
      }
      return sent
    },

    /** A client event: to the channel's other subscribers (with the sender's id on presence). */
    relay(world: string, name: string, from: Subscriber, event: string, data: unknown): void {
      const channel = channelOf(world, name, false)
      if (!channel) {
        return
      }
      const member = channel.subscribers.get(from)
      fanOut(channel, eventFrame(event, name, JSON.stringify(data), member?.user_id), from)
    },

    /** How many sockets are subscribed to the channel (for tests and the bench). */
    count(world: string, name: string): number {
      return channelOf(world, name, false)?.subscribers.size ?? 0
    },
  }
}

export type Channels = ReturnType<typeof createChannels>
