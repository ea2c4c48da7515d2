// The world slices, one line each, in dependency order: a slice's references point only at
// slices above it. World documents are checked, written and exported in this order; every table
// the migrations create belongs to one slice (world-slices.test.ts) or to the world itself (its
// clock and config, see world/load.ts).
import { avatarsSlice } from './images/world-slice.ts'
import { callParticipantsSlice, callsSlice } from './calls/world-slice.ts'
import { invitesSlice } from './invites/world-slice.ts'
import { participantsSlice, threadsSlice } from './threads/world-slice.ts'
import { friendRequestsSlice, friendsSlice, usersSlice } from './users/world-slice.ts'

export const WORLD_SLICES = [
  usersSlice,
  threadsSlice,
  participantsSlice,
  friendsSlice,
  friendRequestsSlice,
  callsSlice,
  callParticipantsSlice,
  invitesSlice,
  avatarsSlice,
] as const
