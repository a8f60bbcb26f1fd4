//! Splitting a cleaned page into its articles: title, date, and body with its subheadings.

mod heading;

use time::Date;

use crate::clean::Cleaned;
use crate::date::parse_date_line;

/// How a page is split.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Split {
    /// Find the articles on the page.
    #[default]
    Auto,
    /// Keep the whole page as one document.
    None,
}

/// One article found on a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// The headline, when the article has one.
    pub title: Option<String>,
    /// The article's date: its own date line, else the page's date.
    pub date: Option<Date>,
    /// The body: paragraphs and subheadings, one per line, separated by blank lines.
    pub body: String,
}

/// Splits a cleaned page into articles. Articles with no body are dropped.
pub fn segment(page: &Cleaned, split: Split) -> Vec<Article> {
    let blocks: Vec<&str> = page.kept().map(|l| l.text.as_str()).collect();
    let dates: Vec<Option<Date>> = blocks.iter().map(|b| parse_date_line(b, page.fetched_at)).collect();
    let starts = match split {
        Split::None => vec![0],
        Split::Auto => heading::article_starts(&blocks, &dates),
    };
    let mut articles = Vec::new();
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(blocks.len());
        if let Some(article) = build(&blocks[start..end], &dates[start..end], page.page_date) {
            articles.push(article);
        }
    }
    articles
}

/// Builds one article from its blocks: a heading-shaped first block is the title, and a date
/// line right under it (or first) is the date.
fn build(blocks: &[&str], dates: &[Option<Date>], page_date: Option<Date>) -> Option<Article> {
    let mut i = 0;
    let mut title = None;
    let mut date = None;
    if dates.first().copied().flatten().is_some() {
        date = dates[0];
        i = 1;
    }
    if blocks.len() > i + 1 && heading::looks_like_heading(blocks[i]) {
        title = Some(blocks[i].to_owned());
        i += 1;
    }
    if date.is_none() {
        if let Some(d) = dates.get(i).copied().flatten() {
            date = Some(d);
            i += 1;
        }
    }
    let body = blocks[i..].join("\n\n");
    if body.is_empty() {
        return None;
    }
    Some(Article { title, date: date.or(page_date), body })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clean::clean;

    #[test]
    fn split_none_keeps_one_document() {
        let page = clean("Title One\n\nA paragraph of text that runs on.\n\nTitle Two\n\nMore text here.\n", None);
        assert_eq!(segment(&page, Split::None).len(), 1);
    }
}
