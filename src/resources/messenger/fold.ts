// Text as MySQL's utf8mb4_unicode_ci compares it, near enough for names and emails: the backend's
// search matched regardless of case and accents ("zoe", "ZOË" and "zoë" all find "Zoë").
import type { Db } from '../../db/open.ts'

/** Compatibility forms unfolded, combining marks dropped, lower case, ß as ss. */
export function foldForSearch(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/ß/g, 'ss')
}

/** The SQL function `search_fold(text)` on `db`, for comparisons in queries. */
export function registerSearchFold(db: Db): void {
  db.function('search_fold', { deterministic: true }, (value: unknown) =>
    typeof value === 'string' ? foldForSearch(value) : value
  )
}
