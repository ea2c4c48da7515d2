// Parses the three source documents (../shared/seeds/*.txt) into their documented request/response pairs.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

export interface DocumentedPair {
  method: string
  path: string
  routeName: string
  payload?: unknown
  response: unknown
}

const HEADING = /^### (GET|POST|PUT|PATCH|DELETE) `([^`]+)` \| \*([^*]+)\*\s*$/

/** Reads every `### METHOD \`path\` | *route.name*` section with its Payload and Response JSON blocks. */
export function parseSeedText(text: string): DocumentedPair[] {
  const pairs: DocumentedPair[] = []
  const lines = text.split('\n')
  let current: DocumentedPair | undefined
  let block: 'payload' | 'response' | undefined
  let buffer: string[] | undefined
  for (const line of lines) {
    const heading = HEADING.exec(line)
    if (heading) {
      const [, method = '', path = '', routeName = ''] = heading
      current = { method, path, routeName, response: undefined }
      pairs.push(current)
      continue
    }
    if (line.startsWith('#### Payload')) {
      block = 'payload'
    } else if (line.startsWith('#### Response')) {
      block = 'response'
    } else if (line.startsWith('```json')) {
      buffer = []
    } else if (line.startsWith('```') && buffer) {
      if (!current || !block) {
        throw new Error('A JSON block stands outside an operation section')
      }
      const value: unknown = JSON.parse(buffer.join('\n'))
      if (block === 'payload') {
        current.payload = value
      } else {
        current.response = value
      }
      buffer = undefined
    } else if (buffer) {
      buffer.push(line)
    }
  }
  return pairs
}

/** All documented pairs of the seed folder, in file order. */
export function readSeeds(folder: string): DocumentedPair[] {
  return readdirSync(folder)
    .filter((name) => name.endsWith('.txt') || name.endsWith('.md'))
    .sort()
    .flatMap((name) => parseSeedText(readFileSync(join(folder, name), 'utf8')))
}
