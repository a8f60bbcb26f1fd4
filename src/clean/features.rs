//! What a single line looks like on its own: its length in words, whether it reads as prose,
//! whether it is a list item or an image placeholder. No context is used here.

/// Characters that open a list item in a plain-text dump (w3m prints `•` and `□` for `<li>`).
pub(super) const BULLETS: &[char] = &['•', '□', '◦', '▪', '●', '○', '·', '*', '‣', '⁃', '–', '-', '■', '◆', '►', '▸'];

/// Characters a sentence (or a quoted sentence) ends with, in Latin and CJK scripts.
const SENTENCE_ENDS: &[char] = &['.', '!', '?', '…', '"', '”', '’', '»', ')', '。', '！', '？', '」', '』'];

/// A paragraph needs this many words to count as prose on its own.
pub(super) const GOOD_WORDS: usize = 10;

/// Past this many words a line is prose even without a sentence end (long captions aside, few
/// menus or teasers run this long).
const LONG_WORDS: usize = 25;

/// Words of at most this many letters count as short (function) words: "the", "of", "with",
/// "from", "und", "les", "для".
const SHORT_WORD_LETTERS: usize = 4;

/// Prose has at least this share of short words; titles, menus and lists of names have fewer.
const MIN_SHORT_WORD_SHARE: f64 = 0.25;

/// A shorter line ending a sentence needs this many words to count as nearly prose.
const NEAR_WORDS: usize = 6;

/// The class of a line on its own, before its neighbours are looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Class {
    /// Prose: long enough, ends a sentence, has function words.
    Good,
    /// A shorter sentence: content when it sits next to prose.
    Near,
    /// A short line: a heading, a date, a byline, or a menu entry.
    Short,
    /// A bulleted list item that is short (menus, link lists).
    Menu,
    /// A line that is wholly in brackets: an image placeholder, a form button.
    Bracketed,
    /// A line with no letters or digits.
    NoWords,
    /// A line an earlier rule already dropped (a repeated block, site chrome, a user rule).
    Dropped,
}

/// Measures of a line. `words` counts `\w+` runs; for CJK text, which has no spaces, a run of
/// about six characters counts as a word, so that a Japanese paragraph weighs like an English one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Features {
    pub(super) words: usize,
    /// Share of words of at most [`SHORT_WORD_LETTERS`] letters: a cheap, language-blind stand-in for jusText's
    /// stop-word density. Menus and titles have few such words, prose has many.
    pub(super) short_word_share: f64,
    pub(super) bullet: bool,
    pub(super) bracketed: bool,
    pub(super) sentence_end: bool,
    pub(super) ellipsis: bool,
    /// Ends with a colon: a line that announces what follows.
    pub(super) colon: bool,
}

impl Features {
    /// Whether the line has the function words of prose: a share of short words of at least
    /// [`MIN_SHORT_WORD_SHARE`], or none at all (CJK text, one long token; lists of names too,
    /// which other tests catch). A few short words in a long line is the mark of a title or a
    /// link list.
    pub(super) fn reads_as_prose(&self) -> bool {
        self.short_word_share == 0.0 || self.short_word_share >= MIN_SHORT_WORD_SHARE
    }
}

/// Measures `line`, which is already trimmed.
pub(super) fn features(line: &str) -> Features {
    let mut tokens = 0usize;
    let mut short_tokens = 0usize;
    let mut alnum = 0usize;
    let mut cjk = false;
    let mut run = 0usize;
    let mut run_digits = true;
    let mut close_run = |run: &mut usize, digits: &mut bool| {
        if *run > 0 {
            tokens += 1;
            if *run <= SHORT_WORD_LETTERS && !*digits {
                short_tokens += 1;
            }
        }
        *run = 0;
        *digits = true;
    };
    for c in line.chars() {
        let class = super::fold::class_of(c);
        let alphanumeric = class.is_alphanumeric();
        if alphanumeric || c == '_' {
            run += 1;
            run_digits &= class == super::fold::Class::Numeric;
            alnum += usize::from(alphanumeric);
            cjk |= c >= '\u{2e80}';
        } else {
            close_run(&mut run, &mut run_digits);
        }
    }
    close_run(&mut run, &mut run_digits);
    let words = if cjk { tokens.max(alnum / 6) } else { tokens };
    let mut chars = line.chars();
    let first = chars.next();
    let second = chars.next();
    Features {
        words,
        // CJK text has no spaces: its runs are clauses, not words, and say nothing of function words.
        short_word_share: if tokens == 0 || cjk { 0.0 } else { short_tokens as f64 / tokens as f64 },
        bullet: first.is_some_and(|c| BULLETS.contains(&c)) && second.is_none_or(char::is_whitespace),
        bracketed: line.starts_with('[') && line.ends_with(']'),
        sentence_end: line.ends_with(SENTENCE_ENDS),
        ellipsis: line.ends_with("...") || line.ends_with('…'),
        colon: line.ends_with(':'),
    }
}

/// Classifies a line from its measures alone.
pub(super) fn classify(f: &Features) -> Class {
    if f.words == 0 {
        return Class::NoWords;
    }
    if f.bracketed {
        return Class::Bracketed;
    }
    if f.bullet {
        // A long bulleted line is a list item inside an article more often than a menu entry.
        return if f.words < GOOD_WORDS + 2 { Class::Menu } else { Class::Near };
    }
    // A sentence that announces what follows ("… you will enjoy these benefits:") ends in a
    // colon; a short label ("Tags:", "Share this:") has too few words to be prose anyway.
    let ends_clause = f.sentence_end || f.colon;
    if f.words >= GOOD_WORDS && (ends_clause || f.words >= LONG_WORDS) && f.reads_as_prose() {
        return Class::Good;
    }
    if f.ellipsis {
        // A cut-off line is a teaser of another page.
        return Class::Short;
    }
    if f.words >= NEAR_WORDS && f.sentence_end {
        return Class::Near;
    }
    Class::Short
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(line: &str) -> Class {
        classify(&features(line))
    }

    #[test]
    fn prose_is_good() {
        assert_eq!(
            class("The council voted on Tuesday to close the old bridge to all traffic by spring."),
            Class::Good
        );
    }

    #[test]
    fn menu_items_and_placeholders() {
        assert_eq!(class("• Sports"), Class::Menu);
        assert_eq!(class("[hero-image-800x600]"), Class::Bracketed);
        assert_eq!(class("| — |"), Class::NoWords);
        assert_eq!(class("Conclusion"), Class::Short);
    }

    #[test]
    fn cjk_paragraphs_weigh_like_prose() {
        let line = "先日、不正に改造した端末を販売したとして、商標法違反の疑いで男性が逮捕されたというニュースを耳にしました。報道によると、販売されたのは機能制限を解除した端末です。";
        assert_eq!(class(line), Class::Good);
    }

    #[test]
    fn a_sentence_announcing_a_list_is_prose() {
        assert_eq!(class("Since the move, the owners of the small bakery have noticed three things:"), Class::Good);
        assert_eq!(class("Share this:"), Class::Short);
    }

    #[test]
    fn teasers_cut_short_are_not_sentences() {
        assert_eq!(class("Ministers promise a new plan for the harbour..."), Class::Short);
    }
}
