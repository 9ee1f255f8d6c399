use super::*;
use crate::form::ContentRules;

fn draft() -> Draft {
    Draft {
        name: "李华".into(),
        organization: "某某经济技术开发区管委会".into(),
        phone: String::new(),
        email: "lihua@example.com".into(),
        title: "园区服务企业的三点做法".into(),
        column: "7".into(),
        content: "今年以来，园区围绕企业需求……".into(),
        consent: true,
        answer: String::new(),
        files: vec![Upload {
            name: "稿件.pdf".into(),
            content: b"%PDF-1.7\n...".to_vec().into(),
            too_large: false,
        }],
    }
}

fn fields(errors: &[FieldError]) -> Vec<&'static str> {
    errors.iter().map(|e| e.field).collect()
}

#[test]
fn a_good_submission_passes_with_its_file_named_by_content() {
    let c = check(&draft(), &ContentRules::default(), &[7]).unwrap();
    assert_eq!(c.column_id, Some(7));
    assert_eq!(c.files.len(), 1);
    assert_eq!(c.files[0].kind, FileKind::Pdf);
    assert_eq!(c.files[0].name, "稿件.pdf");
}

#[test]
fn text_or_a_file_is_enough_but_one_is_needed() {
    let mut d = draft();
    d.content = String::new();
    assert!(check(&d, &ContentRules::default(), &[7]).is_ok());
    d.files.clear();
    let e = check(&d, &ContentRules::default(), &[7]).unwrap_err();
    assert_eq!(fields(&e), ["content"]);
}

#[test]
fn file_problems_are_told_at_the_files_field() {
    let mut d = draft();
    d.files = vec![
        Upload {
            name: "病毒.pdf".into(),
            content: b"MZ\x90\x00binary".to_vec().into(),
            too_large: false,
        },
        Upload {
            name: "大.pdf".into(),
            content: b"%PDF".to_vec().into(),
            too_large: true,
        },
        Upload {
            name: "空.docx".into(),
            content: Default::default(),
            too_large: false,
        },
    ];
    let e = check(&d, &ContentRules::default(), &[7]).unwrap_err();
    assert_eq!(fields(&e), ["files", "files", "files"]);
    assert!(e[0].message.contains("病毒.pdf"));
    assert!(e[1].message.contains("20.0 MB"));
    assert!(e[2].message.contains("空文件"));

    d.files = (0..6)
        .map(|i| Upload {
            name: format!("{i}.pdf"),
            content: b"%PDF-1.4".to_vec().into(),
            too_large: false,
        })
        .collect();
    let e = check(&d, &ContentRules::default(), &[7]).unwrap_err();
    assert!(e[0].message.contains("最多上传5个附件"), "{e:?}");

    d.files = (0..3)
        .map(|i| Upload {
            name: format!("{i}.pdf"),
            content: [b"%PDF-1.4".as_slice(), &vec![b' '; 19 * 1024 * 1024]]
                .concat()
                .into(),
            too_large: false,
        })
        .collect();
    let e = check(&d, &ContentRules::default(), &[7]).unwrap_err();
    assert!(e[0].message.contains("合计"), "{e:?}");
}

#[test]
fn every_field_is_checked_at_once() {
    let d = Draft {
        name: String::new(),
        organization: "单".repeat(MAX_ORGANIZATION + 1),
        phone: "12".into(),
        email: String::new(),
        title: "  ".into(),
        column: "999".into(),
        content: "字".repeat(MAX_CONTENT + 1),
        consent: false,
        ..Draft::default()
    };
    let e = check(&d, &ContentRules::default(), &[7]).unwrap_err();
    assert_eq!(
        fields(&e),
        [
            "name",
            "organization",
            "phone",
            "title",
            "column",
            "content",
            "consent"
        ]
    );
}

#[test]
fn plain_text_becomes_escaped_paragraphs() {
    assert_eq!(
        queue::text_to_html("第一段<b>\n\n  第二段 & 完 "),
        "<p>第一段&lt;b&gt;</p><p>第二段 &amp; 完</p>"
    );
}
