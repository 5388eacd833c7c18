/**
 * The real resources one service of the mesh uses: CPU time it burned (measured), memory it holds
 * (really allocated and touched) and bytes it sent and received. cAdvisor-style telemetry reads it.
 */
export class ResourceMeter {
  private cpuMicros = 0;
  private readonly base: Buffer;
  private leaked: Buffer[] = [];
  private leakedBytes = 0;
  rxBytes = 0;
  txBytes = 0;

  constructor(memoryBytes: number) {
    // Filling touches every page, so the bytes count in the process's resident set as they
    // would in a container's working set; a lazily zeroed allocation would not.
    this.base = Buffer.alloc(memoryBytes, 0x5a);
  }

  addCpuMicros(micros: number): void {
    this.cpuMicros += micros;
  }

  cpuSeconds(): number {
    return this.cpuMicros / 1e6;
  }

  /** Retains `bytes` more (a leak), without going past `capBytes` of leaked memory. Returns what was retained. */
  retain(bytes: number, capBytes: number): number {
    const n = Math.max(0, Math.min(bytes, capBytes - this.leakedBytes));
    if (n > 0) {
      this.leaked.push(Buffer.alloc(n, 0xa5));
      this.leakedBytes += n;
    }
    return n;
  }

  /** Drops all leaked memory, as a restart of the pod would. */
  releaseLeak(): void {
    this.leaked = [];
    this.leakedBytes = 0;
  }

  leakBytes(): number {
    return this.leakedBytes;
  }

  workingSetBytes(): number {
    return this.base.length + this.leakedBytes;
  }
}
