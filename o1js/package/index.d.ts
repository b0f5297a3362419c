// The package's exports: the kimchi module's own (generated with it), and what the adapter adds.
import type * as Kimchi from './kimchi/kimchi_handles_kimchi.js' with { 'resolution-mode': 'import' };

declare const kimchi: typeof Kimchi & {
  /** This package: its version, the o1js it serves, and the worker threads its pool runs. */
  readonly kimchiHandles: { readonly version: string; readonly o1js: string; readonly threads: number };
};
export = kimchi;
