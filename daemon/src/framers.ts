import type { Framer } from './framer.ts';
import { LineFramer } from './line-framer.ts';
import type { SerialReaderProfile } from './profiles.ts';
import { StxEtxFramer } from './stx-etx-framer.ts';

/** A fresh framer for a serial profile's `framing`. */
export function createFramer(framing: SerialReaderProfile['framing']): Framer {
  const common = { maxLength: framing.maxLength, prefix: framing.prefix, suffix: framing.suffix };
  switch (framing.type) {
    case 'line':
      return new LineFramer(common);
    case 'stx-etx':
      return new StxEtxFramer({ ...common, checksum: framing.checksum });
  }
}
