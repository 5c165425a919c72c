import 'server-only';
import type { Viewer } from '@/lib/auth/viewer';
import { carriedAdmission } from '@/lib/queue/admission';
import type { LayoutAudience } from './layout';

/**
 * Which hidden tiers the caller of GET /api/events/{id}/layout/unlocked sees: organizers and box-office staff every
 * tier (they sell and manage every seat); a buyer the tiers their admission token says their presale codes unlock
 * (the signed `ul.t` claim, as the hold route trusts it); anyone else none, which is the public layout.
 */
export async function layoutAudience(
  viewer: Viewer | null,
  cookieHeader: string | null,
  eventId: string,
  nowMs: number,
): Promise<LayoutAudience> {
  if (!viewer) return { unlockedTierIds: [] };
  if (viewer.role === 'admin' || viewer.role === 'box_office') return 'staff';
  const admission = cookieHeader ? await carriedAdmission(cookieHeader, eventId.toLowerCase(), viewer.id, nowMs) : null;
  return { unlockedTierIds: admission?.ul?.t ?? [] };
}
