import { z } from 'zod';

/**
 * Building blocks of the response schemas. Requests are parsed with the contracts in lib/contracts/; responses are
 * plain TypeScript types the domain returns, so their schemas live here, only for the document. Each `satisfies` the
 * type it describes: a field added to the type and not to its schema fails the type check.
 */

/** An ISO 8601 instant as the API writes it (`Date.toISOString()`, or PostgreSQL's text with an offset). */
export const instant = z.string().meta({ description: 'ISO 8601 instant', example: '2026-12-07T19:30:00.000Z' });

/** Integer minor units of `currency` (cents). */
export const minor = z.number().int().meta({ description: 'integer minor units of the currency (cents)' });

export const id = z.string().meta({ description: 'UUID' });

/** The ids of event seats: positive integers, unique across events. */
export const seatIds = z.array(z.number().int().positive());
