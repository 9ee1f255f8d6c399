use super::*;

fn draft() -> Draft {
    Draft {
        name: "王先生".into(),
        phone: "13812345678".into(),
        email: String::new(),
        subject: "咨询申报".into(),
        content: "请问今年的申报材料什么时候可以下载？".into(),
        wants_public: true,
        consent: true,
        answer: String::new(),
    }
}

#[test]
fn a_good_message_passes() {
    let c = check(&draft(), &ContentRules::default()).unwrap();
    assert_eq!(c.name, "王先生");
    assert_eq!(c.phone, "13812345678");
}

#[test]
fn every_problem_is_named_by_its_field() {
    let bad = Draft {
        name: " ".into(),
        phone: "123".into(),
        email: "nope".into(),
        subject: String::new(),
        content: "字".repeat(MAX_CONTENT + 1),
        wants_public: false,
        consent: false,
        answer: String::new(),
    };
    let errors = check(&bad, &ContentRules::default()).unwrap_err();
    let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
    for f in ["name", "phone", "email", "subject", "content", "consent"] {
        assert!(fields.contains(&f), "{f} missing from {fields:?}");
    }
    let no_contact = Draft {
        phone: String::new(),
        ..draft()
    };
    let errors = check(&no_contact, &ContentRules::default()).unwrap_err();
    assert_eq!(errors[0].field, "phone");
}

#[test]
fn content_rules_apply_to_every_text_field() {
    let rules = ContentRules {
        blocked: vec!["代开发票".into()],
        max_links: 1,
    };
    let blocked = Draft {
        subject: "代开发票".into(),
        ..draft()
    };
    assert!(check(&blocked, &rules).is_err());
    let links = Draft {
        content: "看 http://a.cn 和 http://b.cn".into(),
        ..draft()
    };
    assert!(check(&links, &rules).is_err());
}

#[test]
fn control_characters_go_and_lines_stay() {
    assert_eq!(clean_text(" a\u{0}b\r\nc \u{7}"), "ab\nc");
}
