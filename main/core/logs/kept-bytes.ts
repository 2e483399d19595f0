// The copies of a child's output that a service's ring of last lines keeps. A chunk read from a
// pipe lives only as long as the call that hands it over (the read buffer is reused, see
// process/pipes.ts), so what the ring keeps is copied. In a flood that is a 64 KB copy per chunk;
// fresh buffers for them would pile up outside the V8 heap until a GC noticed (the daemon's peak
// RSS in a flood was ~30 MB above idle), so chunk-sized copies go into 80 KB slabs that come back here
// when the ring drops or decodes them. Small copies (a quiet service's lines) get buffers of their
// own size, so they never hold a slab.
/** A pipe's read (64 KB) plus the start of its first line held from the read before. */
const SLAB_BYTES = 80 * 1024;
/** Below this a copy gets a buffer of its own size. */
const MIN_SLAB_USE = 8 * 1024;
/** Free slabs kept for the next chunk (a flood needs about as many as its ring holds blocks). */
const MAX_FREE = 8;
const free: Buffer[] = [];

export interface Kept {
  /** `head` and `body` one after the other. */
  bytes: Buffer;
  /** The slab `bytes` lies in (give it back with release), or null. */
  slab: Buffer | null;
}

/** A copy of `head` + `body` that outlives the buffers they are in. */
export function keep(head: Buffer | null, body: Buffer): Kept {
  const headLen = head ? head.length : 0;
  const len = headLen + body.length;
  let slab: Buffer | null = null;
  let target: Buffer;
  if (len >= MIN_SLAB_USE && len <= SLAB_BYTES) {
    slab = free.pop() ?? Buffer.allocUnsafeSlow(SLAB_BYTES);
    target = slab;
  } else {
    target = Buffer.allocUnsafeSlow(len);
  }
  if (head) target.set(head, 0);
  target.set(body, headLen);
  return { bytes: target.subarray(0, len), slab };
}

/** The ring no longer needs the bytes in `slab`. */
export function release(slab: Buffer | null): void {
  if (slab && free.length < MAX_FREE) free.push(slab);
}
