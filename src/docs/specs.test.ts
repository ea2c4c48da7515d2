// The specs' warm-up: a worker thread parses the Messenger and control contracts, and what it
// delivers is the document itself, as parsing it here gives it.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { SPECS, specObject, warmSpecs } from './specs.ts'

describe('warmSpecs', () => {
  it('parses both contracts on a worker, and specObject answers them as parsed here', async () => {
    const warming = warmSpecs()
    const [messenger, control] = await Promise.all([specObject('messenger'), specObject('control')])
    expect(await warming).toEqual(['messenger', 'control'])
    expect(messenger).toEqual(parse(readFileSync(SPECS.messenger, 'utf8')))
    expect(control).toEqual(parse(readFileSync(SPECS.control, 'utf8')))
    // Once warm, a second warm-up has nothing left to do.
    expect(await warmSpecs()).toEqual([])
  })
})
