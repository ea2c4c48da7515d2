// Prism serving the contract as a spec-only mock for the tests of one file: started before them,
// stopped after them.
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll } from 'vitest'
import { startPrism } from './prism-process.ts'
import type { RunningPrism } from './prism-process.ts'

export function usePrismMock(): { readonly current: () => RunningPrism } {
  let prism: RunningPrism | undefined
  beforeAll(async () => {
    prism = await startPrism({
      mode: 'mock',
      spec: fileURLToPath(new URL('../openapi/openapi.yaml', import.meta.url)),
      logLevel: 'error',
    })
  })
  afterAll(async () => {
    await prism?.stop()
  })
  return {
    current: () => {
      if (prism === undefined) {
        throw new Error('usePrismMock(): Prism starts in beforeAll; use it inside tests')
      }
      return prism
    },
  }
}
