import { Redactor } from './redact';

describe('Redactor', () => {
  it('masks registered secrets and any SAS signature, in URLs and bare SAS tokens', () => {
    const r = new Redactor();
    r.add('very-secret-value');
    expect(r.text('https://acct.blob.core.windows.net/c/d/part-0.json.gz?sv=2021-08-06&se=2026-11-02T09%3A00%3A05Z&sr=d&sp=rl&sig=AbC%2Bdef%3D&x=1')).toBe(
      'https://acct.blob.core.windows.net/c/d/part-0.json.gz?sv=2021-08-06&se=2026-11-02T09%3A00%3A05Z&sr=d&sp=rl&sig=[redacted]&x=1',
    );
    expect(r.text('sig=abc&sv=1')).toBe('sig=[redacted]&sv=1');
    expect(r.value({ msg: 'x', sasToken: 'skoid=a&SIG=zzz', other: 'very-secret-value!' })).toEqual({ msg: 'x', sasToken: 'skoid=a&SIG=[redacted]', other: '[redacted]!' });
    // Words that merely end in "sig" are left alone.
    expect(r.text('config=1 dosig=2')).toBe('config=1 dosig=2');
  });
});
