"""WASM memory against proof number for the three modes of the benchmark (results/bench.json ->
results/memory.svg), with matplotlib."""
import json
import pathlib

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

here = pathlib.Path(__file__).parent
bench = json.loads((here / "results" / "bench.json").read_text())
labels = {
    "plain": "plain (kimchi-wasm style, nothing freed)",
    "using": "handles with `using`",
    "finalizer": "handles, finalizer only",
    "finalizer-no-nudge": "handles, finalizer only, GC nudges off",
}
fig, ax = plt.subplots(figsize=(8, 5.5))
for mode, label in labels.items():
    rows = bench["modes"][mode]["rows"]
    memory = [row["wasmMB"] for row in rows]
    slope = bench["modes"][mode]["slopeMBPerProof"]
    second_half = bench["modes"][mode]["slopeSecondHalfMBPerProof"]
    text = f"{label}: {slope:+.3f} MB/proof (second half {second_half:+.3f})"
    (line,) = ax.plot(range(1, len(memory) + 1), memory, label=text)
    if mode == "finalizer":
        # Where the core nudged the GC (the count went up after that proof).
        nudges = [row["gcNudges"] for row in rows]
        at = [i + 1 for i in range(1, len(nudges)) if nudges[i] > nudges[i - 1]]
        ax.plot(at, [memory[i - 1] for i in at], "v", color=line.get_color(), label="GC nudge")
ax.set_xlabel("proof number")
ax.set_ylabel("WASM memory (MiB)")
ax.set_title(f"{bench['n']} proofs of x*x = y at 2^{bench['k']}, Node {bench['node']}")
ax.grid(alpha=0.3)
ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), fontsize="small")
fig.tight_layout()
fig.savefig(here / "results" / "memory.svg")
print(f"wrote {here / 'results' / 'memory.svg'}")
