// 1,000 sandboxes against the mock as `npm start` runs it: RSS before, with them all idle, and
// after deleting them, three times over (what the first round leaves is the V8 heap and the
// allocator keeping freed pages for reuse; a leak would grow again every round); the cost of a request that creates a
// sandbox against one to an existing one, for a read (the clock) and for a write (a heartbeat: the
// sandbox must open its own database).
// Run: node --import tsx bench/sandbox-memory.ts   (BENCH_SANDBOXES: the count; BENCH_ROUNDS: rounds;
// BENCH_BEFORE=<bundle>: an older build measured the same way after this one, to compare)
import { median, sleep, startMock } from './mock-process.ts'

const COUNT = Number(process.env['BENCH_SANDBOXES'] ?? 1000)
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3)
const BEFORE = process.env['BENCH_BEFORE']

async function timed(url: string, sandbox: string, init: RequestInit = {}) {
  const started = performance.now()
  const headers = { ...(init.headers as Record<string, string>), 'X-Mock-Sandbox': sandbox }
  const res = await fetch(url, { ...init, headers })
  await res.arrayBuffer()
  if (!res.ok) {
    throw new Error(`${init.method ?? 'GET'} ${url} in ${sandbox}: ${res.status}`)
  }
  return performance.now() - started
}

async function measure(label: string, bundle?: string): Promise<void> {
  const mock = await startMock(['--max-sandboxes', String(COUNT + 1)], process.env, bundle)
  try {
    const clock = `${mock.url}/mock/clock`
    // Warm up the paths measured below, then settle.
    for (let i = 0; i < 50; i++) {
      await timed(clock, 'warm')
    }
    await sleep(1000)
    const before = mock.rssMb()
    const created: number[] = []
    const existing: number[] = []
    const rounds: { busy: number; idle: number; after: number }[] = []
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < COUNT; i++) {
        created.push(await timed(clock, `sb-${round}-${i}`))
        existing.push(await timed(clock, 'warm'))
      }
      const busy = mock.rssMb()
      // Idle sandboxes go to sleep after 10 s without requests.
      await sleep(12_000)
      const idle = mock.rssMb()
      for (let i = 0; i < COUNT; i++) {
        await timed(`${mock.url}/mock/sandboxes/sb-${round}-${i}`, 'warm', { method: 'DELETE' })
      }
      await sleep(3000)
      rounds.push({ busy, idle, after: mock.rssMb() })
    }
    console.log(`${label}: sandboxes: ${COUNT}, created and deleted ${ROUNDS} times`)
    console.log(`RSS before ${before.toFixed(0)} MB`)
    rounds.forEach(({ busy, idle, after }, round) => {
      console.log(
        `round ${round + 1}: right after creating them ${busy.toFixed(0)} MB, once idle ` +
          `${idle.toFixed(0)} MB (${(((idle - before) * 1024) / COUNT).toFixed(0)} KB each over ` +
          `before), after deleting them ${after.toFixed(0)} MB (${(after - before).toFixed(0)} MB over before)`
      )
    })
    console.log(
      `request creating a sandbox: median ${median(created).toFixed(2)} ms; to an existing one: ` +
        `median ${median(existing).toFixed(2)} ms; creation cost ≈ ${(median(created) - median(existing)).toFixed(2)} ms`
    )
    // A first request that writes, paired with the same write in an existing sandbox just before.
    const heartbeat = {
      method: 'POST',
      headers: { Authorization: 'Bearer john', 'Content-Type': 'application/json' },
      body: '{"away":false}',
    }
    const beat = `${mock.url}/api/messenger/heartbeat`
    for (let i = 0; i < 20; i++) {
      await timed(beat, 'warm', heartbeat)
    }
    const writeCost: number[] = []
    for (let i = 0; i < 200; i++) {
      const base = await timed(beat, 'warm', heartbeat)
      writeCost.push((await timed(beat, `hb-${i}`, heartbeat)) - base)
    }
    console.log(
      `first request a write (heartbeat): median ${median(writeCost).toFixed(2)} ms over the same ` +
        `write in an existing sandbox (200 pairs)`
    )
  } finally {
    await mock.stop()
  }
}

await measure('this build')
if (BEFORE !== undefined) {
  await measure(`before (${BEFORE})`, BEFORE)
}
