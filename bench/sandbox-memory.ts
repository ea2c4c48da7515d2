// 1,000 sandboxes against the mock as `npm start` runs it: RSS before, with them all idle, and
// after deleting them; the cost of a request that creates a sandbox against one to an existing one.
// Run: node --import tsx bench/sandbox-memory.ts   (BENCH_SANDBOXES to change the count)
import { median, sleep, startMock } from './mock-process.ts'

const COUNT = Number(process.env['BENCH_SANDBOXES'] ?? 1000)

async function timed(url: string, sandbox: string, init: RequestInit = {}) {
  const started = performance.now()
  const res = await fetch(url, { ...init, headers: { 'X-Mock-Sandbox': sandbox } })
  await res.arrayBuffer()
  if (!res.ok) {
    throw new Error(`${init.method ?? 'GET'} ${url} in ${sandbox}: ${res.status}`)
  }
  return performance.now() - started
}

const mock = await startMock(['--max-sandboxes', String(COUNT + 1)])
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
  for (let i = 0; i < COUNT; i++) {
    created.push(await timed(clock, `sb-${i}`))
    existing.push(await timed(clock, 'warm'))
  }
  const busy = mock.rssMb()
  // Idle sandboxes go to sleep after 10 s without requests.
  await sleep(12_000)
  const idle = mock.rssMb()
  for (let i = 0; i < COUNT; i++) {
    await timed(`${mock.url}/mock/sandboxes/sb-${i}`, 'warm', { method: 'DELETE' })
  }
  await sleep(3000)
  const after = mock.rssMb()
  const perSandboxKb = ((idle - before) * 1024) / COUNT
  console.log(`sandboxes: ${COUNT}`)
  console.log(`RSS before ${before.toFixed(0)} MB`)
  console.log(
    `RSS right after creating them ${busy.toFixed(0)} MB, once idle ${idle.toFixed(0)} MB`
  )
  console.log(
    `RSS after deleting them ${after.toFixed(0)} MB (${(after - before).toFixed(0)} MB over before)`
  )
  console.log(`idle memory per sandbox: ${perSandboxKb.toFixed(0)} KB`)
  console.log(
    `request creating a sandbox: median ${median(created).toFixed(2)} ms; to an existing one: ` +
      `median ${median(existing).toFixed(2)} ms; creation cost ≈ ${(median(created) - median(existing)).toFixed(2)} ms`
  )
} finally {
  await mock.stop()
}
