use super::*;
use docx_rs::{Docx, Paragraph, Pic, Run, Style, StyleType, TableCell, TableRow};

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
    let bytes = pack(d);
    let c = convert(&bytes).unwrap();
    assert_eq!(c.pictures.len(), 1, "{}", c.html);
    assert_eq!(picture(&bytes, &c.pictures[0]), Some(png()));
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
}

/// A package with `document.xml` and the given other parts.
fn package(document: &str, others: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut buf);
    let o = zip::write::SimpleFileOptions::default();
    z.start_file("word/document.xml", o).unwrap();
    z.write_all(document.as_bytes()).unwrap();
    for (name, bytes) in others {
        z.start_file(*name, o).unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap();
    buf.into_inner()
}

fn body(inner: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="w" xmlns:mc="mc" xmlns:a="a" xmlns:r="r" xmlns:v="v" xmlns:m="m"><w:body>{inner}<w:sectPr/></w:body></w:document>"#
    )
}

#[test]
fn tracked_changes_text_boxes_merged_cells_and_fallbacks() {
    let doc = body(concat!(
        // Deleted text is left out, inserted text kept; entities and tabs read as text;
        // italics and bold switched off by value.
        r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="420"/></w:tabs></w:pPr>"#,
        r#"<w:r><w:t xml:space="preserve">保留 </w:t></w:r>"#,
        r#"<w:del><w:r><w:delText>删掉的</w:delText><w:t>也删掉</w:t></w:r></w:del>"#,
        r#"<w:ins><w:r><w:rPr><w:i/><w:b w:val="0"/></w:rPr><w:t>插入&amp;&#x4E2D;</w:t></w:r></w:ins>"#,
        r#"<w:r><w:tab/><w:t>尾</w:t></w:r></w:p>"#,
        // A text box, once as the drawing and once as its fallback: read once, after the
        // paragraph that anchors it.
        r#"<w:p><w:r><w:t>锚</w:t></w:r><w:r><mc:AlternateContent><mc:Choice><w:drawing>"#,
        r#"<w:txbxContent><w:p><w:r><w:t>框中文字</w:t></w:r></w:p></w:txbxContent>"#,
        r#"</w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent><w:p><w:r><w:t>框中文字</w:t></w:r></w:p></w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"#,
        // A table with a cell spanning two columns and a vertically merged one.
        r#"<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>合并</w:t></w:r></w:p></w:tc>"#,
        r#"<w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>上</w:t></w:r></w:p></w:tc></w:tr>"#,
        r#"<w:tr><w:tc><w:p/></w:tc><w:tc><w:p><w:r><w:t>二</w:t></w:r></w:p></w:tc>"#,
        r#"<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr>"#,
        // A row deleted in tracked changes is left out.
        r#"<w:tr><w:trPr><w:del w:id="5" w:author="x"/></w:trPr><w:tc><w:p><w:del><w:r><w:delText>删除的行</w:delText></w:r></w:del></w:p></w:tc></w:tr></w:tbl>"#,
        // Page breaks are not line breaks; field instructions are not text.
        r#"<w:p><w:r><w:br w:type="page"/><w:instrText> PAGE </w:instrText><w:t>页</w:t><w:br/><w:t>次行</w:t></w:r></w:p>"#,
    ));
    let c = convert(&package(&doc, &[])).unwrap();
    let h = c.html;
    assert!(h.contains("<p>保留 <em>插入&amp;中</em> 尾</p>"), "{h}");
    assert!(!h.contains("删掉"), "{h}");
    assert_eq!(h.matches("框中文字").count(), 1, "{h}");
    assert!(h.find("<p>锚</p>") < h.find("<p>框中文字</p>"), "{h}");
    assert!(
        h.contains(r#"<td colspan="2"><p>合并</p></td><td><p>上</p></td>"#),
        "{h}"
    );
    assert!(
        h.contains("<tr><td></td><td><p>二</p></td></tr></tbody>"),
        "{h}"
    );
    assert!(h.contains("<p>页<br>次行</p>"), "{h}");
    assert!(!h.contains("PAGE"), "{h}");
}

#[test]
fn pictures_come_from_the_relationships_and_never_from_outside_the_package() {
    let doc = body(concat!(
        r#"<w:p><w:r><w:drawing><a:blip r:embed="rId1"/></w:drawing></w:r></w:p>"#,
        r#"<w:p><w:r><w:pict><v:imagedata r:id="rId2"/></w:pict></w:r></w:p>"#,
        r#"<w:p><w:r><w:drawing><a:blip r:embed="rId3"/></w:drawing></w:r></w:p>"#,
        r#"<w:p><w:r><w:drawing><a:blip r:embed="rId9"/></w:drawing></w:r></w:p>"#,
    ));
    let rels = concat!(
        r#"<Relationships xmlns="x">"#,
        r#"<Relationship Id="rId1" Type="image" Target="media/a.png"/>"#,
        r#"<Relationship Id="rId2" Type="image" Target="../word/media/b.png"/>"#,
        r#"<Relationship Id="rId3" Type="image" Target="https://example.com/x.png" TargetMode="External"/>"#,
        r#"</Relationships>"#
    );
    let bytes = package(
        &doc,
        &[
            ("word/_rels/document.xml.rels", rels.as_bytes()),
            ("word/media/a.png", &png()),
            ("word/media/b.png", &png()),
        ],
    );
    let c = convert(&bytes).unwrap();
    assert_eq!(c.pictures, ["word/media/a.png", "word/media/b.png"]);
    assert_eq!(c.skipped, 2, "the external link and the unknown id");
    assert_eq!(picture(&bytes, "word/media/b.png"), Some(png()));
    assert_eq!(picture(&bytes, "word/media/none.png"), None);
}

/// The attack the issue measured: a small file whose `document.xml` is over 100 MB of short
/// paragraphs (8 GB of memory and 66 MB of HTML before). Its main part alone is over the
/// part limit: refused before it is converted.
#[test]
fn a_document_of_millions_of_paragraphs_is_refused_not_converted() {
    let huge = body(&"<w:p><w:r><w:t>短段落</w:t></w:r></w:p>".repeat(2_800_000));
    assert!(huge.len() > 100 << 20);
    let bytes = package(&huge, &[]);
    assert!(bytes.len() < 2 << 20, "{} bytes", bytes.len());
    assert!(!package::is_word(&bytes));
    match convert(&bytes) {
        Err(Error::Invalid(m)) => assert!(m.contains("过大"), "{m}"),
        other => panic!("{other:?}"),
    }
    // Just under the part limit, it is a Word document the sniffer accepts, and the
    // conversion stops at a limit having read only that far.
    let doc = body(&"<w:p><w:r><w:t>短段落</w:t></w:r></w:p>".repeat(1_500_000));
    assert!(doc.len() > 60 << 20);
    let bytes = package(&doc, &[]);
    assert!(package::is_word(&bytes));
    // … and the conversion stops at a limit.
    match convert(&bytes) {
        Err(Error::Invalid(m)) => assert!(m.contains("拆分"), "{m}"),
        other => panic!("{other:?}"),
    }
    // Smaller limits stop it sooner, at the HTML cap.
    let small = Limits {
        html: 64 * 1024,
        ..Limits::default()
    };
    match convert_with(&bytes, small) {
        Err(Error::Invalid(m)) => assert!(m.contains("3 MB"), "{m}"),
        other => panic!("{other:?}"),
    }
}

/// Sets the uncompressed size of every entry, in its local header and in the directory, to
/// `size`: the zip then claims less than it holds.
fn understate_sizes(zip: &mut [u8], size: u32) {
    let mut i = 0;
    while i + 30 < zip.len() {
        match &zip[i..i + 4] {
            [0x50, 0x4b, 0x03, 0x04] => zip[i + 22..i + 26].copy_from_slice(&size.to_le_bytes()),
            [0x50, 0x4b, 0x01, 0x02] => zip[i + 24..i + 28].copy_from_slice(&size.to_le_bytes()),
            _ => {}
        }
        i += 1;
    }
}

#[test]
fn a_part_that_unpacks_to_more_than_it_claims_is_refused() {
    let doc = body(&"<w:p><w:r><w:t>段落</w:t></w:r></w:p>".repeat(1000));
    let mut bytes = package(&doc, &[]);
    assert!(package::is_word(&bytes));
    understate_sizes(&mut bytes, 100);
    assert!(!package::is_word(&bytes));
    assert!(matches!(convert(&bytes), Err(Error::Invalid(_))));
    assert_eq!(crate::submission::sniff("a.docx", &bytes), None);
}

#[test]
fn nesting_and_numbers_are_bounded() {
    let deep = body(&format!(
        "{}{}",
        "<w:sdt><w:sdtContent>".repeat(300),
        "</w:sdtContent></w:sdt>".repeat(300)
    ));
    match convert(&package(&deep, &[])) {
        Err(Error::Invalid(m)) => assert!(m.contains("嵌套"), "{m}"),
        other => panic!("{other:?}"),
    }
    let cells = body(&format!(
        "<w:tbl><w:tr>{}</w:tr></w:tbl>",
        "<w:tc/>".repeat(100_001)
    ));
    match convert(&package(&cells, &[])) {
        Err(Error::Invalid(m)) => assert!(m.contains("单元格"), "{m}"),
        other => panic!("{other:?}"),
    }
    // Broken XML is not a Word document.
    let broken = body("<w:p><w:r><w:t>未闭合</w:r></w:p>");
    match convert(&package(&broken, &[])) {
        Err(Error::Invalid(m)) => assert!(m.contains(".docx"), "{m}"),
        other => panic!("{other:?}"),
    }
}

/// Converts every .docx in the folder `PORTICO_DOCX_SAMPLES` names (documents saved by Word,
/// WPS or LibreOffice that cannot be kept in the repository) and prints the HTML:
/// `PORTICO_DOCX_SAMPLES=/path cargo test -p service --lib docx::tests::samples -- --ignored --nocapture`.
#[test]
#[ignore = "needs PORTICO_DOCX_SAMPLES"]
fn samples() {
    let Ok(dir) = std::env::var("PORTICO_DOCX_SAMPLES") else {
        return;
    };
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let path = e.path();
        if path.extension().is_none_or(|x| x != "docx") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let c = convert(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let clean = crate::paste::clean_markup(&c.html);
        println!(
            "== {} ({} pictures, {} skipped)\n{clean}\n",
            path.display(),
            c.pictures.len(),
            c.skipped
        );
    }
}
