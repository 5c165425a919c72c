/**
 * What the ticket pages' server actions answer and their forms read (transfer a ticket, cancel a transfer, claim
 * one). Shared here so components do not import from app/ (routes depend on components, never the reverse).
 */
export type TransferFormState = { error?: string; done?: string; email?: string };
export type CancelTransferState = { error?: string; done?: boolean };
export type ClaimState = { error?: string };
