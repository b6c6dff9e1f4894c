import { strict as assert } from 'node:assert';
import { decodeEntities, htmlToText } from '../../../src/ucwa/html-to-text.js';

describe('htmlToText', () => {
  const table: [string, string, string][] = [
    ['plain text', 'hello', 'hello'],
    ['bold and spans', '<span style="x"><b>Hi</b> <i>there</i></span>', 'Hi there'],
    ['line breaks', 'a<br>b<br/>c', 'a\nb\nc'],
    ['paragraphs', '<p>one</p><p>two</p>', 'one\n\ntwo'],
    ['divs', '<div>one</div><div>two</div>', 'one\ntwo'],
    ['unordered list', '<ul><li>a</li><li>b</li></ul>', '- a\n- b'],
    ['ordered list', 'Steps:<ol><li>one</li><li>two</li></ol>done', 'Steps:\n1. one\n2. two\ndone'],
    ['link with a label keeps its target', 'see <a href="https://contoso.com/x?a=1&amp;b=2">the docs</a>', 'see the docs (https://contoso.com/x?a=1&b=2)'],
    ['link whose label is the URL', '<a href="https://contoso.com">https://contoso.com</a>', 'https://contoso.com'],
    ['mailto link', '<a href="mailto:a@b.c">a@b.c</a>', 'a@b.c'],
    ['entities', 'a &lt; b &amp;&amp; c &gt; d &quot;q&quot; &#39;s&#39; &#x1F600; &nbsp;x', 'a < b && c > d "q" \'s\' 😀  x'],
    ['scripts and styles dropped', '<style>p{}</style><script>alert(1)</script>ok', 'ok'],
    ['comments dropped', 'a<!-- hidden -->b', 'ab'],
    ['whitespace collapsed', '<p>  many\n   spaces  </p>', 'many spaces'],
    ['lone < kept', '1 < 2', '1 < 2'],
  ];
  for (const [name, html, text] of table) {
    it(`should convert ${name}`, () => assert.equal(htmlToText(html), text));
  }

  it('should keep unknown entities verbatim', () => {
    assert.equal(decodeEntities('&bogus; &amp;'), '&bogus; &');
  });
});

describe('htmlToText inside <pre>', () => {
  it('should keep line breaks and indentation of preformatted text', () => {
    assert.equal(htmlToText('<p>Log:</p><pre>line 1\n  indented\n\tTabbed</pre><p>end</p>'), 'Log:\nline 1\n  indented\n\tTabbed\n\nend');
  });
});
