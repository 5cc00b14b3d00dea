import { DataSource } from 'typeorm';
import { WriteLock } from './write-lock';

describe('WriteLock', () => {
  const sqlite = { options: { type: 'better-sqlite3' } } as unknown as DataSource;
  const postgres = { options: { type: 'postgres' } } as unknown as DataSource;

  it('on SQLite runs writes one after the other', async () => {
    const lock = WriteLock.for(sqlite);
    const order: string[] = [];
    const slow = lock.run(async () => {
      order.push('a start');
      await new Promise((r) => setTimeout(r, 20));
      order.push('a end');
    });
    const fast = lock.run(async () => void order.push('b'));
    await Promise.all([slow, fast]);
    expect(order).toEqual(['a start', 'a end', 'b']);
  });

  it.each([
    { kind: 'SQLite', ds: sqlite },
    { kind: 'PostgreSQL', ds: postgres },
  ])('on $kind tells its listeners after each write settles, before the writer resumes, failed or not', async ({ ds }) => {
    const lock = WriteLock.for(ds);
    const seen: string[] = [];
    lock.onSettled(() => seen.push('settled'));
    await lock.run(async () => void seen.push('write'));
    seen.push('caller');
    await expect(lock.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    seen.push('caller after failure');
    expect(seen).toEqual(['write', 'settled', 'caller', 'settled', 'caller after failure']);
  });
});
