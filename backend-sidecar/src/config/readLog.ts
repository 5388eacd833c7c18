import type { ConfigReader } from './ConfigReader.js';
import type { LogConfig, LogLevel } from './types.js';

export const LOG_LEVELS: readonly LogLevel[] = Object.freeze([
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
]);

export function readLog(r: ConfigReader): LogConfig {
  const level = r.choice('level', LOG_LEVELS, 'info');
  r.finish();
  return { level };
}
