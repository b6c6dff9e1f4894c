import { strict as assert } from 'node:assert';
import { decodeDataUri, encodeDataUri, encodeDataUriBase64 } from '../../../src/ucwa/data-uri.js';

describe('data URIs (PROTOCOL.md §1.5)', () => {
  const table: [string, string, string][] = [
    ['walk-through form with + and CRLF', 'data:text/plain;charset=utf-8,Hi+Tosh%0d%0a', 'Hi Tosh\n'],
    ['charset spelled utf8', 'data:text/plain;charset=utf8,URLEncodedMessageString', 'URLEncodedMessageString'],
    ['a literal plus arrives as %2B', 'data:text/plain;charset=utf-8,1%2B1+%3D+2', '1+1 = 2'],
    ['base64', `data:text/plain;base64,${Buffer.from('Hello Lene').toString('base64')}`, 'Hello Lene'],
    ['base64 with charset', `data:text/html;charset=utf-8;base64,${Buffer.from('<b>ß</b>').toString('base64')}`, '<b>ß</b>'],
    ['percent-encoded UTF-8', 'data:text/plain;charset=utf-8,gr%C3%BC%C3%9Fe+%F0%9F%98%80', 'grüße 😀'],
    ['no media type', 'data:,plain+text', 'plain text'],
    ['stray percent kept', 'data:text/plain,100%+sure', '100% sure'],
    ['bare CR and CRLF normalised', 'data:text/plain,a%0db%0d%0ac', 'a\nb\nc'],
    ['raw (unencoded) UTF-8 characters', 'data:text/plain;charset=utf-8,héllo+wörld', 'héllo wörld'],
    ['uppercase scheme and base64 percent-encoded', `DATA:text/plain;base64,${encodeURIComponent(Buffer.from('a+b/c?').toString('base64'))}`, 'a+b/c?'],
  ];
  for (const [name, href, text] of table) {
    it(`should decode ${name}`, () => assert.equal(decodeDataUri(href).text, text));
  }

  it('should report the media type', () => {
    assert.equal(decodeDataUri('data:text/html;base64,PGI+').mediaType, 'text/html');
    assert.equal(decodeDataUri('data:,x').mediaType, 'text/plain');
  });

  it('should reject values that are not data URIs, naming the problem', () => {
    assert.throws(() => decodeDataUri('https://x/y'), /Not a data: URI/);
    assert.throws(() => decodeDataUri('data:text/plain'), /no comma/);
    assert.throws(() => decodeDataUri('data:text/plain;charset=klingon,x'), /charset/);
  });

  it('should round-trip through both encoders', () => {
    for (const text of ['Hello Lene', 'a+b = c & d?', 'line1\nline2', 'emoji 😀 and ü', '100% sure', '']) {
      assert.equal(decodeDataUri(encodeDataUri(text)).text, text);
      assert.equal(decodeDataUri(encodeDataUriBase64(text)).text, text);
    }
  });

  it('should encode form-style with + for spaces, as the walk-through shows', () => {
    assert.equal(encodeDataUri('Hello Lene'), 'data:text/plain;charset=utf-8,Hello+Lene');
  });
});
