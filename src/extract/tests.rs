use super::*;

#[test]
fn chrome_is_left_out_and_structure_kept() {
    let page = r##"<!doctype html><html><head><title>T</title><script>var x = 1;</script></head><body>
        <nav><a href="/">Home</a> <a href="/news">News</a></nav>
        <header class="site-header"><a href="/">The Daily Example</a></header>
        <div class="content"><h1>A Headline Worth Reading</h1>
        <div class="byline">By A. Writer <time datetime="2024-05-03T10:00:00Z">3 May</time></div>
        <p>The first paragraph of the story, with commas, clauses, and enough words to count as prose.</p>
        <h2>A Subheading</h2>
        <p>The second paragraph, <a href="/x">with a link</a> inside it, goes on for a while longer too.</p>
        <ul><li>First point of a list, which is content.</li><li>Second point of the list, also content.</li></ul>
        <div class="share-buttons"><a href="#">Share on Facebook</a></div>
        </div>
        <aside class="related"><p>Related: another story you may like, with its own teaser text.</p></aside>
        <footer>Copyright 2024 The Daily Example</footer></body></html>"##;
    let text = extract(page);
    let lines: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(
        lines,
        [
            "A Headline Worth Reading",
            "2024-05-03",
            "The first paragraph of the story, with commas, clauses, and enough words to count as prose.",
            "A Subheading",
            "The second paragraph, with a link inside it, goes on for a while longer too.",
            "First point of a list, which is content.",
            "Second point of the list, also content.",
        ]
    );
}

#[test]
fn several_articles_come_out_with_their_titles_and_dates() {
    let post = |n: u32| {
        format!(
            r#"<article><h2><a href="/p{n}">Post number {n} title</a></h2><time datetime="2024-01-0{n}">Jan {n}</time>
            <p>Post {n} begins here, and its text runs on with commas, clauses, and a good many words.</p>
            <p>Post {n} continues, adding a second paragraph so that it is plainly an article of its own.</p>
            <p>Post {n} ends with a third paragraph, so that nobody could take it for a teaser card.</p>
            <p>Post {n} has a fourth paragraph too, since a page of posts holds whole posts, not blurbs.</p></article>"#
        )
    };
    let page = format!("<html><body><main>{}{}{}</main></body></html>", post(1), post(2), post(3));
    let text = extract(&page);
    let lines: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 18, "{text}");
    assert_eq!(lines[0], "Post number 1 title");
    assert_eq!(lines[1], "2024-01-01");
    assert_eq!(lines[6], "Post number 2 title");
    assert_eq!(lines[7], "2024-01-02");
}

#[test]
fn item_prop_article_body_wins() {
    let page = r#"<html><body><div class="x"><p>Teaser text that is long enough to be scored as a paragraph, with commas, many.</p>
        <p>More teaser text that is long enough to be scored as a paragraph, with commas, many, more.</p></div>
        <div itemprop="articleBody"><p>The real body of the article, which the page marks up as such for machines to find.</p>
        <p>A second paragraph of the real body, with more words so that it passes the length bar easily.</p>
        <p>A third paragraph of the real body, because the bar is two hundred and fifty characters long.</p>
        <p>A fourth paragraph of the real body, since white space does not count towards that bar at all.</p></div>
        </body></html>"#;
    let text = extract(page);
    assert!(text.starts_with("The real body"), "{text}");
    assert!(!text.contains("Teaser"), "{text}");
}

#[test]
fn empty_and_odd_pages_do_not_panic() {
    assert_eq!(extract("").trim(), "");
    assert_eq!(extract("<html><body></body></html>").trim(), "");
    let deep = "<div>".repeat(20_000) + "deep text" + &"</div>".repeat(20_000);
    assert!(extract(&deep).contains("deep text"));
}

fn story_paragraphs() -> String {
    (1..=4)
        .map(|n| format!("<p>Paragraph {n} of the story, with commas, clauses, and words enough to read as prose.</p>"))
        .collect()
}

fn menu() -> String {
    let links: String = (1..=12).map(|n| format!("<li><a href=\"/s{n}\">Section {n}</a></li>")).collect();
    format!("<ul>{links}</ul>")
}

#[test]
fn a_page_wrapped_in_a_form_keeps_its_article() {
    let page = format!(
        "<html><body><form id=\"aspnet\"><div>{}</div><article><h1>Headline</h1>{}</article></form></body></html>",
        menu(),
        story_paragraphs()
    );
    let text = extract(&page);
    assert!(text.contains("Paragraph 4 of the story"), "{text}");
}

#[test]
fn a_wrapper_named_for_its_sidebar_is_not_a_sidebar() {
    let page = format!(
        "<html><body><div class=\"page with-sidebar\"><div class=\"story\"><h1>Headline</h1>{}</div>\
         <div class=\"sidebar\">{}</div></div></body></html>",
        story_paragraphs(),
        menu()
    );
    let text = extract(&page);
    assert!(text.contains("Paragraph 1 of the story") && !text.contains("Section 3"), "{text}");
}

#[test]
fn script_text_does_not_make_an_ad_wrapper_look_small() {
    let script = format!("<script>{}</script>", "var x = 'lots of script text';".repeat(500));
    let page = format!(
        "<html><head>{script}</head><body><div class=\"page-ad-margins\"><main>{}</main></div></body></html>",
        story_paragraphs()
    );
    assert!(extract(&page).contains("Paragraph 2 of the story"));
}

#[test]
fn bare_text_beside_a_menu_is_found() {
    let page = format!(
        "<html><body><div class=\"row\"><div class=\"col\">{}</div><div class=\"col\">\
         First line of bare text in a div, with commas, clauses, and words enough to count.<br><br>\
         Second line of bare text in the same div, which a news system printed without paragraphs.\
         </div></div><div class=\"footer-address\">Street 1, Town</div></body></html>",
        menu()
    );
    let text = extract(&page);
    assert!(text.contains("Second line of bare text"), "{text}");
}

#[test]
fn table_rows_are_lines_and_cells_stay_together() {
    let page = "<html><body><table><tr><th>Pos.</th><th>Driver</th><th>Points</th></tr>\
                <tr><td>1</td><td>A. Driver</td><td>5040</td></tr><tr><td>2</td><td>B. Driver</td><td>5035</td></tr>\
                </table></body></html>";
    let text = extract(page);
    let lines: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(lines, ["Pos. Driver Points", "1 A. Driver 5040", "2 B. Driver 5035"]);
}

