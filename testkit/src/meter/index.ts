export * from './start-meter.ts';
