// Provider search as SearchProvidersService did it: the query's cleaning and terms, and Laravel 8's
// LengthAwarePaginator JSON (links, meta with the page window) around a page of results.
import type { components } from '../../generated/openapi.ts'
import { MAX_SEARCH_TERMS } from './store.ts'

type SearchPage = components['schemas']['SearchPage']
type PaginatorLink = components['schemas']['PaginatorLink']

/**
 * The backend removed % < > ` and "; the contract also names the backslash, which MySQL's LIKE
 * would have read as an escape, so both go. Control characters go too (a NUL would end SQLite's
 * LIKE pattern early and match everyone); the newline stays, as a separator.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[%<>`"\\\u0000-\u0009\u000b-\u001f\u007f]/g
const SEPARATORS = /[ \n,]+/

/** PHP's strlen(): the backend measured the query and its terms in bytes. */
const byteLength = (text: string) => Buffer.byteLength(text, 'utf8')

export interface SearchQuery {
  /** The cleaned query; '' when it is too short to search. */
  search: string
  /** At most four distinct terms of at least 2 bytes, in query order. */
  items: string[]
}

/** The cleaned query and its terms, or null when the query is too short to search (< 2 bytes). */
export function parseSearchQuery(raw: string | undefined): SearchQuery | null {
  const search = (raw ?? '').replace(UNSAFE, '')
  if (byteLength(search) < 2) {
    return null
  }
  const items = [...new Set(search.split(SEPARATORS).filter((item) => byteLength(item) >= 2))]
  return { search, items: items.slice(0, MAX_SEARCH_TERMS) }
}

const PHP_INT = /^\s*[+-]?(0|[1-9]\d*)\s*$/

/** Paginator::resolveCurrentPage(): `page` when it is an integer ≥ 1 (PHP's rules), else 1. */
export function currentPage(value: string | undefined): number {
  if (value === undefined || !PHP_INT.test(value)) {
    return 1
  }
  const page = Number(value)
  return Number.isSafeInteger(page) && page >= 1 ? page : 1
}

/** Laravel's default pagination window: 3 pages on each side of the current one. */
const ON_EACH_SIDE = 3

type Window = (number[] | '...')[]

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i)
}

/** UrlWindow::make() then elements(): the page numbers to link, with '...' where pages are left out. */
export function pageWindow(current: number, last: number): Window {
  if (last < ON_EACH_SIDE * 2 + 8) {
    return [range(1, last)]
  }
  const window = ON_EACH_SIDE + 4
  const start = range(1, 2)
  const finish = range(last - 1, last)
  if (current <= window) {
    return [range(1, window + ON_EACH_SIDE), '...', finish]
  }
  if (current > last - window) {
    return [start, '...', range(last - (window + (ON_EACH_SIDE - 1)), last)]
  }
  return [start, '...', range(current - ON_EACH_SIDE, current + ON_EACH_SIDE), '...', finish]
}

export interface PageInput<T> {
  items: T[]
  total: number
  perPage: number
  currentPage: number
  /** The paginator's path: the request URL without its query, or '/' for the empty paginator. */
  path: string
  /** The absolute URL the page links are built on (the path, resolved against the base URL). */
  linkPath: string
  search: string
  searchItems: string[]
}

/** A paginated resource collection's JSON (data, links, meta) plus the search meta. */
export function presentSearchPage<T extends SearchPage['data'][number]>(
  page: PageInput<T>
): SearchPage {
  const { items, total, perPage, currentPage: current, path } = page
  const last = Math.max(Math.ceil(total / perPage), 1)
  const url = (n: number) => `${page.linkPath}?page=${n}`
  const prev = current > 1 ? url(current - 1) : null
  const next = current < last ? url(current + 1) : null
  const from = items.length > 0 ? (current - 1) * perPage + 1 : null
  const links: PaginatorLink[] = [{ url: prev, label: '&laquo; Previous', active: false }]
  for (const element of pageWindow(current, last)) {
    if (element === '...') {
      links.push({ url: null, label: '...', active: false })
    } else {
      for (const n of element) {
        links.push({ url: url(n), label: n, active: n === current })
      }
    }
  }
  links.push({ url: next, label: 'Next &raquo;', active: false })
  return {
    data: items,
    links: { first: url(1), last: url(last), prev, next },
    meta: {
      current_page: current,
      from,
      last_page: last,
      links,
      path,
      per_page: perPage,
      to: from === null ? null : from + items.length - 1,
      total,
      search: page.search,
      search_items: page.searchItems,
    },
  }
}
