import 'server-only';
import { randomBytes } from 'node:crypto';

/** A fresh random nonce per issue: it is part of the signed code, so a re-issued ticket has a new code. */
export const newTicketNonce = () => randomBytes(12).toString('base64url');
