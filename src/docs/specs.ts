// The specs as files and as parsed objects, read on first use and kept (they do not change
// while the server runs). Shared by the docs routes and the Prefer header.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { projectFile } from '../paths.ts'

export const SPECS = {
  messenger: projectFile('openapi/openapi.yaml'),
  control: projectFile('openapi/mock-control.yaml'),
  broadcasts: projectFile('openapi/broadcasts.asyncapi.yaml'),
} as const

export type SpecName = keyof typeof SPECS

const fileCache = new Map<string, Buffer>()

/** A file's bytes, read once. */
export function readOnce(path: string): Buffer {
  let data = fileCache.get(path)
  if (!data) {
    data = readFileSync(path)
    fileCache.set(path, data)
  }
  return data
}

type Spec = Record<string, unknown>

// The YAML parser and the parse itself (the Messenger contract takes the better part of a second)
// wait for the first request that needs them, unless warmSpecs() started them in the background.
const parsed = new Map<SpecName, Promise<Spec>>()

const parseHere = (which: SpecName): Promise<Spec> =>
  import('yaml').then(
    ({ parse }) => parse(readOnce(SPECS[which].pathname).toString('utf8')) as Spec
  )

/** The spec as a plain object (one shared instance: callers must not change it). */
export function specObject(which: SpecName): Promise<Spec> {
  let spec = parsed.get(which)
  if (!spec) {
    spec = parseHere(which)
    parsed.set(which, spec)
  }
  return spec
}

// A worker reads and parses the specs it is given and posts each back as a plain object.
const PARSER = `
const { parentPort, workerData } = require('node:worker_threads')
const { readFileSync } = require('node:fs')
const { parse } = require(workerData.yaml)
for (const [which, file] of workerData.files) {
  parentPort.postMessage([which, parse(readFileSync(file, 'utf8'))])
}
`

/**
 * Parses the Messenger and control specs on a worker thread, so the first Prefer request or docs
 * page does not pay for the parse, and the server answers meanwhile. Call it once the server
 * listens. A spec the worker does not deliver is parsed here on first use, as without warm-up.
 * Resolves, once the worker is done, with the specs it delivered.
 */
export function warmSpecs(): Promise<SpecName[]> {
  const pending = new Map<SpecName, (spec: Promise<Spec>) => void>()
  for (const which of ['messenger', 'control'] as const) {
    if (!parsed.has(which)) {
      parsed.set(which, new Promise((resolve) => pending.set(which, resolve)))
    }
  }
  const delivered: SpecName[] = []
  if (pending.size === 0) {
    return Promise.resolve(delivered)
  }
  const giveUp = () => {
    for (const [which, resolve] of pending) {
      resolve(parseHere(which))
    }
    pending.clear()
  }
  let worker: Worker
  try {
    worker = new Worker(PARSER, {
      eval: true,
      workerData: {
        yaml: createRequire(import.meta.url).resolve('yaml'),
        files: [...pending.keys()].map((which) => [which, fileURLToPath(SPECS[which])]),
      },
    })
  } catch {
    giveUp()
    return Promise.resolve(delivered)
  }
  // A worker still parsing never keeps the process from exiting.
  worker.unref()
  worker.on('message', ([which, spec]: [SpecName, Spec]) => {
    pending.get(which)?.(Promise.resolve(spec))
    pending.delete(which)
    delivered.push(which)
  })
  return new Promise((resolve) => {
    worker.once('error', giveUp)
    worker.once('exit', () => {
      giveUp()
      resolve(delivered)
    })
  })
}
