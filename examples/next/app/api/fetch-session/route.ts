// GET /api/fetch-session: the session as the Fetch entry reads it (Node.js runtime).
import { sessionJson } from '@/lib/fetch-session'

export const GET = sessionJson
