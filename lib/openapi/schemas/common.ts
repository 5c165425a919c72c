import { z } from 'zod';

/**
 * Building blocks of the response schemas. Responses are documented here, beside the request contracts in
 * lib/contracts/, because the domain returns plain TypeScript types: each response schema `satisfies` the type it
 * describes, so a field added to the type and not to its schema fails the type check.
 */

/** An ISO 8601 instant as the API writes it (`Date.toISOString()`, or PostgreSQL's text with an offset). */
export const instant = z.string().meta({ description: 'ISO 8601 instant', example: '2026-12-07T19:30:00.000Z' });

/** Integer minor units of `currency` (cents). */
export const minor = z.number().int().meta({ description: 'integer minor units of the currency (cents)' });

export const id = z.string().meta({ description: 'UUID' });

/** The ids of event seats: positive integers, unique across events. */
export const seatIds = z.array(z.number().int().positive());
