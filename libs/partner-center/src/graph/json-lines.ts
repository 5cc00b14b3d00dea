/**
 * Splits decoded text chunks into the non-empty lines of a JSON-lines file: a UTF-8 BOM at the
 * start, CRLF endings, blank lines and a last line without a newline are all tolerated
 * (partner-center-api.md §5.5). Yields the lines of each chunk together, so a million-line blob is
 * not a million generator round trips.
 */
export async function* jsonLines(chunks: AsyncIterable<string>): AsyncGenerator<string[], void, undefined> {
  let carry = '';
  let first = true;
  for await (const chunk of chunks) {
    let text = carry + chunk;
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    const lastNewline = text.lastIndexOf('\n');
    if (lastNewline < 0) {
      carry = text;
      continue;
    }
    carry = text.slice(lastNewline + 1);
    const lines = nonEmptyLines(text, lastNewline);
    if (lines.length > 0) yield lines;
  }
  const rest = carry.trim();
  if (rest.length > 0) yield [rest];
}

/** The non-blank lines of `text` up to `end` (a newline), without their CR. */
function nonEmptyLines(text: string, end: number): string[] {
  const lines: string[] = [];
  let start = 0;
  while (start <= end) {
    const nl = text.indexOf('\n', start);
    let stop = nl;
    if (stop > start && text.charCodeAt(stop - 1) === 13) stop -= 1;
    if (stop > start) {
      const line = text.slice(start, stop);
      // Lines of only whitespace are blank lines too; real lines are JSON objects, so no trim needed.
      if (!isBlank(line)) lines.push(line);
    }
    start = nl + 1;
  }
  return lines;
}

function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}
