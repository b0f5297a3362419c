// How long the page's own thread went without running its event loop: a timer that should fire
// every 10 ms notes the longest gap between two firings. A page whose thread is held that long
// cannot paint or answer input.
const PERIOD_MS = 10;
let last = performance.now();
let longest = 0;
setInterval(() => {
  const now = performance.now();
  longest = Math.max(longest, now - last);
  last = now;
}, PERIOD_MS);

/** The longest gap since the last call, in ms (the gap still open counts too). */
export function takeLongestGap() {
  const gap = Math.max(longest, performance.now() - last);
  longest = 0;
  return gap;
}
