/** What an event keeps of a call: a write's data cut to a preview with its byte length. */
import { describe, expect, it } from 'vitest';
import {
  callForEvent,
  DATA_PREVIEW_CHARS,
  EventSchema,
  MAX_WRITE_BYTES,
  previewText,
  utf8Length,
  type Call,
} from '../../../app/contract';

describe('callForEvent', () => {
  it('cuts a 16 MiB write to a preview and keeps its length in bytes', () => {
    const data = 'é'.repeat(MAX_WRITE_BYTES);
    const c = callForEvent({ call: 'write', args: { fd: 4, data } });
    expect(c).toEqual({
      call: 'write',
      args: { fd: 4, data: 'é'.repeat(DATA_PREVIEW_CHARS), bytes: 2 * MAX_WRITE_BYTES },
    });
    expect(callForEvent(c)).toEqual(c); // idempotent
  });

  it('keeps fill writes and other calls as they are', () => {
    expect(callForEvent({ call: 'write', args: { fd: 4, fill: 10 } })).toEqual({
      call: 'write',
      args: { fd: 4, fill: 10, bytes: 10 },
    });
    const bind: Call = { call: 'bind', args: { fd: 3, host: '127.0.0.1', port: 5000 } };
    expect(callForEvent(bind)).toBe(bind);
  });

  it('counts UTF-8 as Node does, and never cuts a surrogate pair', () => {
    for (const s of ['', 'abc', '服务器', '😀x', '\ud800', 'a\udc00b'])
      expect(utf8Length(s)).toBe(Buffer.byteLength(s, 'utf8'));
    const s = 'a'.repeat(DATA_PREVIEW_CHARS - 1) + '😀';
    expect(previewText(s)).toBe('a'.repeat(DATA_PREVIEW_CHARS - 1));
  });

  it('reads a trace event of before previews (the whole data) and cuts it', () => {
    const e = EventSchema.parse({
      type: 'call.started',
      seq: 1,
      t: 0,
      actor: 'client',
      callId: 'c1',
      call: { call: 'write', args: { fd: 3, data: 'x'.repeat(1000) } },
    });
    expect(e).toMatchObject({ call: { args: { data: 'x'.repeat(DATA_PREVIEW_CHARS), bytes: 1000 } } });
  });
});
