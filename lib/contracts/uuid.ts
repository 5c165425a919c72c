/**
 * Ids in paths and bodies are UUIDs; one that is not names nothing (PostgreSQL would refuse to compare it with a
 * uuid column, a 500). Shared by every lookup that takes an id from outside. No server imports.
 */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID_PATTERN.test(value);
