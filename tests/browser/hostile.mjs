// Writes the hostile corpus of the viewer test: node hostile.mjs DIR
// -> DIR/hostile.jsonl (articles) and DIR/hostile-annotations.jsonl (byte offsets).
// Every field a page could show carries markup that would run script if it were
// ever parsed as HTML; the test asserts that none of it runs.
import fs from 'node:fs';
import path from 'node:path';

export const SCRIPT = '<script>window.__pwned=1</script>';
export const IMG = '<img src=x onerror="window.__pwned=2">';
export const HOSTILE_ID = `hostile/${SCRIPT}${IMG}`;
export const HOSTILE_TITLE = `Title ${SCRIPT}${IMG}`;
export const LABEL = '<b onmouseover="window.__pwned=3">label</b>';
export const EMOJI_ID = 'plain/emoji-offsets';

export const PAGE = [
  '<!doctype html>',
  '<html><head><title>hostile</title></head><body>',
  '<h1>Hostile page</h1>',
  `${SCRIPT}`,
  '<script>alert("pwned")</script>',
  `${IMG}`,
  '<p onclick="window.__pwned=4">A plain paragraph.</p>',
  '</body></html>',
  '',
].join('\n');

// Code points outside the BMP before the span: byte, code point and UTF-16 offsets all differ.
const emojiText = 'Emoji 😀🎉 first, then the word TARGET, then é.\n';

function byteSpan(text, needle) {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`no ${needle}`);
  const start = Buffer.byteLength(text.slice(0, i), 'utf8');
  return { start, end: start + Buffer.byteLength(needle, 'utf8') };
}

export function write(dir) {
  const articles = [
    {
      id: HOSTILE_ID, title: HOSTILE_TITLE, text: PAGE, media_type: 'text/html',
      source: `src${IMG}`, lang: 'en', lang_notes: [SCRIPT], url: 'javascript:window.__pwned=5',
      date: '2024-05-01', meta: { note: IMG },
    },
    { id: EMOJI_ID, title: 'Offsets past astral code points', text: emojiText, media_type: 'text/plain', lang: 'en', date: '2024-05-02' },
  ];
  const annotations = [
    {
      id: HOSTILE_ID,
      layers: [{
        name: `evil${IMG}`, producer: SCRIPT,
        spans: [{ type: 'entity', ...byteSpan(PAGE, 'Hostile page'), label: LABEL, attrs: { note: SCRIPT } }],
      }],
    },
    {
      id: EMOJI_ID,
      layers: [{ name: 'ner', producer: 'test', spans: [{ type: 'entity', ...byteSpan(emojiText, 'TARGET'), label: 'MISC' }] }],
    },
  ];
  const lines = (xs) => xs.map((x) => JSON.stringify(x)).join('\n') + '\n';
  fs.writeFileSync(path.join(dir, 'hostile.jsonl'), lines(articles));
  fs.writeFileSync(path.join(dir, 'hostile-annotations.jsonl'), lines(annotations));
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  write(process.argv[2] || '.');
}
