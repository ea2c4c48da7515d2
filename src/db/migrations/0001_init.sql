-- First schema of a world database: the Messenger tables the mocked endpoints read and write.
-- Conventions: STRICT tables; booleans are INTEGER 0/1; every timestamp is TEXT in the API's own
-- format YYYY-MM-DDTHH:MM:SS.000000Z (UTC), so comparing and sorting the text compares the times.

CREATE TABLE users (
  id TEXT PRIMARY KEY NOT NULL,
  name TEXT NOT NULL,
  -- MySQL compared e-mails case-insensitively, for the unique key and for search's exact match.
  email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  email_verified_at TEXT CHECK (email_verified_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].000000Z'),
  avatar TEXT,
  token TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].000000Z'),
  updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].000000Z'),
  -- The online-status cache entry: 'online' / 'away' until online_until (exclusive), else offline.
  online_kind TEXT CHECK (online_kind IN ('online', 'away')),
  online_until TEXT CHECK (online_until GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].000000Z'),
  CHECK ((online_kind IS NULL) = (online_until IS NULL))
) STRICT;

-- Per-user messenger settings; no row until the user first opens the messenger.
CREATE TABLE messengers (
  owner_id TEXT PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  message_popups INTEGER NOT NULL DEFAULT 1 CHECK (message_popups IN (0, 1)),
  message_sound INTEGER NOT NULL DEFAULT 1 CHECK (message_sound IN (0, 1)),
  call_ringtone_sound INTEGER NOT NULL DEFAULT 1 CHECK (call_ringtone_sound IN (0, 1)),
  notify_sound INTEGER NOT NULL DEFAULT 1 CHECK (notify_sound IN (0, 1)),
  dark_mode INTEGER NOT NULL DEFAULT 1 CHECK (dark_mode IN (0, 1)),
  online_status INTEGER NOT NULL DEFAULT 1 CHECK (online_status IN (0, 1, 2)),
  created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].000000Z'),
  updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].000000Z')
) STRICT;

-- One row per direction, as Laravel stores a friendship: (owner, party) and (party, owner).
CREATE TABLE friends (
  id TEXT PRIMARY KEY NOT NULL,
  owner_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  party_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].000000Z'),
  updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].000000Z'),
  CHECK (owner_id <> party_id)
) STRICT;
CREATE UNIQUE INDEX friends_owner_party ON friends (owner_id, party_id);
CREATE INDEX friends_party ON friends (party_id);

CREATE TABLE friend_requests (
  id TEXT PRIMARY KEY NOT NULL,
  sender_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  recipient_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].000000Z'),
  updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].000000Z'),
  CHECK (sender_id <> recipient_id)
) STRICT;
CREATE UNIQUE INDEX friend_requests_sender_recipient ON friend_requests (sender_id, recipient_id);
-- pending_friends_count counts the requests a user has received.
CREATE INDEX friend_requests_recipient ON friend_requests (recipient_id);

CREATE TABLE threads (
  id TEXT PRIMARY KEY NOT NULL,
  type INTEGER NOT NULL CHECK (type IN (1, 2)),
  subject TEXT,
  image TEXT,
  add_participants INTEGER NOT NULL DEFAULT 0 CHECK (add_participants IN (0, 1)),
  invitations INTEGER NOT NULL DEFAULT 0 CHECK (invitations IN (0, 1)),
  calling INTEGER NOT NULL DEFAULT 1 CHECK (calling IN (0, 1)),
  messaging INTEGER NOT NULL DEFAULT 1 CHECK (messaging IN (0, 1)),
  knocks INTEGER NOT NULL DEFAULT 1 CHECK (knocks IN (0, 1)),
  lockout INTEGER NOT NULL DEFAULT 0 CHECK (lockout IN (0, 1)),
  -- The 10-second "call awaiting creation" cache entry set by starting a call (exclusive end).
  call_lockout_until TEXT CHECK (call_lockout_until GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].000000Z'),
  created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].000000Z'),
  updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].000000Z'),
  deleted_at TEXT CHECK (deleted_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].000000Z')
) STRICT;