/// Regression: html5ever's checks of its open elements made 100,000 nested `<div>`s take
/// 18.6 s; the markup is bounded before parsing.
#[test]
fn a_hundred_thousand_nested_divs_parse_quickly() {
    let page = format!(
        "<html><body><p>Text before the nesting, kept as it was written.</p>{}Text deep inside.{}\
         <p>Text after the nesting, kept as well.</p></body></html>",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    let started = std::time::Instant::now();
    let extracted = extract_page(&page);
    assert!(started.elapsed().as_secs() < 10, "took {:?}", started.elapsed());
    assert!(extracted.bounded);
    for words in ["Text before the nesting", "Text deep inside.", "Text after the nesting"] {
        assert!(extracted.text.contains(words), "{words}: {}", extracted.text);
    }
}

/// Regression: 500,000 attributes on one tag took 67 s (each checked against the others).
#[test]
fn half_a_million_attributes_parse_quickly() {
    let attributes: String = (0..500_000).map(|n| format!(" data-a{n}=\"{n}\"")).collect();
    let page = format!(
        "<html><body><p>Text before the tag, kept as it was written.</p><div{attributes}>Text inside the tag.</div>\
         <p>Text after the tag, kept as well.</p></body></html>"
    );
    let started = std::time::Instant::now();
    let extracted = extract_page(&page);
    assert!(started.elapsed().as_secs() < 10, "took {:?}", started.elapsed());
    assert!(extracted.bounded);
    for words in ["Text before the tag", "Text inside the tag.", "Text after the tag"] {
        assert!(extracted.text.contains(words), "{words}: {}", extracted.text);
    }
}

#[test]
fn a_grid_of_products_is_the_content_of_a_collection_page() {
    let card = |n: u32| {
        format!(
            "<li class=\"product-card product-card--{n}\"><a href=\"/p/{n}\"><h3>Trail Runner Model {n} Shoe</h3></a>\
             <span class=\"price\">${n}9.95</span><a href=\"/p/{n}#reviews\">{n} reviews, 4.{n} stars</a></li>"
        )
    };
    let cards: String = (1..=8).map(card).collect();
    let page = format!(
        "<html><body><nav>{}</nav><h1>Running Shoes</h1>\
         <div class=\"promo-box\"><p>Get a gift card, when approved for the store's card; terms, limits, and conditions apply.</p></div>\
         <ul class=\"grid\">{cards}</ul><footer>Copyright</footer></body></html>",
        menu()
    );
    let text = extract(&page);
    for n in [1, 5, 8] {
        assert!(text.contains(&format!("Trail Runner Model {n} Shoe")), "{text}");
    }
    assert!(text.contains("Running Shoes") && !text.contains("Section 3"), "{text}");
}

#[test]
fn sibling_sections_of_a_service_page_are_all_content() {
    let section = |name: &str| {
        format!(
            "<section class=\"block\"><h2>{name}</h2><p>{name} is a service we offer to clients, with care, \
             attention, and a plan agreed before work starts; prices are fixed.</p></section>"
        )
    };
    let page = format!(
        "<html><body><nav>{}</nav><main><div class=\"page\"><div class=\"intro\"><h1>Our Services</h1>\
         <p>We help small firms with their books, their taxes, and their payroll, and have done so for years, \
         for clients large and small, near and far, with the same care.</p></div>{}{}{}</div></main></body></html>",
        menu(),
        section("Bookkeeping"),
        section("Tax returns"),
        section("Payroll")
    );
    let text = extract(&page);
    for name in ["We help small firms", "Bookkeeping is a service", "Payroll is a service"] {
        assert!(text.contains(name), "{name}: {text}");
    }
}

#[test]
fn replies_are_the_content_of_a_forum_thread() {
    let reply = |n: u32| {
        format!(
            "<li class=\"comment\"><div class=\"comment-author\">user{n}</div><div class=\"comment-body\">\
             <p>Reply {n}: I tried this on my own setup, and it worked, though only after a restart and a fresh \
             install of the driver, which took a while.</p></div></li>"
        )
    };
    let replies: String = (1..=5).map(reply).collect();
    let page = format!(
        "<html><body><nav>{}</nav><div class=\"thread\"><h1>Driver will not load</h1>\
         <p>Since the update, the driver will not load at boot; has anyone seen this?</p>\
         <ol class=\"comments\">{replies}</ol></div></body></html>",
        menu()
    );
    let text = extract(&page);
    for n in [1, 3, 5] {
        assert!(text.contains(&format!("Reply {n}: I tried")), "{text}");
    }
}

#[test]
fn a_forum_thread_under_a_long_cookie_dialog_keeps_its_replies() {
    // The dialog's text outweighs the thread, but it is chrome: the replies are measured
    // against what stays of the page.
    let reply = |n: u32| {
        format!(
            "<article class=\"post comment-item\"><div class=\"comment-content\"><p>Reply {n}: the same \
             happened to me, and a firmware update from the maker's site, then a reboot, fixed it.</p></div></article>"
        )
    };
    let replies: String = (1..=3).map(reply).collect();
    let purpose = |n: u32| {
        format!(
            "<p>Purpose {n}: these technologies help us understand how the site is used, measure the reach \
             of campaigns, remember your choices, and show you content that suits your interests.</p>"
        )
    };
    let purposes: String = (1..=12).map(purpose).collect();
    let page = format!(
        "<html><body><nav>{}</nav><main><h1>Fan stops after sleep</h1><div id=\"comments\">{replies}</div></main>\
         <div id=\"consent\"><div role=\"dialog\" aria-modal=\"true\">{purposes}</div></div></body></html>",
        menu()
    );
    let text = extract(&page);
    for n in [1, 2, 3] {
        assert!(text.contains(&format!("Reply {n}: the same")), "{text}");
    }
    assert!(!text.contains("Purpose 1"), "{text}");
}

#[test]
fn labels_repeated_on_every_item_are_left_out() {
    let card = |n: u32| {
        format!(
            "<li class=\"card\"><h3><a href=\"/p/{n}\">Ceramic Pour-Over Coffee Dripper No. {n}</a></h3>\
             <p>${n}4.00</p><p>Add to cart</p></li>"
        )
    };
    let cards: String = (1..=6).map(card).collect();
    let page = format!("<html><body><h1>Coffee Gear</h1><ul class=\"grid\">{cards}</ul></body></html>");
    let text = extract(&page);
    assert!(text.contains("Coffee Dripper No. 4") && text.contains("$44.00"), "{text}");
    assert!(!text.contains("Add to cart"), "{text}");
}

fn lines(text: &str) -> Vec<&str> {
    text.lines().filter(|l| !l.is_empty()).collect()
}

fn prose(n: u32, words: &str) -> String {
    format!("<p>{words} paragraph {n}, with commas, clauses, and enough words to be read as prose by anyone.</p>")
}

#[test]
fn a_grid_inside_a_link_dense_wrapper_is_rendered() {
    // Every card's text is a link, so the grid's wrappers are link-dense too.
    let card = |n: u32| {
        format!(
            "<div class=\"col\"><a href=\"/p/{n}\">Height Adjustable Standing Desk Model {n}</a><p>${n}99</p></div>"
        )
    };
    let cards: String = (1..=8).map(card).collect();
    let page = format!(
        "<html><body><nav>{}</nav><main><h1>Standing desks</h1><div class=\"wrap\"><div class=\"grid\">{cards}</div></div>\
         </main></body></html>",
        menu()
    );
    let text = extract(&page);
    assert!(text.contains("Standing Desk Model 1") && text.contains("Standing Desk Model 8"), "{text}");
}

#[test]
fn a_chrome_word_inside_a_run_together_name_does_not_drop_prose() {
    let page = format!(
        "<html><body><main><h1>Casual sneakers</h1><div class=\"field-seofootercopy\">{}{}{}{}</div></main>\
         <footer>{}</footer></body></html>",
        prose(1, "Sneaker"),
        prose(2, "Sneaker"),
        prose(3, "Sneaker"),
        prose(4, "Sneaker"),
        menu()
    );
    let text = extract(&page);
    assert!(text.contains("Sneaker paragraph 1") && text.contains("Sneaker paragraph 4"), "{text}");
}

#[test]
fn weak_chrome_words_keep_headings_and_the_parts_of_cards() {
    // "caption" and "widget" name parts of each card; "caption" also styles the headings.
    let card = |n: u32| {
        format!(
            "<div class=\"elementor-element elementor-widget\"><h3 class=\"text-caption\">Trail number {n}</h3>\
             <div class=\"caption\">Difficulty: beginner. Length: {n} miles. Steward: a volunteer.</div></div>"
        )
    };
    let cards: String = (1..=6).map(card).collect();
    let page = format!("<html><body><h1>Trails</h1><div class=\"trails\">{cards}</div></body></html>");
    let text = extract(&page);
    assert!(text.contains("Trail number 2") && text.contains("Length: 6 miles"), "{text}");
}

#[test]
fn teaser_articles_at_the_foot_of_a_page_are_no_page_of_posts() {
    let teaser = |n: u32| {
        format!(
            "<article><h3><a href=\"/news/{n}\">News item {n} about the department</a></h3><p>A short excerpt of news \
             item {n}, which says what happened and where, in a sentence or two, with a link.</p></article>"
        )
    };
    let sections: String = (1..=6)
        .map(|n| format!("<section><h2>Section {n}</h2>{}{}</section>", prose(n, "Program"), prose(n + 10, "Program")))
        .collect();
    let page = format!(
        "<html><body><main><h1>Master of Accounting</h1>{sections}<div class=\"news\">{}{}{}</div></main></body></html>",
        teaser(1),
        teaser(2),
        teaser(3)
    );
    let text = extract(&page);
    assert!(text.contains("Program paragraph 1") && text.contains("Program paragraph 16"), "{text}");
}

#[test]
fn code_commas_do_not_make_code_the_content() {
    let code = "<div class=\"highlight\"><pre>def f(a, b, c, d, e, f, g, h):\n    return g(a, b, c, d, e, f, g, h, i, j, k)</pre></div>";
    let entry = |n: u32| format!("<dl><dt>function_{n}(a, b)</dt><dd>{}{code}</dd></dl>", prose(n, "Reference"));
    let entries: String = (1..=5).map(entry).collect();
    let page =
        format!("<html><body><div class=\"body\"><section><h1>The module</h1>{entries}</section></div></body></html>");
    let text = extract(&page);
    assert!(text.contains("Reference paragraph 1") && text.contains("Reference paragraph 5"), "{text}");
}

#[test]
fn blocks_holding_most_of_their_ancestor_bring_its_lists_along() {
    let page = format!(
        "<html><body><nav>{}</nav><article class=\"prose\"><div class=\"lead\">{}</div>{}\
         <ol><li>Get the desktop application, then sign in with your account.</li>\
         <li>Build your first image and run it as a container on your machine.</li></ol></article></body></html>",
        menu(),
        prose(1, "Guide"),
        prose(2, "Guide")
    );
    let text = extract(&page);
    assert!(text.contains("Guide paragraph 1") && text.contains("Build your first image"), "{text}");
}

#[test]
fn a_page_hidden_until_its_script_runs_is_content() {
    let page = format!(
        "<html><body><div id=\"app\"><div style=\"visibility:hidden\"><nav>{}</nav><h1>Machine learning</h1>{}{}</div></div>\
         </body></html>",
        menu(),
        prose(1, "Tutorial"),
        prose(2, "Tutorial")
    );
    let text = extract(&page);
    assert!(text.contains("Tutorial paragraph 2"), "{text}");
}

#[test]
fn a_link_aggregators_story_page_keeps_its_comments() {
    let comment =
        |n: u32| format!("<li class=\"comment\"><div class=\"comment_text\">{}</div></li>", prose(n, "Comment"));
    let comments: String = (1..=6).map(comment).collect();
    let page = format!(
        "<html><head><meta property=\"og:type\" content=\"article\"></head><body><div class=\"story\">\
         <a href=\"https://example.com/post\">Project goals for the year</a></div><ol class=\"comments\">{comments}</ol>\
         </body></html>"
    );
    let text = extract(&page);
    assert!(text.contains("Comment paragraph 1") && text.contains("Comment paragraph 6"), "{text}");
}

#[test]
fn an_article_keeps_its_comments_out() {
    let comment = |n: u32| format!("<li class=\"comment\">{}</li>", prose(n, "Comment"));
    let comments: String = (1..=3).map(comment).collect();
    let body: String = (1..=12).map(|n| prose(n, "Story")).collect();
    let page = format!(
        "<html><head><meta property=\"og:type\" content=\"article\"></head><body><article><h1>A story</h1>{body}</article>\
         <ol class=\"comments\">{comments}</ol></body></html>"
    );
    let text = extract(&page);
    assert!(text.contains("Story paragraph 12") && !text.contains("Comment paragraph"), "{text}");
}

#[test]
fn a_block_of_prose_named_menu_is_kept() {
    let page = format!(
        "<html><body><nav class=\"menu\">{}</nav><main><h1>Our markets</h1>{}\
         <div class=\"module--locations-menu-detail\">{}{}{}</div></main></body></html>",
        menu(),
        prose(1, "About"),
        prose(2, "Location"),
        prose(3, "Location"),
        prose(4, "Location")
    );
    let text = extract(&page);
    assert!(text.contains("Location paragraph 4") && !text.contains("Section 3"), "{text}");
}

#[test]
fn teasers_after_an_article_and_their_heading_are_left_out() {
    let teaser = |n: u32| {
        format!(
            "<div class=\"card\"><h3><a href=\"/p/{n}\">Another post you could read next, number {n}</a></h3>\
             <p>Its excerpt, a sentence long.</p></div>"
        )
    };
    let teasers: String = (1..=4).map(teaser).collect();
    let body: String = (1..=8).map(|n| prose(n, "Story")).collect();
    let page = format!(
        "<html><head><meta property=\"og:type\" content=\"article\"></head><body><div class=\"page\">\
         <div class=\"post\"><h1>A story</h1>{body}</div><div class=\"more\"><h2>Keep reading</h2><div>{teasers}</div></div>\
         </div></body></html>"
    );
    let text = extract(&page);
    assert!(text.contains("Story paragraph 8"), "{text}");
    assert!(!text.contains("Another post") && !text.contains("Keep reading"), "{text}");
}

#[test]
fn teasers_with_text_after_them_are_the_articles_own_list() {
    let item = |n: u32| {
        format!(
            "<div class=\"item\"><h3><a href=\"/machine/{n}\">Sewing machine number {n} reviewed</a></h3>\
             <p>What it does well, in a sentence.</p></div>"
        )
    };
    let items: String = (1..=4).map(item).collect();
    let before: String = (1..=6).map(|n| prose(n, "Review")).collect();
    let after: String = (7..=9).map(|n| prose(n, "Review")).collect();
    let page = format!(
        "<html><head><meta property=\"og:type\" content=\"article\"></head><body><article><h1>Best machines</h1>\
         {before}<div class=\"roundup\">{items}</div>{after}</article></body></html>"
    );
    let text = extract(&page);
    assert!(text.contains("Sewing machine number 3 reviewed") && text.contains("Review paragraph 9"), "{text}");
}

#[test]
fn a_label_of_dropped_links_and_a_trailing_heading_go() {
    let tags: String = (1..=5).map(|n| format!("<a href=\"/tag/{n}\">topic{n}</a> ")).collect();
    let body: String = (1..=4).map(|n| prose(n, "Story")).collect();
    let page = format!(
        "<html><body><article><h1>A story</h1>{body}<p>Tags</p><p>{tags}</p><h2>More from the site</h2></article></body></html>"
    );
    let lines = lines(&extract(&page)).into_iter().map(str::to_owned).collect::<Vec<_>>();
    assert_eq!(
        lines.last().map(String::as_str),
        Some(prose(4, "Story").trim_start_matches("<p>").trim_end_matches("</p>"))
    );
}

#[test]
fn accordion_answers_hidden_until_clicked_are_content() {
    let faq = |n: u32| {
        format!(
            "<div class=\"faq\"><h4>Question number {n}?</h4><div aria-hidden=\"true\"><p>Answer number {n}: it depends on \
             the plan, and the plan depends on you.</p></div></div>"
        )
    };
    let faqs: String = (1..=4).map(faq).collect();
    let page = format!(
        "<html><body><main><h1>Our service</h1>{}{}<section><h2>Questions</h2>{faqs}</section></main>\
         <div aria-hidden=\"true\"><ul><li><a href=\"/a\">A hidden menu</a></li></ul></div></body></html>",
        prose(1, "Service"),
        prose(2, "Service")
    );
    let text = extract(&page);
    assert!(text.contains("Answer number 3: it depends") && !text.contains("A hidden menu"), "{text}");
}

#[test]
fn a_form_wrapping_a_product_list_is_no_frame() {
    let product = |n: u32| {
        format!("<article class=\"product\"><h3>Replacement battery model {n}</h3><p>Fits models made from 201{n} on; tested.</p></article>")
    };
    let products: String = (1..=30).map(product).collect();
    let page = format!(
        "<html><body><nav>{}</nav><h1>All parts</h1><form id=\"filters\"><select><option>Sort</option></select>\
         <div class=\"list\">{products}</div></form><form class=\"search\"><input name=\"q\"> Search the site</form></body></html>",
        menu()
    );
    let text = extract(&page);
    assert!(text.contains("Replacement battery model 30") && !text.contains("Search the site"), "{text}");
}

#[test]
fn a_headline_inside_a_modal_protects_nothing() {
    let terms: String = (1..=30).map(|n| prose(n, "Terms")).collect();
    let page = format!(
        "<html><body><main><h1>Men's sneakers</h1>{}{}</main><footer><div class=\"modal\" id=\"terms\"><h1>Terms of use</h1>\
         {terms}</div></footer></body></html>",
        prose(1, "Shoes"),
        prose(2, "Shoes")
    );
    let text = extract(&page);
    assert!(text.contains("Shoes paragraph 2") && !text.contains("Terms paragraph"), "{text}");
}

#[test]
fn buttons_sign_up_boxes_and_copyright_lines_are_left_out() {
    let page = format!(
        "<html><body><article><h1>A story</h1>{}{}<div class=\"btn btn-primary\">Get started</div>\
         <div class=\"box\"><h2>Join our newsletter</h2><p>The latest posts, in your inbox.</p>\
         <input type=\"email\" name=\"email\"></div>{}<p>© 2025 Example Media. All rights reserved.</p></article></body></html>",
        prose(1, "Story"),
        prose(2, "Story"),
        prose(3, "Story")
    );
    let text = extract(&page);
    assert!(text.contains("Story paragraph 3"), "{text}");
    for chrome in ["Get started", "newsletter", "inbox", "All rights reserved"] {
        assert!(!text.contains(chrome), "{chrome}: {text}");
    }
}

#[test]
fn a_header_holding_the_page_and_a_layout_wrapper_named_for_its_sidebar_are_content() {
    let body: String = (1..=25).map(|n| prose(n, "Post")).collect();
    let page = format!(
        "<html><body><div class=\"navbar\">{}</div><header class=\"section_blog-landing\">{body}</header></body></html>",
        menu()
    );
    assert!(extract(&page).contains("Post paragraph 25"));
    let guide: String = (1..=10).map(|n| prose(n, "Guide")).collect();
    let page = format!(
        "<html><body><main><h1>Guide</h1><div class=\"layout-sidebar-left\"><div class=\"layout-sidebar-top\">{}</div>\
         <div class=\"layout-main\">{guide}</div></div></main><footer>{}{}{}</footer></body></html>",
        menu(),
        prose(1, "Footer"),
        prose(2, "Footer"),
        prose(3, "Footer")
    );
    let text = extract(&page);
    assert!(text.contains("Guide paragraph 8") && !text.contains("Section 3"), "{text}");
}

#[test]
fn sections_named_skip_items_are_content() {
    let section = |n: u32| {
        let paragraphs: String = (1..=7).map(|k| prose(n * 10 + k, "Topic")).collect();
        format!("<div class=\"skip-item\" id=\"topic{n}\"><h2>Topic {n}</h2>{paragraphs}</div>")
    };
    let sections: String = (1..=5).map(section).collect();
    let page = format!("<html><body><a class=\"skip-link\" href=\"#main\">Skip to content</a><div class=\"content\">{sections}</div></body></html>");
    let text = extract(&page);
    assert!(text.contains("Topic paragraph 57") && !text.contains("Skip to content"), "{text}");
}

#[test]
fn a_passage_printed_once_per_screen_size_comes_out_once() {
    let body: String = (1..=10).map(|n| prose(n, "Guide")).collect();
    let page = format!(
        "<html><body><main><div class=\"variant desktop\">{body}</div><div class=\"variant tablet\">{body}</div></main></body></html>"
    );
    let text = extract(&page);
    assert_eq!(text.matches("Guide paragraph 7,").count(), 1, "{text}");
    // A plan's features printed under each plan stay.
    let plan = |name: &str| {
        format!("<div class=\"plan\"><h3>{name}</h3><ul><li>Phone consultation with an expert.</li><li>Proven format that gets attention.</li></ul></div>")
    };
    let page = format!(
        "<html><body><main><h1>Plans</h1>{}{}{}{}</main></body></html>",
        prose(1, "Plans"),
        plan("Basic"),
        plan("Pro"),
        plan("Premium")
    );
    assert_eq!(extract(&page).matches("Phone consultation").count(), 3);
}

#[test]
fn a_marquee_is_left_out() {
    let page = format!(
        "<html><body><main><h1>Packaging design</h1>{}<div>Book Now * Book Now * Book Now * Book Now * Book Now *</div>{}</main></body></html>",
        prose(1, "Design"),
        prose(2, "Design")
    );
    let text = extract(&page);
    assert!(text.contains("Design paragraph 2") && !text.contains("Book Now"), "{text}");
}

#[test]
fn a_short_post_keeps_its_long_comments_out() {
    let comment = |n: u32| format!("<li class=\"comment\">{}{}</li>", prose(n, "Comment"), prose(n + 10, "Comment"));
    let comments: String = (1..=8).map(comment).collect();
    let post: String = (1..=4).map(|n| prose(n, "Post")).collect();
    let page = format!(
        "<html><head><meta property=\"og:type\" content=\"article\"></head><body><article><h1>A short post</h1>{post}\
         </article><ol class=\"comments\">{comments}</ol></body></html>"
    );
    let text = extract(&page);
    assert!(text.contains("Post paragraph 4") && !text.contains("Comment paragraph"), "{text}");
}

#[test]
fn an_article_is_not_widened_over_lists_of_other_posts() {
    let recent = |n: u32| {
        format!("<li><a href=\"/news/{n}\">Recent story number {n} from the site</a> <span>November {n}</span></li>")
    };
    let recent: String = (1..=12).map(recent).collect();
    let sidebar = |title: &str| format!("<div class=\"box\"><h3>{title}</h3><ul>{recent}</ul></div>");
    let body: String = (1..=5).map(|n| prose(n, "Story")).collect();
    let page = format!(
        "<html><head><meta property=\"og:type\" content=\"article\"></head><body><div class=\"wrapper\">\
         <div class=\"cell\">{}</div><div class=\"cell\" id=\"article\"><h1>A story</h1>{body}</div>\
         <div class=\"cell\">{}<p>Readers also liked these, picked by our editors for you this week.</p>{}</div>\
         <div class=\"cell\">{}</div></div></body></html>",
        sidebar("Recent"),
        sidebar("Popular"),
        sidebar("Trending"),
        sidebar("More")
    );
    let text = extract(&page);
    assert!(text.contains("Story paragraph 5") && !text.contains("Recent story"), "{text}");
}

#[test]
fn a_link_inside_a_sentence_is_part_of_it() {
    let body: String = (1..=3).map(|n| prose(n, "Story")).collect();
    let page = format!(
        "<html><body><article><h1>A story</h1>{body}<p>According to the <span><a href=\"https://example.org/study\">\
         study</a></span>, published this week, the patient had been unwell for months.</p>\
         <p>© 2019 Example Press. All rights reserved. This material may not be published, broadcast, rewritten or \
         redistributed.</p></article></body></html>"
    );
    let text = extract(&page);
    assert!(text.contains("According to the study, published this week"), "{text}");
    assert!(text.contains("may not be published"), "{text}");
}

#[test]
fn inline_elements_back_to_back_are_words_apart() {
    let body: String = (1..=3).map(|n| prose(n, "Reference")).collect();
    let page = format!(
        "<html><body><article><h1>The order object</h1>{body}<h4><span><span>order_id</span></span>\
         <span>optional string</span><span>Expandable</span></h4><p>The order this refers to, \
         <b>if</b> <i>any</i>, with a <em>we</em>ll-known id.</p></article></body></html>"
    );
    let text = extract(&page);
    assert!(text.contains("order_id optional string Expandable"), "{text}");
    assert!(text.contains("refers to, if any, with a well-known id."), "{text}");
}

#[test]
fn a_list_of_linked_cards_inside_the_text_of_a_page_is_content() {
    let body: String = (1..=4).map(|n| prose(n, "Our workshop")).collect();
    let cards: String = (1..=8)
        .map(|n| {
            format!(
                "<li class=\"card\"><a href=\"/s{n}\">Service number {n} in full</a> <span>from {n}0 euros</span></li>"
            )
        })
        .collect();
    let page = |head: &str| {
        format!(
            "<html><head>{head}</head><body><nav><a href=\"/\">Home</a></nav><main><h1>Repairs</h1>{body}\
             <ul class=\"cards\">{cards}</ul><p>Call us on any weekday, and we will gladly book your bike in.</p>\
             </main></body></html>"
        )
    };
    let text = extract(&page(""));
    assert!(text.contains("Service number 3 in full from 30 euros"), "{text}");
    // An article's list of links is no part of it.
    let text = extract(&page("<meta property=\"og:type\" content=\"article\">"));
    assert!(!text.contains("Service number 3"), "{text}");
}

#[test]
fn chunks_of_text_bring_the_sections_between_them_along() {
    let text_block = |n: u32| {
        format!(
            "<section class=\"block\"><div class=\"col text\"><h2>Part {n}</h2>{}{}</div></section>",
            prose(n, "Our approach"),
            prose(n + 10, "Our approach")
        )
    };
    let steps: String =
        (1..=12).map(|n| format!("<li>Step {n} of the plan we follow with every client</li>")).collect();
    let page = format!(
        "<html><body><nav><a href=\"/\">Home</a> <a href=\"/about\">About</a></nav><main>{}\
         <section class=\"block\"><div class=\"steps\"><ul>{steps}</ul></div></section>{}</main>\
         <footer><a href=\"/legal\">Legal</a></footer></body></html>",
        text_block(1),
        text_block(2)
    );
    let text = extract(&page);
    assert!(text.contains("Our approach paragraph 12"), "{text}");
    assert!(text.contains("Step 7 of the plan we follow"), "{text}");
}

/// Development aid: `VELLUM_PAGE=page.html.gz cargo test --release --lib outline -- --ignored --nocapture`
/// prints the page's element tree with text measures, what was pruned (`X`) and the chosen
/// roots (`R`) and item list (`I`).
#[test]
#[ignore]
fn outline() {
    use std::io::Read;
    let Ok(path) = std::env::var("VELLUM_PAGE") else { return };
    let raw = std::fs::read(&path).expect("VELLUM_PAGE is readable");
    let mut html = String::new();
    if path.ends_with(".gz") {
        flate2::read::GzDecoder::new(&raw[..]).read_to_string(&mut html).expect("VELLUM_PAGE is gzip of UTF-8");
    } else {
        html = String::from_utf8_lossy(&raw).into_owned();
    }
    let min: usize = std::env::var("VELLUM_MIN").ok().and_then(|s| s.parse().ok()).unwrap_or(40);
    let doc = parse(&bound::bound_page(&html).0);
    let first = Stats::measure(&doc, &HashSet::new());
    let declared = boiler::Declared::of(&doc);
    let removed = boiler::prune(&doc, &first, declared);
    let dead = subtree_nodes(&doc, &removed);
    let stats = Stats::measure(&doc, &removed);
    let roots = select::main_roots(&doc, &stats, &dead, declared.article);
    let mut depth = 0usize;
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(n) => {
                if let Node::Element(e) = n.value() {
                    depth += 1;
                    let m = first.get(n.id());
                    let live = stats.get(n.id());
                    if m.chars >= min {
                        let mut flags = String::new();
                        if removed.contains(&n.id()) {
                            flags.push('X');
                        }
                        if roots.nodes.contains(&n.id()) {
                            flags.push('R');
                        }
                        if roots.items == Some(n.id()) {
                            flags.push('I');
                        }
                        let class = e.attr("class").unwrap_or("").chars().take(60).collect::<String>();
                        let id = e.attr("id").unwrap_or("");
                        let text: String = squash(n).chars().take(70).collect();
                        println!(
                            "{:indent$}{flags} <{} .{class} #{id}> {}/{} live {}/{} | {text}",
                            "",
                            e.name(),
                            m.chars,
                            m.link_chars,
                            live.chars,
                            live.link_chars,
                            indent = depth.min(60)
                        );
                    }
                }
            }
            Edge::Close(n) => {
                if matches!(n.value(), Node::Element(_)) {
                    depth -= 1;
                }
            }
        }
    }
}

