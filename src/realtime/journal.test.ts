// The broadcast journal belongs to a sandbox's lifetime: it survives the sandbox sleeping as an image
// (a new handle on waking) and goes away when the sandbox is deleted.
import { describe, expect, it } from 'vitest'
import { readDefaultWorld } from '../world/default-world.ts'
import { createWorlds } from '../world/worlds.ts'
import { createJournals } from './journal.ts'

const entry = {
  at: '2020-12-08T06:25:11.000000Z',
  event: 'incoming.call',
  channels: ['private-user.922f8476-dfb5-45d5-8a76-ab6422e10e5d'],
  data: { id: 'call' },
}

describe('the broadcast journal', () => {
  it('keeps a sandbox journal while it sleeps and wakes, and drops it with the sandbox', () => {
    const worlds = createWorlds({
      file: ':memory:',
      defaultWorld: readDefaultWorld,
      openSandboxes: 1,
      sleepAfterMs: 1000,
    })
    try {
      const journals = createJournals()
      const asleep = worlds.sandbox('a')
      journals.record(asleep, entry)
      worlds.sandbox('b')
      expect(asleep.db.open).toBe(false)
      const woken = worlds.sandbox('a')
      expect(woken).not.toBe(asleep)
      expect(journals.list(woken).map((e) => e.event)).toEqual(['incoming.call'])
      expect(journals.list(worlds.sandbox('b'))).toEqual([])
      worlds.remove('a')
      expect(journals.list(worlds.sandbox('a'))).toEqual([])
    } finally {
      worlds.close()
    }
  })
})