CREATE TABLE participants (
  id TEXT PRIMARY KEY NOT NULL,
  thread_id TEXT NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
  owner_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  admin INTEGER NOT NULL DEFAULT 0 CHECK (admin IN (0, 1)),
  pending INTEGER NOT NULL DEFAULT 0 CHECK (pending IN (0, 1)),
  start_calls INTEGER NOT NULL DEFAULT 0 CHECK (start_calls IN (0, 1)),
  send_knocks INTEGER NOT NULL DEFAULT 0 CHECK (send_knocks IN (0, 1)),
  send_messages INTEGER NOT NULL DEFAULT 1 CHECK (send_messages IN (0, 1)),
  add_participants INTEGER NOT NULL DEFAULT 0 CHECK (add_participants IN (0, 1)),
  manage_invites INTEGER NOT NULL DEFAULT 0 CHECK (manage_invites IN (0, 1)),
  muted INTEGER NOT NULL DEFAULT 0 CHECK (muted IN (0, 1)),
  last_read TEXT CHECK (last_read GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].000000Z'),
  created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].000000Z'),
  updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].000000Z'),
  deleted_at TEXT CHECK (deleted_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].000000Z')
) STRICT;
-- A user is at most once a current member of a thread; membership checks use this index
-- (queries must say `deleted_at IS NULL` for the planner to pick it).
CREATE UNIQUE INDEX participants_member ON participants (thread_id, owner_id) WHERE deleted_at IS NULL;
CREATE INDEX participants_thread ON participants (thread_id);
-- A user's threads: unread count, active calls, heartbeat counts.
CREATE INDEX participants_owner ON participants (owner_id, thread_id);

CREATE TABLE calls (
  id TEXT PRIMARY KEY NOT NULL,
  thread_id TEXT NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
  owner_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  type INTEGER NOT NULL DEFAULT 1 CHECK (type = 1),
  setup_complete INTEGER NOT NULL DEFAULT 0 CHECK (setup_complete IN (0, 1)),
  room_id INTEGER,
  room_pin TEXT,
  room_secret TEXT,
  payload TEXT,
  -- NULL while the call is active.
  call_ended TEXT CHECK (call_ended GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].000000Z'),
  created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].000000Z'),
  updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].000000Z')
) STRICT;
-- calls index / page: newest created_at first within a thread.
CREATE INDEX calls_thread_created ON calls (thread_id, created_at, id);
-- At most one active call per thread; also finds a thread's active call.
CREATE UNIQUE INDEX calls_active ON calls (thread_id) WHERE call_ended IS NULL;
CREATE INDEX calls_owner ON calls (owner_id);

CREATE TABLE call_participants (
  id TEXT PRIMARY KEY NOT NULL,
  call_id TEXT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
  owner_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kicked INTEGER NOT NULL DEFAULT 0 CHECK (kicked IN (0, 1)),
  left_call TEXT CHECK (left_call GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].000000Z'),
  -- Time of the last call heartbeat (the 60-second activity cache); not part of the world document.
  last_seen TEXT CHECK (last_seen GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].000000Z'),
  created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].000000Z'),
  updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].000000Z')
) STRICT;
-- Joining again reuses the user's row, so there is one row per user and call.
CREATE UNIQUE INDEX call_participants_call_owner ON call_participants (call_id, owner_id);
CREATE INDEX call_participants_owner ON call_participants (owner_id);

CREATE TABLE invites (
  id TEXT PRIMARY KEY NOT NULL,
  thread_id TEXT NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
  owner_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  -- Unique across deleted invites too, as the Laravel column was.
  code TEXT NOT NULL UNIQUE CHECK (code GLOB '[A-Z0-9][A-Z0-9][A-Z0-9][A-Z0-9][A-Z0-9][A-Z0-9][A-Z0-9][A-Z0-9]'),
  max_use INTEGER NOT NULL DEFAULT 0 CHECK (max_use BETWEEN 0 AND 100),
  uses INTEGER NOT NULL DEFAULT 0 CHECK (uses >= 0),
  expires_at TEXT CHECK (expires_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].000000Z'),
  created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].000000Z'),
  updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].000000Z'),
  deleted_at TEXT CHECK (deleted_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].000000Z')
) STRICT;
-- invites index: a thread's invites, newest first.
CREATE INDEX invites_thread_created ON invites (thread_id, created_at);
CREATE INDEX invites_owner ON invites (owner_id);

-- The uploaded avatar image of a user (users.avatar holds its file name).
CREATE TABLE avatars (
  user_id TEXT PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  file TEXT NOT NULL,
  content_type TEXT NOT NULL,
  data BLOB NOT NULL,
  created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].000000Z')
) STRICT;

-- The world's config switches as one JSON object (snake_case keys of the world document).
CREATE TABLE world_config (
  id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
  config TEXT NOT NULL CHECK (json_valid(config))
) STRICT;

-- The world's clock: now = frozen_at_ms when frozen, else real time + offset_ms.
CREATE TABLE world_clock (
  id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
  offset_ms INTEGER NOT NULL,
  frozen_at_ms INTEGER
) STRICT;
