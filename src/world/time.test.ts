// Tests for the API timestamp format and the ISO 8601 parser.
import { describe, expect, it } from 'vitest'
import { formatTimestamp, isTimestamp, normalizeTimestamp, parseTimestamp } from './time.ts'

const DOCUMENTED = '2020-12-08T06:10:54.000000Z'
const DOCUMENTED_MS = Date.UTC(2020, 11, 8, 6, 10, 54)

describe('formatTimestamp', () => {
  it('writes the API format with whole seconds and a literal .000000', () => {
    expect(formatTimestamp(DOCUMENTED_MS)).toBe(DOCUMENTED)
    expect(formatTimestamp(DOCUMENTED_MS + 999)).toBe(DOCUMENTED)
    expect(formatTimestamp(0)).toBe('1970-01-01T00:00:00.000000Z')
  })

  it('gives text that sorts like the times', () => {
    const times = [DOCUMENTED_MS + 86_400_000, 1_000, DOCUMENTED_MS, DOCUMENTED_MS + 1_000]
    const texts = times.map(formatTimestamp)
    expect([...texts].sort()).toEqual([...times].sort((a, b) => a - b).map(formatTimestamp))
  })

  it('refuses times the format cannot hold', () => {
    expect(() => formatTimestamp(Number.NaN)).toThrow(RangeError)
    expect(() => formatTimestamp(Date.UTC(10000, 0, 1))).toThrow(RangeError)
  })
})

describe('parseTimestamp', () => {
  it('reads the API format', () => {
    expect(parseTimestamp(DOCUMENTED)).toBe(DOCUMENTED_MS)
  })

  it.each([
    ['2020-12-08T06:10:54Z', DOCUMENTED_MS],
    ['2020-12-08T06:10:54.5Z', DOCUMENTED_MS + 500],
    ['2020-12-08T06:10:54,123456789Z', DOCUMENTED_MS + 123],
    ['2020-12-08T01:10:54-05:00', DOCUMENTED_MS],
    ['2020-12-08T07:10:54+0100', DOCUMENTED_MS],
    ['2020-12-08T07:10:54+01', DOCUMENTED_MS],
    ['2020-12-08 06:10:54', DOCUMENTED_MS],
    ['2020-12-08t06:10:54z', DOCUMENTED_MS],
    ['2020-12-08T06:10', DOCUMENTED_MS - 54_000],
    ['2020-02-29T00:00:00Z', Date.UTC(2020, 1, 29)],
    ['0001-01-01T00:00:00Z', Date.UTC(2001, 0, 1) - 2000 * 365.2425 * 86_400_000],
  ])('reads %s', (text, ms) => {
    expect(parseTimestamp(text)).toBe(ms)
  })

  it.each([
    'yesterday',
    '2020-12-08',
    '2020-13-01T00:00:00Z',
    '2021-02-29T00:00:00Z',
    '2020-04-31T00:00:00Z',
    '2020-12-08T24:00:00Z',
    '2020-12-08T06:60:00Z',
    '2020-12-08T06:10:54+25:00',
    ' 2020-12-08T06:10:54Z',
  ])('refuses %s', (text) => {
    expect(() => parseTimestamp(text)).toThrow(RangeError)
    expect(isTimestamp(text)).toBe(false)
  })

  it('normalises any accepted date-time to the API format', () => {
    expect(normalizeTimestamp('2020-12-08T07:10:54.999+01:00')).toBe(DOCUMENTED)
    expect(normalizeTimestamp(DOCUMENTED)).toBe(DOCUMENTED)
  })
})
