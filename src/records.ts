// The one test for "a JSON object" (not null, not an array) that src/ and its tests share.

export type JsonObject = Record<string, unknown>

export function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