#[test]
fn the_title_is_the_headline_that_agrees_with_the_document_title() {
    // The first <h1> in the content names the section; the post's own headline comes after.
    let page = format!(
        "<html><head><title>Why rivers bend | The River Blog</title></head><body><main><h1>Blog</h1>\
         <article><h1>Why rivers bend</h1>{}{}</article></main></body></html>",
        prose(1, "Rivers"),
        prose(2, "Rivers")
    );
    let text = extract(&page);
    assert!(text.starts_with("Why rivers bend\n"), "{text}");
    // No heading agrees: the document's title, without the site's name.
    let page = format!(
        "<html><head><meta property=\"og:title\" content=\"How tides turn - Coastal Notes\">\
         <meta property=\"og:site_name\" content=\"Coastal Notes\"></head><body><main><h1>Coastal Notes</h1>\
         {}{}</main></body></html>",
        prose(1, "Tides"),
        prose(2, "Tides")
    );
    let text = extract(&page);
    assert!(text.starts_with("How tides turn\n"), "{text}");
}

#[test]
fn product_cards_marked_for_subscriptions_are_content() {
    let card = |n: u32| {
        format!(
            "<div class=\"card-wrapper product-card-wrapper subscription-eligible\"><h3><a href=\"/p{n}\">Dark roast \
             blend number {n}</a></h3><span class=\"price\">$1{n}.99</span></div>"
        )
    };
    let cards: String = (1..=8).map(card).collect();
    let page = format!(
        "<html><body><nav>{}</nav><main><h1>Coffee</h1><div class=\"grid\">{cards}</div></main></body></html>",
        menu()
    );
    let text = extract(&page);
    assert!(text.contains("Dark roast blend number 7") && text.contains("$17.99"), "{text}");
}

