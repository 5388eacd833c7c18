import { isIPv4 } from 'node:net';

/** True for addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  if (h === 'localhost' || h === '::1' || h === '[::1]') {
    return true;
  }
  return isIPv4(h) && h.startsWith('127.');
}
