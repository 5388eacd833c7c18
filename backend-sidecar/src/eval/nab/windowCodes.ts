/** Sentinels of SweptFile.windowOf for points outside any window and points in the probationary period. */
export const windowCodes = { none: -1, probation: -2 } as const;
