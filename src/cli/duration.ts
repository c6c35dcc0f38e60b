// Durations for people: the two largest units, e.g. "2 days 3 hours", "45 seconds".
const UNITS: ReadonlyArray<readonly [string, number]> = [
  ['day', 86_400_000], ['hour', 3_600_000], ['minute', 60_000], ['second', 1000]
]

export function duration (ms: number): string {
  let rest = Math.abs(ms)
  const parts: string[] = []
  for (const [unit, size] of UNITS) {
    const count = Math.floor(rest / size)
    if (count > 0 || (parts.length === 0 && unit === 'second')) parts.push(`${count} ${unit}${count === 1 ? '' : 's'}`)
    rest -= count * size
    if (parts.length === 2) break
    if (parts.length === 1 && count === 0) break
  }
  return parts.join(' ')
}

/** "in 2 hours" or "3 minutes ago", relative to `now`. */
export function relative (at: number, now: number): string {
  return at >= now ? `in ${duration(at - now)}` : `${duration(now - at)} ago`
}
