import { readFileSync } from 'node:fs';

/** An upstream body from test/fixtures, byte for byte as the wire carries it. */
export function fixtureBytes(name: string): Uint8Array {
  return readFileSync(new URL(`../fixtures/${name}`, import.meta.url));
}

export function fixtureText(name: string): string {
  return readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
}