#[test]
fn a_grid_wrapper_named_for_its_pager_and_a_collapsed_panel_are_content() {
    let card = |n: u32| {
        format!(
            "<li class=\"tile\"><a href=\"/p{n}\">Trail helmet model {n}</a><p>Light shell, vents, fits most heads \
             well.</p></li>"
        )
    };
    let cards: String = (1..=8).map(card).collect();
    let page = format!(
        "<html><body><main><h1>Helmets</h1><div class=\"filtering-and-pagination_container__Xy12a\"><ul>{cards}</ul>\
         <a href=\"?page=2\">Next page</a></div><button aria-expanded=\"false\">Sizing</button>\
         <div class=\"accordion-content\" hidden>Measure around the head <a href=\"/size\">with a soft measuring \
         tape</a>, above the brows.</div></main></body></html>"
    );
    let text = extract(&page);
    assert!(text.contains("Trail helmet model 5") && text.contains("Measure around the head"), "{text}");
}

#[test]
fn a_grid_named_by_links_is_items_and_a_thread_is_not() {
    let card = |n: usize| {
        format!(
            r#"<div class="card"><a href="/p/{n}">Hand-thrown stoneware mug no. {n}</a><span>$2{n}.00</span></div>"#
        )
    };
    let grid: String = (1..=6).map(card).collect();
    let shop = format!(r#"<html><body><h1>Mugs</h1><div class="grid">{grid}</div></body></html>"#);
    assert!(extract_page(&shop).items);
    // Posts of a thread are alike too, but their text is their own, not a link's.
    let post = |n: usize| {
        format!(
            r#"<div class="message"><a href="/u/{n}">member{n}</a><p>Reply {n}: I glazed mine twice and the colour came out \
               much deeper than the sample, so test a small piece first.</p></div>"#
        )
    };
    let posts: String = (1..=6).map(post).collect();
    let thread = format!(r#"<html><body><h1>Glazing question</h1><div class="thread">{posts}</div></body></html>"#);
    assert!(!extract_page(&thread).items);
}

#[test]
fn a_grid_twice_the_size_of_a_guide_is_the_content() {
    let card = |n: usize| {
        format!(
            r#"<li class="tile"><a href="/tents/{n}">Ridgeline {n}-person backpacking tent
               <span>Three-season, freestanding, with two doors and vestibules</span></a><span>$3{n}9.00</span></li>"#
        )
    };
    let grid: String = (1..=36).map(card).collect();
    let answer = "Look at the packed weight first, then the floor area per sleeper, then how the tent \
                  pitches in wind, because a light tent that flaps all night is no bargain at all. ";
    let guide: String = (1..=10).map(|n| format!("<h3>Question {n}</h3><p>{answer}</p>")).collect();
    let page = |head: &str| {
        format!(
            r#"<html><head>{head}</head><body><h1>Backpacking Tents</h1><ul class="grid">{grid}</ul>
               <div class="buying-guide">{guide}</div></body></html>"#
        )
    };
    let shop = extract(&page(""));
    assert!(shop.contains("Ridgeline 7-person backpacking tent"), "{shop}");
    assert!(!shop.contains("Question 3"), "{shop}");
    // A page that says it is an article keeps its text, whatever teasers lie beside it.
    let story = extract(&page(r#"<meta property="og:type" content="article">"#));
    assert!(story.contains("Question 3") && !story.contains("Ridgeline 7-person"), "{story}");
}

#[test]
fn a_short_noscript_notice_is_no_content_even_alone() {
    let app = r#"<html><body><noscript>Please turn on JavaScript to use this shop.</noscript>
        <main><div id="root"></div></main></body></html>"#;
    assert_eq!(extract(app).trim(), "");
    // A page kept in <noscript> for crawlers is its content.
    let text = "The full text of the page, printed for readers without scripts, runs on at length. ";
    let crawlable =
        format!("<html><body><noscript><p>{}</p></noscript><div id=\"app\"></div></body></html>", text.repeat(4));
    assert!(extract(&crawlable).contains("printed for readers without scripts"));
}

#[test]
fn a_text_made_mostly_of_link_lists_keeps_them() {
    let topics = |names: &[&str]| -> String {
        let items: String = names.iter().map(|t| format!("<li><a href=\"/guide/{t}\">{t} basics</a></li>")).collect();
        format!("<ul>{items}</ul>")
    };
    let index = format!(
        "<html><body><nav><a href=\"/\">Home</a></nav><main><h1>Woodworking guides</h1>{intro}\
         <h2>Joinery</h2>{joinery}<h2>Finishing</h2>{finishing}<h2>Tools</h2>{tools}</main></body></html>",
        intro = prose(1, "Guide"),
        joinery = topics(&["Dovetails", "Mortises", "Tenons", "Dowels", "Biscuits"]),
        finishing = topics(&["Sanding", "Staining", "Varnish", "Waxing", "Oiling"]),
        tools = topics(&["Chisels", "Planes", "Saws", "Clamps", "Rasps"]),
    );
    let text = extract(&index);
    assert!(text.contains("Dovetails basics") && text.contains("Rasps basics"), "{text}");
    // Beside a long text, a short list of links is still left out.
    let story: String = (1..=12).map(|n| prose(n, "Story")).collect();
    let article = format!(
        "<html><body><main><h1>A long story</h1>{story}<h3>More</h3>{more}</main></body></html>",
        more = topics(&["Dovetails", "Mortises", "Tenons"])
    );
    let text = extract(&article);
    assert!(!text.contains("Dovetails basics"), "{text}");
}

#[test]
fn links_a_sentence_ending_in_a_colon_introduces_are_content() {
    let kinds: String =
        ["Lanterns", "Kettles", "Ladders"].iter().map(|k| format!("<li><a href=\"/{k}\">{k}</a></li>")).collect();
    let share: String = ["Mastodon", "Email"].iter().map(|k| format!("<li><a href=\"/s/{k}\">{k}</a></li>")).collect();
    let body: String = (1..=4).map(|n| prose(n, "Guide")).collect();
    let page = format!(
        "<html><body><main><h1>Workshop guide</h1>{body}<p>The workshop stocks the following kinds of tools:</p>\
         <ul>{kinds}</ul><p>Share this:</p><ul>{share}</ul>{more}</main></body></html>",
        more = (5..=7).map(|n| prose(n, "Guide")).collect::<String>()
    );
    let text = extract(&page);
    assert!(text.contains("Lanterns") && text.contains("Ladders"), "{text}");
    // A short label is no sentence: its links are still left out.
    assert!(!text.contains("Mastodon"), "{text}");
    // Nor is a list that ends the text one it introduces: other posts to read next.
    let posts: String = ["Sharpening a plane", "Oiling a bench"]
        .iter()
        .map(|k| format!("<li><a href=\"/p/{k}\">{k}</a></li>"))
        .collect();
    let page = format!(
        "<html><body><main><h1>Workshop guide</h1>{body}<p>If you liked this guide you might also like these:</p>\
         <ul>{posts}</ul></main></body></html>"
    );
    let text = extract(&page);
    assert!(text.contains("Guide paragraph 4") && !text.contains("Oiling a bench"), "{text}");
}

#[test]
fn a_page_whose_text_is_spread_over_its_body_keeps_it_all() {
    let links = |n: u32| -> String { format!("<a href=\"/c{n}\">Category {n} item name</a> ") };
    let section = |n: u32| {
        format!(
            "<section id=\"s{n}\"><div class=\"inner{n}\"><h2>Section {n}</h2><p>Shop part {n} today</p><div class=\"more{n}\">{}</div></div></section>",
            links(n)
        )
    };
    let sections: String = (1..=6).map(section).collect();
    let page = format!(
        "<html><body><div class=\"top\"><div class=\"hero\">{}</div></div>{sections}</body></html>",
        prose(1, "Welcome")
    );
    let text = extract(&page);
    assert!(text.contains("Welcome paragraph 1") && text.contains("Shop part 6 today"), "{text}");
}

#[test]
fn a_product_page_leaves_its_reviews_and_cart_out() {
    let description: String = (1..=3).map(|n| prose(n, "Kettle")).collect();
    let reviews: String = (1..=4)
        .map(|n| format!("<div class=\"review-item\"><p>Reviewer {n} says the kettle boils fast, pours well, and looks fine on the stove.</p></div>"))
        .collect();
    let page = |data: &str| {
        format!(
            "<html><head>{data}</head><body><main><h1>Enamel kettle</h1><p class=\"price\">$49.00</p>{description}\
             <div class=\"mini-cart\"><p>Your basket is empty for now, add something.</p></div>\
             <section class=\"product-reviews\"><h2>Reviews</h2>{reviews}</section></main></body></html>"
        )
    };
    let one = r#"<script type="application/ld+json">{"@context":"https://schema.org","@type":"Product","name":"Enamel kettle","offers":{"@type":"Offer","price":"49.00"},"review":[{"@type":"Review"}]}</script>"#;
    let text = extract(&page(one));
    assert!(text.contains("Kettle paragraph 3"), "{text}");
    assert!(!text.contains("Reviewer 2") && !text.contains("basket is empty"), "{text}");
    // A page of several products (or none declared) keeps them.
    let text = extract(&page(""));
    assert!(text.contains("Reviewer 2"), "{text}");
    let two = r#"<script type="application/ld+json">[{"@type":"Product","name":"Kettle"},{"@type":"Product","name":"Lid"}]</script>"#;
    assert!(extract(&page(two)).contains("Reviewer 2"));
}

#[test]
fn a_threads_marked_replies_that_outweigh_its_marked_post_are_kept() {
    let post: String = (1..=4).map(|n| prose(n, "Question")).collect();
    let reply = |n: u32| {
        format!(
            "<article class=\"reply\" itemprop=\"comment\" itemscope itemtype=\"https://schema.org/Comment\">\
             <div itemprop=\"text\">{}{}</div></article>",
            prose(n, "Answer"),
            prose(n + 10, "Answer")
        )
    };
    let replies: String = (1..=4).map(reply).collect();
    let page = format!(
        "<html><body><main><article class=\"topic\"><h1>Which tent for a first trip?</h1>\
         <div itemprop=\"articleBody\">{post}</div></article><section id=\"replies\">{replies}</section></main></body></html>"
    );
    let text = extract(&page);
    assert!(text.contains("Question paragraph 3") && text.contains("Answer paragraph 14"), "{text}");
}

#[test]
fn a_threads_replies_marked_by_their_text_are_kept_without_signatures() {
    // The older vocabulary marks each reply's text (`commentText`); the signature under it
    // is the poster's, not the thread's.
    let post: String = (1..=4).map(|n| prose(n, "Question")).collect();
    let reply = |n: u32| {
        format!(
            "<div class=\"post\"><div class=\"author\">member{n}</div><div itemprop=\"commentText\">{}{}</div>\
             <div class=\"sig\"><p>Signature {n}: tanks, fish and a long story of how they all came to be here.</p></div></div>",
            prose(n, "Answer"),
            prose(n + 10, "Answer")
        )
    };
    let replies: String = (1..=4).map(reply).collect();
    let page = format!(
        "<html><head><title>Which filter for a small tank? - Fish Forum</title></head><body><div class=\"topic\">\
         <h1>Which filter for a small tank?</h1><time datetime=\"2024-03-01\">1 March 2024</time>\
         <div class=\"post\"><div itemprop=\"articleBody\">{post}</div></div>{replies}</div></body></html>"
    );
    let text = extract(&page);
    assert!(text.contains("Question paragraph 3") && text.contains("Answer paragraph 14"), "{text}");
    assert!(!text.contains("Signature 2"), "{text}");
    // The body and each reply are parts of one text: its headline and date come once.
    assert_eq!((text.matches("Which filter").count(), text.matches("2024-03-01").count()), (1, 1), "{text}");
}

#[test]
fn a_product_page_leaves_the_other_products_its_headings_name_out() {
    let description: String = (1..=4).map(|n| prose(n, "Lamp")).collect();
    let others: String = (1..=6)
        .map(|n| {
            format!("<li class=\"tile\"><a href=\"/p/{n}\">Brass desk lamp model {n}</a><span>${n}9.00</span></li>")
        })
        .collect();
    let page = |heading: &str| {
        format!(
            "<html><head><meta property=\"og:type\" content=\"product\"></head><body><main><h1>Opal table lamp</h1>\
             <p class=\"price\">$89.00</p>{description}<div class=\"x9f\"><h2>{heading}</h2><ul>{others}</ul></div>\
             </main></body></html>"
        )
    };
    let text = extract(&page("Customers who viewed this also viewed"));
    assert!(text.contains("Lamp paragraph 4"), "{text}");
    assert!(!text.contains("desk lamp model 3"), "{text}");
    // A heading of another kind leaves its section alone.
    assert!(extract(&page("Care and cleaning")).contains("desk lamp model 3"));
}

#[test]
fn a_page_whose_body_says_comments_are_open_is_no_discussion() {
    // "comments-open" on <body> says what the page allows, not what it is.
    let story: String = (1..=10).map(|n| prose(n, "Story")).collect();
    let comments: String = (1..=3).map(|n| format!("<li class=\"comment\">{}</li>", prose(n, "Comment"))).collect();
    let page = format!(
        "<html><body class=\"single comments-open\"><div class=\"post\"><h1>Spring planting</h1>{story}\
         <ol class=\"comment-list\">{comments}</ol></div></body></html>"
    );
    let text = extract(&page);
    assert!(text.contains("Story paragraph 10") && !text.contains("Comment paragraph"), "{text}");
}
