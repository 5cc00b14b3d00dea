import * as path from 'node:path';
import type { DecoderThreadEntry } from '../src/graph/blob-decoder';

/** The blob decoder thread from the TypeScript sources (what the built client runs compiled). */
export const TS_DECODER_THREAD: DecoderThreadEntry = {
  filename: path.join(__dirname, '..', 'src', 'graph', 'blob-decoder.thread.ts'),
  execArgv: ['--require', path.join(__dirname, 'ts-thread-loader.js')],
};
