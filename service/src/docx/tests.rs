use super::*;
use docx_rs::{Docx, Pic, Run, Style, TableCell, TableRow};

fn png() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(4, 3, image::Rgb([200, 30, 30]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn pack(d: Docx) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    d.build().pack(&mut out).unwrap();
    out.into_inner()
}

fn para(text: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(text))
}

#[test]
fn headings_paragraphs_tables_and_pictures_come_across_in_order() {
    let d = Docx::new()
        // Chinese Word names its heading styles by number.
        .add_style(Style::new("1", StyleType::Paragraph).name("heading 1"))
        .add_style(Style::new("a3", StyleType::Paragraph).name("标题 2"))
        .add_paragraph(para("园区发展综述").style("1"))
        .add_paragraph(
            Paragraph::new()
                .add_run(Run::new().add_text("导语："))
                .add_run(Run::new().add_text("要点").bold())
                .add_run(Run::new().add_text("<脚本>")),
        )
        .add_paragraph(para("一、基本情况").style("a3"))
        .add_paragraph(
            Paragraph::new().add_run(Run::new().add_image(Pic::new_with_dimensions(png(), 4, 3))),
        )
        .add_paragraph(para(""))
        .add_table(docx_rs::Table::new(vec![
            TableRow::new(vec![
                TableCell::new().add_paragraph(para("指标")),
                TableCell::new().add_paragraph(para("数值")),
            ]),
            TableRow::new(vec![
                TableCell::new().add_paragraph(para("企业数")),
                TableCell::new().add_paragraph(para("120")),
            ]),
        ]));
    let c = convert(&pack(d)).unwrap();
    assert_eq!(c.pictures.len(), 1, "{}", c.html);
    assert_eq!(c.pictures[0], png());
    let h = &c.html;
    let at = |s: &str| h.find(s).unwrap_or_else(|| panic!("{s} not in {h}"));
    assert!(at("<h2>园区发展综述</h2>") < at("<p>导语：<strong>要点</strong>&lt;脚本&gt;</p>"));
    assert!(at("<h3>一、基本情况</h3>") < at(&marker(0)));
    assert!(at(&marker(0)) < at("<td><p>指标</p></td>"));
    assert!(h.contains("<td><p>120</p></td>"));
    assert!(!h.contains("<p></p>"));
    // What the article body keeps after cleaning.
    let clean =
        crate::paste::clean_markup(&h.replace(&marker(0), "<img src=\"/media/x.png\" alt=\"\">"));
    assert!(clean.contains("<h2>园区发展综述</h2>"), "{clean}");
    assert!(clean.contains("<img src=\"/media/x.png\""), "{clean}");
    assert!(clean.contains("<table>"), "{clean}");
}

#[test]
fn what_is_not_a_word_document_is_refused_with_a_message() {
    for bytes in [&b"%PDF-1.4"[..], b"PK\x03\x04broken", b""] {
        match convert(bytes) {
            Err(Error::Invalid(m)) => assert!(m.contains(".docx"), "{m}"),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(heading_in_name("Heading 3"), Some(3));
    assert_eq!(heading_in_name("标题 1"), Some(1));
    assert_eq!(heading_in_name("Normal"), None);
}
