// Converts between epoch milliseconds and the API's timestamp text (2020-12-08T06:10:54.000000Z).

/** 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z: the years the four-digit format can hold. */
const MIN_MS = -62_167_219_200_000
const MAX_MS = 253_402_300_799_999

// RFC 3339 / ISO 8601 extended date-time. Seconds, the fraction and the offset are optional; a
// time without an offset is UTC, which is what the Laravel backend stored.
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/

/**
 * The API's format: UTC, whole seconds, and a literal `.000000` (Laravel 8 stored no fraction).
 * Equal-length text, so comparing two timestamps as strings compares the times.
 */
export function formatTimestamp(ms: number): string {
  if (!Number.isFinite(ms) || ms < MIN_MS || ms > MAX_MS) {
    throw new RangeError(`${ms} is not a time between the years 0000 and 9999.`)
  }
  // A request formats "now" several times, and so do the requests of the same second.
  const second = Math.floor(ms / 1000)
  if (second !== lastSecond) {
    lastText = `${new Date(second * 1000).toISOString().slice(0, 19)}.000000Z`
    lastSecond = second
  }
  return lastText
}
let lastSecond = Number.NaN
let lastText = ''

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
    return leap ? 29 : 28
  }
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
}

/** Epoch milliseconds of an ISO 8601 date-time; throws RangeError for anything else. */
export function parseTimestamp(text: string): number {
  const match = DATE_TIME.exec(text)
  if (match === null) {
    throw new RangeError(`"${text}" is not an ISO 8601 date-time.`)
  }
  const [, y, mo, d, h, mi, s, fraction, , sign, offsetH, offsetM] = match
  const year = Number(y)
  const month = Number(mo)
  const day = Number(d)
  const hour = Number(h)
  const minute = Number(mi)
  const second = Number(s ?? 0)
  const offsetHours = Number(offsetH ?? 0)
  const offsetMinutes = Number(offsetM ?? 0)
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hour > 23 ||
    minute > 59 ||
    second > 59 ||
    offsetHours > 23 ||
    offsetMinutes > 59
  ) {
    throw new RangeError(`"${text}" is not a valid date-time.`)
  }
  const millis = Number((fraction ?? '').slice(0, 3).padEnd(3, '0'))
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, millis))
  // Date.UTC maps the years 0–99 to 1900–1999; setting the year afterwards avoids that.
  date.setUTCFullYear(year)
  const offsetMs = (offsetHours * 60 + offsetMinutes) * 60_000 * (sign === '-' ? -1 : 1)
  return date.getTime() - offsetMs
}

/** True when `text` is a date-time that the API's format can hold. */
export function isTimestamp(text: string): boolean {
  try {
    formatTimestamp(parseTimestamp(text))
    return true
  } catch {
    return false
  }
}

/** Any accepted date-time, rewritten in the API's format. */
export function normalizeTimestamp(text: string): string {
  return formatTimestamp(parseTimestamp(text))
}
