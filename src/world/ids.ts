// Makes the identifiers the backend made: ordered UUIDs, invite codes, call rooms, upload names.
import { createHash, randomBytes, randomInt } from 'node:crypto'

/** A uniform integer in [0, max), for max ≤ 2^48. */
export type RandomInt = (max: number) => number

const cryptoRandomInt: RandomInt = (max) => randomInt(max)

/**
 * Str::orderedUuid() counts time in 10 µs steps in the first 48 bits, so a documented id such as
 * 9231616a-43ad-… decodes to 2020-12-08T06:10:54.068Z. The same encoding is used here.
 */
const UNITS_PER_MS = 100

/** The last millisecond (in 2059) whose time still fits the 48 time bits of an ordered UUID. */
export const MAX_ID_TIME_MS = Math.floor((2 ** 48 - 1) / UNITS_PER_MS)

const LOW_40_BITS = (1n << 40n) - 1n
const LOW_22_BITS = (1n << 22n) - 1n

// Breaks ties between ids of the same millisecond. It starts from (and never falls behind) real
// microseconds, so ids made after a restart still sort after those made before it.
let sequence = 0

function nextSequence(): bigint {
  sequence = Math.max(sequence + 1, Date.now() * 1000)
  return BigInt(sequence)
}

function timeUnits(ms: number): bigint {
  if (!Number.isFinite(ms) || ms < 0 || ms > MAX_ID_TIME_MS) {
    throw new RangeError(`An ordered UUID cannot encode the time ${ms}.`)
  }
  return BigInt(Math.floor(ms)) * BigInt(UNITS_PER_MS)
}

/** Lays out 48 time bits, version 4, 12 bits, variant 0b10, 62 bits as a lowercase UUID. */
function uuidText(time: bigint, high12: bigint, low62: bigint): string {
  const value = (time << 80n) | (4n << 76n) | (high12 << 64n) | (2n << 62n) | low62
  const hex = value.toString(16).padStart(32, '0')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/**
 * An RFC 4122-shaped (version 4, variant 10xx) lowercase UUID whose leading hex is `nowMs`, like
 * Laravel's Str::orderedUuid(): ids made later sort after earlier ones, as text. Ids of the same
 * millisecond are distinct and increase in the order they are made (a per-process sequence
 * follows the time, then 22 random bits).
 */
export function orderedUuid(nowMs: number): string {
  const time = timeUnits(nowMs)
  const seq = nextSequence()
  const random = BigInt(randomBytes(3).readUIntBE(0, 3)) & LOW_22_BITS
  return uuidText(time, (seq >> 40n) & 0xfffn, ((seq & LOW_40_BITS) << 22n) | random)
}

/**
 * A UUID shaped like orderedUuid(ms) whose other bits come from a hash of `seed`: the same inputs
 * give the same id. For rows a world document leaves without an id.
 */
export function stableUuid(ms: number, seed: string): string {
  const digest = createHash('sha256').update(seed).digest()
  const bits = BigInt(`0x${digest.subarray(0, 10).toString('hex')}`)
  return uuidText(timeUnits(ms), bits >> 68n, bits & ((1n << 62n) - 1n))
}

/** The time encoded in an ordered UUID, in epoch milliseconds. */
export function orderedUuidTime(id: string): number {
  const units = Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16)
  return Math.floor(units / UNITS_PER_MS)
}

/**
 * A deterministic RandomInt fed by SHA-256 of `seed` and a counter: for values a world document
 * leaves out but that must not change between loads of the same document.
 */
export function seededRandomInt(seed: string): RandomInt {
  let block = 0
  let pool: Buffer = Buffer.alloc(0)
  const next48 = (): number => {
    if (pool.length < 6) {
      pool = createHash('sha256').update(`${seed}:${block++}`).digest()
    }
    const value = pool.readUIntBE(0, 6)
    pool = pool.subarray(6)
    return value
  }
  return (max) => {
    if (!Number.isSafeInteger(max) || max < 1 || max > 2 ** 48) {
      throw new RangeError(`${max} is not a range of 1 to 2^48 values.`)
    }
    // Rejection sampling keeps every value equally likely.
    const limit = Math.floor(2 ** 48 / max) * max
    for (;;) {
      const value = next48()
      if (value < limit) {
        return value % max
      }
    }
  }
}

const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

function randomString(length: number, alphabet: string, random: RandomInt): string {
  let text = ''
  for (let i = 0; i < length; i++) {
    text += alphabet.charAt(random(alphabet.length))
  }
  return text
}

/** An invite code: Str::upper(Str::random(8)), i.e. 8 characters of [A-Z0-9]. */
export function inviteCode(random: RandomInt = cryptoRandomInt): string {
  return randomString(8, UPPER_DIGITS, random)
}

/** A Janus room PIN: Str::random(6), i.e. 6 characters of [A-Za-z0-9]. */
export function roomPin(random: RandomInt = cryptoRandomInt): string {
  return randomString(6, ALPHANUMERIC, random)
}

/** A Janus room secret: Str::random(12). Never shown by the API. */
export function roomSecret(random: RandomInt = cryptoRandomInt): string {
  return randomString(12, ALPHANUMERIC, random)
}

const ROOM_ID_MIN = 1_000_000_000_000_000
const ROOM_ID_SPAN = Number.MAX_SAFE_INTEGER - ROOM_ID_MIN + 1

/**
 * A Janus room id: a 16-digit integer (e.g. 4883964242392592), kept at most
 * Number.MAX_SAFE_INTEGER so JSON clients read it exactly.
 */
export function roomId(random: RandomInt = cryptoRandomInt): number {
  // The span is above randomInt's 2^48 limit: draw 8 high digits and 8 low digits, and retry
  // the few combinations past the top so every id stays equally likely.
  const highSpan = Math.floor((ROOM_ID_SPAN - 1) / 1e8) + 1
  for (;;) {
    const offset = random(highSpan) * 1e8 + random(1e8)
    if (offset < ROOM_ID_SPAN) {
      return ROOM_ID_MIN + offset
    }
  }
}

const EXTENSION = /^[a-z0-9]{1,10}$/

/**
 * An upload's stored name in the shape of PHP's uniqid('img_', true) plus the extension, e.g.
 * img_5fcee7c1e64404.55920965.jpg: 8 hex of seconds, 5 hex of microseconds, then a random
 * number of the form d.dddddddd.
 */
export function uniqidFileName(extension: string, nowMs: number = Date.now()): string {
  if (!EXTENSION.test(extension)) {
    throw new TypeError(`"${extension}" is not a file extension.`)
  }
  if (!Number.isFinite(nowMs) || nowMs < 0) {
    throw new RangeError(`${nowMs} is not a time after 1970.`)
  }
  const seconds = Math.floor(nowMs / 1000)
  const micros = (Math.floor(nowMs) % 1000) * 1000 + randomInt(1000)
  const lcg = `${randomInt(10)}.${String(randomInt(1e8)).padStart(8, '0')}`
  return `img_${seconds.toString(16).padStart(8, '0')}${micros.toString(16).padStart(5, '0')}${lcg}.${extension}`
}
