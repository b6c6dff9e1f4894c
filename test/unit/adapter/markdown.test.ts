import assert from 'node:assert/strict';
import { escapeMarkdown, renderMarkdown } from '../../../src/adapter/markdown.js';

describe('renderMarkdown', () => {
  const table: Array<[string, string, string, string]> = [
    // [case, markdown, html, plain]
    ['plain prose', 'hello there', '<p>hello there</p>', 'hello there'],
    ['bold', 'a **b** c', '<p>a <b>b</b> c</p>', 'a b c'],
    ['bold with underscores', '__b__', '<p><b>b</b></p>', 'b'],
    ['italics', '*i* and _j_', '<p><i>i</i> and <i>j</i></p>', 'i and j'],
    ['nested', '**bold _and italic_**', '<p><b>bold <i>and italic</i></b></p>', 'bold and italic'],
    ['code span keeps markup literal', 'run `a **b** <c>`', '<p>run <code>a **b** &lt;c&gt;</code></p>', 'run a **b** <c>'],
    ['link', '[docs](https://x.test/a?b=1&c=2)', '<p><a href="https://x.test/a?b=1&amp;c=2">docs</a></p>', 'docs (https://x.test/a?b=1&c=2)'],
    ['link whose text is the url', '[https://x.test](https://x.test)', '<p><a href="https://x.test">https://x.test</a></p>', 'https://x.test'],
    ['autolink', '<https://x.test/p>', '<p><a href="https://x.test/p">https://x.test/p</a></p>', 'https://x.test/p'],
    ['url with parentheses', '[w](https://w.test/A_(b))', '<p><a href="https://w.test/A_(b)">w</a></p>', 'w (https://w.test/A_(b))'],
    ['javascript: link becomes text', '[click](javascript:alert(1))', '<p>click</p>', 'click'],
    ['unordered list', '- one\n* two\n+ three', '<ul><li>one</li><li>two</li><li>three</li></ul>', '- one\n- two\n- three'],
    ['ordered list', '1. a\n2. b', '<ol><li>a</li><li>b</li></ol>', '1. a\n2. b'],
    ['ordered list not starting at 1', '3. c\n4. d', '<p>3. c<br>4. d</p>', '3. c\n4. d'],
    ['list continuation line', '- one\n  more', '<ul><li>one more</li></ul>', '- one more'],
    ['paragraphs and line breaks', 'a\nb\n\nc', '<p>a<br>b</p><p>c</p>', 'a\nb\n\nc'],
    ['heading', '## Status', '<p><b>Status</b></p>', 'Status'],
    ['fenced code', '```\nx < 1\n  y\n```', '<pre><code>x &lt; 1\n  y</code></pre>', 'x < 1\n  y'],
    ['html is escaped, not interpreted', '<b>x</b> & <script>', '<p>&lt;b&gt;x&lt;/b&gt; &amp; &lt;script&gt;</p>', '<b>x</b> & <script>'],
    ['snake_case stays', 'snake_case_name', '<p>snake_case_name</p>', 'snake_case_name'],
    ['lone stars stay', 'a * b', '<p>a * b</p>', 'a * b'],
    ['backslash escapes', '\\*not\\* \\[x\\]', '<p>*not* [x]</p>', '*not* [x]'],
    ['unclosed markers stay', '**open and `tick', '<p>**open and `tick</p>', '**open and `tick'],
    ['CRLF normalised', 'a\r\nb', '<p>a<br>b</p>', 'a\nb'],
  ];
  for (const [name, markdown, html, plain] of table) {
    it(`should render ${name}`, () => {
      const out = renderMarkdown(markdown);
      assert.equal(out.html, html);
      assert.equal(out.plain, plain);
    });
  }

  it('should report hasMarkup only when formatting was used', () => {
    assert.equal(renderMarkdown('just words\nand lines').hasMarkup, false);
    assert.equal(renderMarkdown('a **b**').hasMarkup, true);
    assert.equal(renderMarkdown('- item').hasMarkup, true);
    assert.equal(renderMarkdown('a * b').hasMarkup, false);
  });
});

describe('escapeMarkdown', () => {
  for (const literal of ['*a* _b_ `c` [d](e)', '# not a heading', '- not a list', '1. not a list', '```', 'x <y> \\ z']) {
    it(`should keep ${JSON.stringify(literal)} literal through renderMarkdown`, () => {
      const out = renderMarkdown(escapeMarkdown(literal));
      assert.equal(out.plain, literal);
      assert.equal(out.hasMarkup, false);
    });
  }
});
