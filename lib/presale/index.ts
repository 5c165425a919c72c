export { getAccountAccess, hasAccessCodes, NO_ACCESS, type AccountAccess, type PresaleWindow } from './account-access';
export { redeemAccessCode, type Redemption } from './redeem-access-code';
export { redeemPresaleCode } from './redeem-presale-code';
export {
  createAccessCode,
  createPresale,
  getPresaleOverview,
  setTierHidden,
  type PresaleOverview,
} from './manage-presales';
