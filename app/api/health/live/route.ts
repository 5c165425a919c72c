import { json, route } from '@/lib/http/route';

/** Liveness: the process answers. Never checks dependencies (a restart would not fix them). */
export const GET = route('health.live', {}, async () => json({ status: 'up' }));
