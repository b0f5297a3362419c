// How a result crosses from the worker that runs a call back to a page's own thread, which waits
// by spinning and so cannot receive a message: written into shared memory, in a small tagged
// binary form. It carries what the module's functions return (plain objects and arrays, numbers,
// strings, booleans, null, bytes) and, for a handle, its class and a transfer token.

const UNDEFINED = 0, NULL = 1, FALSE = 2, TRUE = 3, NUMBER = 4, STRING = 5, BIGINT = 6, BYTES = 7, ARRAY = 8, OBJECT = 9, HANDLE = 10;

const utf8 = new TextEncoder();
const text = new TextDecoder();

/** `value` in bytes; `handle(h)` gives `[className, token]` for a handle object. */
export function encode(value, handle) {
  let bytes = new Uint8Array(1 << 12);
  let view = new DataView(bytes.buffer);
  let at = 0;
  const room = (n) => {
    if (at + n <= bytes.length) return;
    const more = new Uint8Array(Math.max(bytes.length * 2, at + n));
    more.set(bytes.subarray(0, at));
    bytes = more;
    view = new DataView(bytes.buffer);
  };
  const tag = (t) => (room(1), (bytes[at++] = t));
  const u32 = (n) => (room(4), view.setUint32(at, n, true), (at += 4));
  const raw = (b) => (u32(b.length), room(b.length), bytes.set(b, at), (at += b.length));
  const str = (s) => raw(utf8.encode(s));
  const put = (v) => {
    if (v === undefined) return tag(UNDEFINED);
    if (v === null) return tag(NULL);
    switch (typeof v) {
      case 'boolean':
        return tag(v ? TRUE : FALSE);
      case 'number':
        return tag(NUMBER), room(8), view.setFloat64(at, v, true), (at += 8);
      case 'string':
        return tag(STRING), str(v);
      case 'bigint':
        return tag(BIGINT), str(v.toString());
    }
    const h = handle(v);
    if (h) return tag(HANDLE), str(h[0]), room(8), view.setFloat64(at, h[1], true), (at += 8);
    if (v instanceof Uint8Array) return tag(BYTES), raw(v);
    if (Array.isArray(v)) {
      tag(ARRAY), u32(v.length);
      for (const x of v) put(x);
      return;
    }
    if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      const keys = Object.keys(v);
      tag(OBJECT), u32(keys.length);
      for (const k of keys) str(k), put(v[k]);
      return;
    }
    throw new TypeError(`kimchi-handles-o1js: a result of type ${Object.getPrototypeOf(v)?.constructor?.name ?? typeof v} cannot cross threads`);
  };
  put(value);
  return bytes.subarray(0, at);
}

/** The value `encode` wrote; `adopt(className, token)` gives the handle object of this thread. */
export function decode(bytes, adopt) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const u32 = () => ((at += 4), view.getUint32(at - 4, true));
  const f64 = () => ((at += 8), view.getFloat64(at - 8, true));
  // Copied out: the shared buffer is reused by the next call.
  const raw = () => {
    const n = u32();
    return (at += n), bytes.slice(at - n, at);
  };
  const str = () => text.decode(raw());
  const get = () => {
    switch (bytes[at++]) {
      case UNDEFINED:
        return undefined;
      case NULL:
        return null;
      case FALSE:
        return false;
      case TRUE:
        return true;
      case NUMBER:
        return f64();
      case STRING:
        return str();
      case BIGINT:
        return BigInt(str());
      case BYTES:
        return raw();
      case HANDLE: {
        const name = str();
        return adopt(name, f64());
      }
      case ARRAY: {
        const n = u32();
        const out = new Array(n);
        for (let i = 0; i < n; i++) out[i] = get();
        return out;
      }
      case OBJECT: {
        const n = u32();
        const out = {};
        for (let i = 0; i < n; i++) {
          const key = str();
          out[key] = get();
        }
        return out;
      }
      default:
        throw new Error(`kimchi-handles-o1js: a result that crossed threads is corrupt (tag ${bytes[at - 1]} at byte ${at - 1})`);
    }
  };
  return get();
}
