/**
 * A one-line progress display for terminals: counts, throughput and, when the total is known, a
 * bar and an ETA. On a non-TTY (CI logs) it prints a line every few seconds instead of redrawing.
 */
export class ProgressBar {
  private readonly started = Date.now();
  private lastPrint = 0;
  private lastLabel = '';
  private lastDone = -1;

  constructor(
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly width = 24,
  ) {}

  update(label: string, counts: { pages: number; rows: number; quarantined: number }, total?: { done: number; of: number }): void {
    const now = Date.now();
    // Logs get a line per new stage, per finished unit (invoice), and otherwise one every few seconds.
    const unitDone = total !== undefined && total.done !== this.lastDone;
    if (!this.out.isTTY && label === this.lastLabel && !unitDone && now - this.lastPrint < 3000) return;
    this.lastPrint = now;
    this.lastLabel = label;
    if (total) this.lastDone = total.done;
    const seconds = Math.max((now - this.started) / 1000, 0.001);
    const rate = Math.round(counts.rows / seconds);
    let bar = '';
    if (total && total.of > 0) {
      const ratio = Math.min(total.done / total.of, 1);
      const filled = Math.round(ratio * this.width);
      const eta = ratio > 0 ? Math.round((seconds / ratio) * (1 - ratio)) : NaN;
      bar = `[${'█'.repeat(filled)}${'░'.repeat(this.width - filled)}] ${Math.round(ratio * 100)}% ETA ${Number.isFinite(eta) ? `${eta}s` : '?'} `;
    }
    const line = `${label} ${bar}pages ${counts.pages} · rows ${counts.rows.toLocaleString('en-US')} · quarantined ${counts.quarantined} · ${rate.toLocaleString('en-US')} rows/s`;
    if (this.out.isTTY) this.out.write(`\r\x1b[2K${line}`);
    else this.out.write(`${line}\n`);
  }

  done(message: string): void {
    this.out.write(this.out.isTTY ? `\r\x1b[2K${message}\n` : `${message}\n`);
  }
}
