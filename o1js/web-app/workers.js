// How many pool workers kimchi-handles-o1js starts (0: its default). The stock build of this app
// (o1js/web-project.mjs --stock) replaces this file: stock o1js has no such setting.
import { setWorkerCount } from 'kimchi-handles-o1js/web';

export function setWorkers(n) {
  if (n) setWorkerCount(n);
}
