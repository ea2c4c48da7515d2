// The benchmark's server processes: spawn, wait until ready, read their memory and CPU, stop.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { stopChild } from '../conformance/testing/mock-process.ts'

export interface Server {
  name: string
  url: string
  pid: number
  /** Process spawn to the first 200 of the ready probe, in ms. */
  readyMs: number
  /** CPU time (user + system) the process had used when it was ready, in ms. */
  readyCpuMs: number
  stop(): Promise<void>
}

export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
  return Math.round(kb / 1024)
}

/** utime + stime of a process, from /proc (clock ticks of 10 ms on Linux). */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
  return (Number(fields[11]) + Number(fields[12])) * 10
}

export async function waitOk(url: string, init?: RequestInit): Promise<void> {
  for (;;) {
    try {
      if ((await fetch(url, init)).ok) {
        return
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
}

export interface SpawnOptions {
  /** Resolves once the server at `url` answers as it should. */
  ready: (url: string) => Promise<void>
  env?: NodeJS.ProcessEnv
}

/** Spawns `node args…` and waits for its "listening on URL" line, then for `ready`. */
export function spawnServer(name: string, args: string[], options: SpawnOptions): Promise<Server> {
  const started = performance.now()
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: options.env ?? process.env,
  })
  return new Promise((resolve, reject) => {
    let out = ''
    const onData = (chunk: Buffer) => {
      out += chunk.toString()
      const url = /listening on (http:\/\/\S+)/.exec(out)?.[1]
      if (!url) {
        return
      }
      child.stdout.off('data', onData)
      // Output (the request log, when on) is read and thrown away, as a terminal would take it.
      child.stdout.on('data', () => undefined)
      void options.ready(url).then(() => {
        const pid = child.pid ?? 0
        resolve({
          name,
          url,
          pid,
          readyMs: Math.round(performance.now() - started),
          readyCpuMs: cpuMs(pid),
          stop: () => stopChild(child),
        })
      }, reject)
    }
    child.stdout.on('data', onData)
    child.once('exit', (code) => {
      reject(new Error(`${name} exited with ${String(code)}: ${out}`))
    })
  })
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? 0

/** Median spawn-to-ready wall time and CPU time over `runs` starts of the same command. */
export async function startUp(
  args: string[],
  probe: (url: string) => Promise<void>,
  runs: number
): Promise<{ wallMs: number; cpuMs: number; all: number[] }> {
  const wall: number[] = []
  const cpu: number[] = []
  for (let i = 0; i < runs; i += 1) {
    const server = await spawnServer('start', args, { ready: probe })
    wall.push(server.readyMs)
    cpu.push(server.readyCpuMs)
    await server.stop()
  }
  return { wallMs: median(wall), cpuMs: median(cpu), all: wall }
}
