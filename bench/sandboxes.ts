// The cost of a new sandbox as a client meets it: the first request naming a new sandbox against
// a warm request to the main world, and the resident memory that many sandboxes add. Each new
// sandbox's request is paired with a warm request just before it and the cost is the median of
// the differences, so a neighbour's load that slows a stretch of requests slows both sides alike.
import { rssMb } from './servers.ts'
import { timedGet } from './timed-get.ts'

export interface SandboxCost {
  count: number
  medianMs: number
  p95Ms: number
  mbEach: number
}

const at = (sorted: number[], q: number) => sorted[Math.floor(q * (sorted.length - 1))] ?? 0
const round = (n: number) => Math.round(n * 100) / 100

export async function measureSandboxes(
  url: string,
  pid: number,
  count = 100
): Promise<SandboxCost> {
  const auth = { Authorization: 'Bearer john', Accept: 'application/json' }
  const warm = () => timedGet(`${url}/api/messenger`, auth)
  for (let i = 0; i < 50; i += 1) {
    await warm()
  }
  const before = rssMb(pid)
  const extra: number[] = []
  for (let i = 0; i < count; i += 1) {
    const base = await warm()
    const headers = { ...auth, 'X-Mock-Sandbox': `bench-${process.pid}-${i}` }
    extra.push((await timedGet(`${url}/api/messenger`, headers)) - base)
  }
  extra.sort((a, b) => a - b)
  return {
    count,
    medianMs: round(at(extra, 0.5)),
    p95Ms: round(at(extra, 0.95)),
    mbEach: round((rssMb(pid) - before) / count),
  }
}
