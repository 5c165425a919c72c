export * from './auth';
export * from './venues';
export * from './events';
export * from './inventory';
export * from './checkout';
export * from './tickets';
export * from './queue';
export * from './admin';
