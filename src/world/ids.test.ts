// Tests for the id makers: ordered UUIDs, invite codes, room ids and pins, upload file names.
import { describe, expect, it } from 'vitest'
import {
  MAX_ID_TIME_MS,
  inviteCode,
  orderedUuid,
  orderedUuidTime,
  roomId,
  roomPin,
  roomSecret,
  seededRandomInt,
  stableUuid,
  uniqidFileName,
} from './ids.ts'

const UUID_V4_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const AT = Date.parse('2020-12-08T06:10:54.068Z')

describe('orderedUuid', () => {
  it('is a lowercase version-4, variant-10 UUID', () => {
    for (let i = 0; i < 200; i++) {
      expect(orderedUuid(AT + i * 7)).toMatch(UUID_V4_SHAPE)
    }
  })

  it('encodes the time the way Str::orderedUuid does', () => {
    // A documented call id made at 2020-12-08T06:10:54.
    expect(orderedUuidTime('9231616a-43ad-4232-ba58-0d79f0b89871')).toBe(AT)
    // Same millisecond; the backend's last two decimal digits were the sub-millisecond time.
    expect(orderedUuid(AT).slice(0, 11)).toBe('9231616a-43')
    expect(orderedUuidTime(orderedUuid(AT))).toBe(AT)
  })

  it('sorts by time, whatever order the ids were made in', () => {
    const times = [AT + 5_000, AT, AT + 60_000, AT + 1, AT + 86_400_000, AT - 1]
    const ids = times.map((ms) => ({ ms, id: orderedUuid(ms) }))
    const byId = [...ids].sort((a, b) => (a.id < b.id ? -1 : 1)).map((x) => x.ms)
    expect(byId).toEqual([...times].sort((a, b) => a - b))
  })

  it('makes distinct, increasing ids within one millisecond', () => {
    const ids = Array.from({ length: 2000 }, () => orderedUuid(AT))
    expect(new Set(ids).size).toBe(ids.length)
    expect([...ids].sort()).toEqual(ids)
  })

  it('keeps order within a millisecond even when another time is used in between', () => {
    const first = orderedUuid(AT)
    orderedUuid(AT + 1_000_000)
    const second = orderedUuid(AT)
    expect(first < second).toBe(true)
  })

  it('refuses times its 48 bits cannot hold', () => {
    expect(() => orderedUuid(-1)).toThrow(RangeError)
    expect(() => orderedUuid(MAX_ID_TIME_MS + 1)).toThrow(RangeError)
    expect(orderedUuid(MAX_ID_TIME_MS)).toMatch(UUID_V4_SHAPE)
  })
})

describe('stableUuid', () => {
  it('gives the same id for the same inputs and a different one otherwise', () => {
    expect(stableUuid(AT, 'a')).toBe(stableUuid(AT, 'a'))
    expect(stableUuid(AT, 'a')).not.toBe(stableUuid(AT, 'b'))
    expect(stableUuid(AT, 'a')).toMatch(UUID_V4_SHAPE)
    expect(orderedUuidTime(stableUuid(AT, 'a'))).toBe(AT)
  })
})

describe('random identifiers', () => {
  it('makes 8-character invite codes of uppercase letters and digits', () => {
    const codes = Array.from({ length: 500 }, () => inviteCode())
    for (const code of codes) {
      expect(code).toMatch(/^[A-Z0-9]{8}$/)
    }
    expect(new Set(codes).size).toBe(codes.length)
  })

  it('makes 6-character room pins and 12-character room secrets', () => {
    for (let i = 0; i < 200; i++) {
      expect(roomPin()).toMatch(/^[A-Za-z0-9]{6}$/)
      expect(roomSecret()).toMatch(/^[A-Za-z0-9]{12}$/)
    }
  })

  it('makes 16-digit room ids that are safe integers', () => {
    for (let i = 0; i < 500; i++) {
      const id = roomId()
      expect(Number.isSafeInteger(id)).toBe(true)
      expect(String(id)).toMatch(/^[1-9]\d{15}$/)
    }
  })

  it('makes upload names in the shape of uniqid("img_", true)', () => {
    const ms = Date.parse('2020-12-08T02:41:05.940Z')
    const name = uniqidFileName('jpg', ms)
    expect(name).toMatch(/^img_[0-9a-f]{13}\d\.\d{8}\.jpg$/)
    // The documented avatar img_5fcee7c1e64404.55920965.jpg was stored at that second.
    expect(name.slice(0, 12)).toBe('img_5fcee7c1')
    expect(uniqidFileName('png')).not.toBe(uniqidFileName('png'))
    expect(() => uniqidFileName('../x')).toThrow(TypeError)
  })

  it('draws the same values from the same seed', () => {
    const a = seededRandomInt('seed')
    const b = seededRandomInt('seed')
    const drawsA = Array.from({ length: 50 }, () => a(1000))
    expect(Array.from({ length: 50 }, () => b(1000))).toEqual(drawsA)
    expect(roomId(seededRandomInt('room'))).toBe(roomId(seededRandomInt('room')))
    expect(drawsA.every((n) => Number.isInteger(n) && n >= 0 && n < 1000)).toBe(true)
  })
})
