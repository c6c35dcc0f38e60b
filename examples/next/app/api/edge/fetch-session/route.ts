// GET /api/edge/fetch-session: the same handler on Next's Edge runtime.
import { sessionJson } from '@/lib/fetch-session'

export const runtime = 'edge'
export const GET = sessionJson
