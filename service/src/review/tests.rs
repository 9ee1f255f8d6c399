use super::*;
use entity::user::Role;

fn person(role: Role) -> Actor {
    Actor {
        user_id: Some(7),
        username: "someone".into(),
        name: "某人".into(),
        role: Some(role),
        ip: String::new(),
    }
}

fn input(status: ArticleStatus) -> ArticleInput {
    ArticleInput {
        column_id: 1,
        title: "标题".into(),
        subtitle: String::new(),
        source: String::new(),
        author: String::new(),
        summary: String::new(),
        body: "<p>正文</p>".into(),
        cover_image_id: None,
        is_headline: false,
        is_recommended: false,
        is_slideshow: false,
        status,
        published_at: None,
        keywords: None,
    }
}

#[test]
fn the_workflow_defaults_are_the_safe_ones_and_peer_review_covers_editors() {
    let p = Workflow::default();
    assert!(p.writers);
    assert_eq!(p.levels, 1);
    assert!(!p.editors);
    assert!(p.reviews(Role::Writer));
    assert!(!p.reviews(Role::Editor));
    let p = Workflow {
        writers: false,
        levels: 2,
        editors: true,
        mail: false,
    };
    assert!(p.reviews(Role::Editor) && p.reviews(Role::Admin));
    assert!(p.reviews(Role::Writer) && p.reviews(Role::Auditor));
}

#[test]
fn writers_keep_status_time_and_flags() {
    let writer = person(Role::Writer);
    assert!(check_reviewed_input(&writer, None, &input(ArticleStatus::Draft)).is_ok());
    for status in [
        ArticleStatus::Published,
        ArticleStatus::Scheduled,
        ArticleStatus::Archived,
    ] {
        assert!(matches!(
            check_reviewed_input(&writer, None, &input(status)),
            Err(Error::Forbidden(_))
        ));
    }
    let mut flagged = input(ArticleStatus::Draft);
    flagged.is_headline = true;
    assert!(matches!(
        check_reviewed_input(&writer, None, &flagged),
        Err(Error::Forbidden(_))
    ));
    // An editor under peer review may set flags on a draft.
    assert!(check_reviewed_input(&person(Role::Editor), None, &flagged).is_ok());
    let mut timed = input(ArticleStatus::Draft);
    timed.published_at = Some(Utc::now());
    assert!(matches!(
        check_reviewed_input(&writer, None, &timed),
        Err(Error::Forbidden(_))
    ));
}

#[test]
fn reviewers_are_editors_and_admins() {
    assert!(person(Role::Writer).require_reviewer().is_err());
    assert!(person(Role::Editor).require_reviewer().is_ok());
    assert!(person(Role::Admin).require_reviewer().is_ok());
    assert!(Actor::system("导入").require_reviewer().is_err());
}

#[test]
fn blocked_words_are_marked_in_text_only() {
    let html = r#"<p class="赌博">网上赌博与Casino</p><img alt="赌博" src="/x.png">"#;
    let marked = mark_words(html, &["赌博".into(), "casino".into()]);
    assert_eq!(
        marked,
        r#"<p class="赌博">网上<mark>赌博</mark>与<mark>Casino</mark></p><img alt="赌博" src="/x.png">"#
    );
    assert_eq!(mark_words("<p>无</p>", &[]), "<p>无</p>");
    // Overlapping words: the longest at the earliest place wins.
    assert_eq!(
        mark_words("<p>代开发票</p>", &["开发".into(), "代开发票".into()]),
        "<p><mark>代开发票</mark></p>"
    );
}

/// A 2 MB body full of one blocked word, with a second blocked word it never contains:
/// every occurrence is marked in one pass (searching the rest of the text for the absent
/// word after each occurrence took minutes).
#[test]
fn marking_many_occurrences_is_one_pass() {
    let body = format!("<p>{}</p>", "赌博x".repeat(300_000));
    let marked = mark_words(&body, &["赌博".into(), "不在文中".into()]);
    assert_eq!(marked.matches("<mark>赌博</mark>").count(), 300_000);
}

#[test]
fn waiting_reads_like_a_person_would_say_it() {
    assert_eq!(waited(chrono::Duration::seconds(20)), "刚刚");
    assert_eq!(waited(chrono::Duration::minutes(12)), "12分钟");
    assert_eq!(waited(chrono::Duration::hours(5)), "5小时");
    assert_eq!(waited(chrono::Duration::days(3)), "3天");
}
