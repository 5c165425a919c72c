import { metrics } from '@/lib/observability/metrics';

export const holdsGranted = metrics.counter('admitone_holds_granted_total', 'Holds granted');
export const holdSeatsGranted = metrics.counter('admitone_hold_seats_granted_total', 'Seats held by granted holds');
export const holdConflicts = metrics.counter('admitone_hold_conflicts_total', 'Hold requests refused because seats were taken, by the stage that refused (redis or database)');
export const holdRejections = metrics.counter('admitone_hold_rejections_total', 'Hold requests refused for other reasons (limit, validation, not on sale)');
export const databaseOnlyHolds = metrics.counter('admitone_hold_database_only_total', 'Holds decided by PostgreSQL alone because the coordinator was skipped (breaker open, error or timeout)');
export const holdExpiries = metrics.counter('admitone_hold_expiries_total', 'Seats returned to sale by the expiry sweeper');
export const holdDuration = metrics.histogram('admitone_hold_duration_ms', 'Time to answer a hold request, by outcome');
export const breakerState = metrics.gauge('admitone_coordinator_breaker_open', '1 while the coordinator circuit breaker is open (holds go to PostgreSQL alone)');
