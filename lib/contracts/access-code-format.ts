/**
 * How a presale code is written: 4 to 32 letters, digits and dashes, compared in upper case and without spaces, so
 * "fan club 24" typed on a phone finds FANCLUB24. Shared by the forms, the contracts and the database check.
 */
export const ACCESS_CODE_PATTERN = /^[A-Z0-9-]{4,32}$/;

export const normalizeAccessCode = (typed: string): string => typed.replace(/\s+/g, '').toUpperCase();
