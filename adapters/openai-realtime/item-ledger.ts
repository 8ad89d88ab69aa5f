/**
 * Which agent audio items were heard, and how much of each, when playout is flushed.
 *
 * Positions are on the session's stream of received agent audio (PlayoutFlush in
 * harness/adapter.ts): an item began at the stream position where its first audio arrived, so
 * after a flush at `playedMs` the user heard clamp(playedMs - itemStartMs, 0, itemReceivedMs)
 * of it. That is what `conversation.item.truncate` must carry: never more than was received,
 * never what only arrived.
 */
interface Truncation {
  itemId: string;
  contentIndex: number;
  audioEndMs: number;
}

interface ItemAudio {
  itemId: string;
  contentIndex: number;
  streamStartMs: number;
  receivedMs: number;
}

export class ItemLedger {
  private streamMs = 0;
  private items: ItemAudio[] = [];
  private readonly cut = new Set<string>();

  /** Whether any item's audio has arrived since the last flush (something could be playing). */
  get hasAudio(): boolean {
    return this.items.length > 0;
  }

  /** Whether this item was cut by an interruption (its late audio must not be played). */
  isCut(itemId: string): boolean {
    return this.cut.has(itemId);
  }

  /** Record `ms` of audio received for an item (in arrival order). */
  audio(itemId: string, contentIndex: number, ms: number): void {
    let item = this.items.find((i) => i.itemId === itemId);
    if (!item) {
      item = { itemId, contentIndex, streamStartMs: this.streamMs, receivedMs: 0 };
      this.items.push(item);
    }
    item.receivedMs += ms;
    this.streamMs += ms;
  }

  /** An interruption: every item so far is cut; their late audio is dropped from now on. */
  interrupt(): void {
    for (const i of this.items) this.cut.add(i.itemId);
  }

  /** Playout was flushed at stream position `playedMs`: truncations for items not fully heard. */
  flush(playedMs: number): Truncation[] {
    const out: Truncation[] = [];
    for (const i of this.items) {
      const heardMs = Math.min(Math.max(playedMs - i.streamStartMs, 0), i.receivedMs);
      if (heardMs < i.receivedMs) out.push({ itemId: i.itemId, contentIndex: i.contentIndex, audioEndMs: Math.floor(heardMs) });
    }
    this.items = [];
    return out;
  }
}
