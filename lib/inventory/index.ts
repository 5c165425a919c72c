export { inventoryDeps, type InventoryDeps } from './deps';
export {
  holdSeats,
  placeHold,
  refusalBeforeAuth,
  CLAIM_LEASE_MS,
  type HoldSeatsInput,
  type PlaceHoldInput,
  type HoldTimings,
  type HoldLimits,
} from './place-hold';
export { activeHoldOf, getHoldForViewer, type HoldDetails, type HoldSeat } from './get-hold';
export { releaseHold } from './release-hold';
export { resumableHold, listActiveHolds, type ResumableHold, type HeldSeatsSummary } from './resume-hold';
export { extendHold, HOLD_EXTENSION_MINUTES } from './extend-hold';
export {
  afterSeatsSold,
  returnSeatsToSale,
  afterSeatsReturned,
  blockSeats,
  afterSeatsBlocked,
  unblockSeats,
} from './sell-seats';
export { sweepExpiredHolds } from './sweep-expired-holds';
export { getLayout, getLayoutFor, type LayoutAudience } from './layout';
export { layoutAudience } from './layout-audience';
export {
  availabilityDocument,
  encodedBody,
  getAvailability,
  forgetAvailability,
  type AvailabilityDoc,
} from './availability';
export { availabilityStream } from './availability-stream';
export { getSaleRules, forgetSaleRules } from './sale-rules';
export { auditInventory, type InventoryAudit } from './audit';
