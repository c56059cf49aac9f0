import type { Prepared } from './prepared.js';

interface Node {
  p: Prepared;
  prev: Node | null;
  next: Node | null;
}

/**
 * The latest change per entity, in the order of those latest changes (Prepared.seq), shared by
 * all the slots of one pace: a change costs one map lookup and a relink however many slots there
 * are, and a slot's turn reads back only as far as its previous turn.
 */
export class LatestChanges {
  private readonly byKey = new Map<string, Node>();
  private head: Node | null = null;
  private tail: Node | null = null;

  get size(): number {
    return this.byKey.size;
  }

  set(p: Prepared): void {
    let node = this.byKey.get(p.key);
    if (node) {
      if (node === this.tail) {
        node.p = p;
        return;
      }
      this.unlink(node);
      node.p = p;
    } else {
      node = { p, prev: null, next: null };
      this.byKey.set(p.key, node);
    }
    node.prev = this.tail;
    if (this.tail) this.tail.next = node;
    else this.head = node;
    this.tail = node;
  }

  /** The latest change of every entity that changed after `seq`, oldest first. */
  since(seq: number): Prepared[] {
    const out: Prepared[] = [];
    for (let n = this.tail; n && n.p.seq > seq; n = n.prev) out.push(n.p);
    return out.reverse();
  }

  /** Forgets the entities whose latest change is at or before `seq`: every slot has had them. */
  dropUpTo(seq: number): void {
    while (this.head && this.head.p.seq <= seq) {
      const n = this.head;
      this.byKey.delete(n.p.key);
      this.unlink(n);
    }
  }

  clear(): void {
    this.byKey.clear();
    this.head = null;
    this.tail = null;
  }

  private unlink(n: Node): void {
    if (n.prev) n.prev.next = n.next;
    else this.head = n.next;
    if (n.next) n.next.prev = n.prev;
    else this.tail = n.prev;
    n.prev = null;
    n.next = null;
  }
}
