// Text as MySQL's utf8mb4_unicode_ci compares it, near enough for names and emails: the backend's
// search matched regardless of case and accents ("zoe", "ZOË" and "zoë" all find "Zoë").

/** Compatibility forms unfolded, combining marks dropped, lower case, ß as ss. */
export function foldForSearch(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/ß/g, 'ss')
}
