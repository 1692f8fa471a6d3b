// A result read as a book: one entry per original sentence with its short pieces, and the
// chapters (from the result's `chapters`, or from the sentences' `chapter` numbers alone).

/**
 * The original sentences in reading order, each with the short sentences made from it:
 * `{ number, original, page, chapter, rewritten, overLimit, pieces: [sentence, …] }`.
 * Consecutive rewritten sentences with the same original are the pieces of one sentence.
 */
export function groupSentences(sentences) {
  const groups = [];
  let last = null;
  for (const sentence of sentences) {
    const chapter = sentence.chapter ?? 0;
    const joins =
      last !== null &&
      last.rewritten &&
      sentence.rewritten &&
      sentence.original === last.original &&
      chapter === last.chapter;
    if (joins) {
      last.pieces.push(sentence);
      last.overLimit ||= Boolean(sentence.over_limit);
      continue;
    }
    last = {
      number: groups.length + 1,
      original: sentence.original,
      page: sentence.page,
      chapter,
      rewritten: Boolean(sentence.rewritten),
      overLimit: Boolean(sentence.over_limit),
      pieces: [sentence],
    };
    groups.push(last);
  }
  return groups;
}

/** The chapters to offer in the menu: `{ index, title, part }`, in reading order. */
export function chapterList(sentences, chapters) {
  if (chapters && chapters.length) {
    return chapters.map((c) => ({ index: c.index, title: c.title ?? "", part: c.part ?? "" }));
  }
  const seen = new Set(sentences.map((s) => s.chapter ?? 0).filter((n) => n > 0));
  return [...seen].map((index) => ({ index, title: "", part: "" }));
}

/** The position in `groups` of the first group of `chapter` or of a later one; -1 if none. */
export function firstOfChapter(groups, chapter) {
  return groups.findIndex((g) => g.chapter >= chapter);
}
