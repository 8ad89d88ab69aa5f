import { describe, expect, it } from 'vitest';
import { redactUrl } from './redact.ts';

describe('redactUrl', () => {
  it('masks userinfo and every query value, keeps host, port and path', () => {
    expect(redactUrl('wss://bob:hunter2@api.example.com:8443/v1/rt?model=x&api_key=sk-123#frag')).toBe(
      'wss://***@api.example.com:8443/v1/rt?model=***&api_key=***',
    );
  });
  it('leaves a URL without secrets as it is', () => {
    expect(redactUrl('ws://127.0.0.1:9000/')).toBe('ws://127.0.0.1:9000/');
  });
  it('does not echo an unparseable URL (it may be a pasted key)', () => {
    expect(redactUrl('sk-live-abc')).toBe('<unparseable URL>');
  });
});
