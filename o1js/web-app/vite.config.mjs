// A zkApp's Vite config with o1js on kimchi-handles: the one line a zkApp adds is the plugin.
// KH_ISOLATION=0 serves the page without cross-origin isolation (the single-threaded fallback).
import { defineConfig } from 'vite';
import kimchiHandlesO1js from 'kimchi-handles-o1js/vite';

export default defineConfig({
  plugins: [kimchiHandlesO1js({ isolation: process.env.KH_ISOLATION !== '0' })],
  build: { target: 'esnext' },
  // Relative URLs: the demo page serves the built app under a folder of its own.
  base: './',
  worker: { format: 'es' },
});
