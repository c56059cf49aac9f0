import type { Op, ToWorker } from './tls-relay-protocol.js';

/**
 * Ops for the worker, in the order they were made, sent once per turn of the event loop. A buffer
 * written to several connections travels once, as long as that keeps each connection's order.
 */
export class Outbox {
  private ops: Op[] = [];
  /** Per buffer, the index of its latest write op; per connection, the index of its latest op. */
  private writeOf = new Map<Buffer, number>();
  private lastOf = new Map<number, number>();
  private consumedOf = new Map<number, number>();
  private scheduled = false;

  constructor(private readonly send: (m: ToWorker, transfer: ArrayBuffer[]) => void) {}

  write(id: number, bytes: Buffer): void {
    const at = this.writeOf.get(bytes);
    if (at !== undefined && at > (this.lastOf.get(id) ?? -1)) {
      (this.ops[at] as { ids: number[] }).ids.push(id);
      this.lastOf.set(id, at);
      return;
    }
    this.writeOf.set(bytes, this.ops.length);
    this.push(id, { t: 'write', ids: [id], data: bytes });
  }

  op(op: Op & { id: number }): void {
    this.push(op.id, op);
  }

  /** Summed per connection until the flush: its order among the other ops does not matter. */
  consumed(id: number, bytes: number): void {
    this.consumedOf.set(id, (this.consumedOf.get(id) ?? 0) + bytes);
    this.schedule();
  }

  private push(id: number, op: Op): void {
    this.lastOf.set(id, this.ops.length);
    this.ops.push(op);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const transfer: ArrayBuffer[] = [];
    const ops = this.ops.map((op) => {
      if (op.t !== 'write') return op;
      // A copy of its own to transfer: the caller may keep its buffer (shared CoT batches) or a pool.
      const data = new Uint8Array(op.data);
      transfer.push(data.buffer);
      return { ...op, data };
    });
    for (const [id, bytes] of this.consumedOf) ops.push({ t: 'consumed', id, bytes });
    this.consumedOf.clear();
    this.ops = [];
    this.writeOf.clear();
    this.lastOf.clear();
    this.send({ t: 'ops', ops }, transfer);
  }
}
