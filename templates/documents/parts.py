"""The fixed parts of a template's ``.docx`` package, written by hand and reproducibly.

Styles (Times New Roman, A4, the document's language), bullet numbering, settings, the
footer (case number and page), core and app properties with fixed dates, content types
and relationships. ``build.py`` writes the body from a source text and zips the parts.
"""

from __future__ import annotations

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument.wordprocessingml"
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
FIXED_DATE = "2026-01-01T00:00:00Z"
LANG_TAGS = {"kk": "kk-KZ", "ru": "ru-RU", "en": "en-GB"}

PAGE_W, PAGE_H = 11906, 16838  # A4 in twentieths of a point
MARGIN_L, MARGIN_R, MARGIN_TB = 1701, 850, 1134  # 30 mm left, 15 mm right, 20 mm
TEXT_W = PAGE_W - MARGIN_L - MARGIN_R


def footer_xml() -> str:
    return (
        f'{DECL}<w:ftr xmlns:w="{W}" xmlns:r="{R}"><w:p><w:pPr><w:pStyle w:val="Footer"/>'
        '</w:pPr><w:r><w:t xml:space="preserve">{{ case_number }}</w:t></w:r>'
        '<w:r><w:tab/></w:r><w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r>'
        "</w:fldSimple></w:p></w:ftr>"
    )


def _style(kind: str, style_id: str, name: str, body: str, extra: str = "") -> str:
    return (
        f'<w:style w:type="{kind}"{extra} w:styleId="{style_id}"><w:name w:val="{name}"/>'
        f"{body}</w:style>"
    )


def styles_xml(language: str) -> str:
    font = "Times New Roman"
    fonts = f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}"/>'
    lang = LANG_TAGS[language]
    custom = ' w:customStyle="1"'
    based = '<w:basedOn w:val="Normal"/>'
    cell_margins = (
        '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar>'
    )
    borders = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    styles = [
        _style(
            "paragraph",
            "Normal",
            "Normal",
            '<w:qFormat/><w:pPr><w:spacing w:after="120"/><w:jc w:val="both"/></w:pPr>',
            ' w:default="1"',
        ),
        _style(
            "character",
            "DefaultParagraphFont",
            "Default Paragraph Font",
            '<w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/>',
            ' w:default="1"',
        ),
        _style(
            "table",
            "TableNormal",
            "Normal Table",
            '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>'
            f'<w:tblPr><w:tblInd w:w="0" w:type="dxa"/>{cell_margins}</w:tblPr>',
            ' w:default="1"',
        ),
        _style(
            "numbering",
            "NoList",
            "No List",
            '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>',
            ' w:default="1"',
        ),
        _style(
            "paragraph",
            "Title",
            "Title",
            f'{based}<w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/>'
            '<w:spacing w:before="120" w:after="240"/><w:jc w:val="center"/></w:pPr>'
            '<w:rPr><w:b/><w:bCs/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr>',
        ),
        _style(
            "paragraph",
            "Heading2",
            "heading 2",
            f'{based}<w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/>'
            '<w:spacing w:before="240" w:after="120"/><w:jc w:val="left"/>'
            '<w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:bCs/></w:rPr>',
        ),
        _style(
            "paragraph",
            "ListBullet",
            "List Bullet",
            f'{based}<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr>'
            '<w:spacing w:after="60"/><w:ind w:left="567" w:hanging="283"/></w:pPr>',
        ),
        _style(
            "paragraph",
            "Centered",
            "Centered",
            f'{based}<w:qFormat/><w:pPr><w:jc w:val="center"/></w:pPr>',
            custom,
        ),
        _style(
            "paragraph",
            "Addressee",
            "Addressee",
            f'{based}<w:qFormat/><w:pPr><w:spacing w:after="0"/><w:ind w:left="5103"/>'
            '<w:jc w:val="left"/></w:pPr>',
            custom,
        ),
        _style(
            "paragraph",
            "SignatureLine",
            "Signature Line",
            f"{based}<w:qFormat/><w:pPr><w:keepLines/><w:tabs>"
            f'<w:tab w:val="right" w:pos="{TEXT_W}"/></w:tabs>'
            '<w:spacing w:before="360" w:after="120"/><w:jc w:val="left"/></w:pPr>',
            custom,
        ),
        _style(
            "paragraph",
            "TableText",
            "Table Text",
            f'{based}<w:pPr><w:spacing w:before="40" w:after="40"/><w:jc w:val="left"/></w:pPr>',
            custom,
        ),
        _style(
            "paragraph",
            "Footer",
            "footer",
            f'{based}<w:pPr><w:tabs><w:tab w:val="right" w:pos="{TEXT_W}"/></w:tabs>'
            '<w:spacing w:after="0"/><w:jc w:val="left"/></w:pPr>'
            '<w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>',
        ),
        _style(
            "table",
            "TableGrid",
            "Table Grid",
            '<w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/>'
            f"<w:tblPr><w:tblBorders>{borders}</w:tblBorders></w:tblPr>",
        ),
    ]
    defaults = (
        f"<w:docDefaults><w:rPrDefault><w:rPr>{fonts}"
        '<w:sz w:val="26"/><w:szCs w:val="26"/>'
        f'<w:lang w:val="{lang}" w:eastAsia="{lang}" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="264" w:lineRule="auto"/>'
        "</w:pPr></w:pPrDefault></w:docDefaults>"
    )
    return f'{DECL}<w:styles xmlns:w="{W}">{defaults}{"".join(styles)}</w:styles>'


def numbering_xml() -> str:
    return (
        f'{DECL}<w:numbering xmlns:w="{W}"><w:abstractNum w:abstractNumId="0">'
        '<w:multiLevelType w:val="singleLevel"/><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        '<w:numFmt w:val="bullet"/><w:lvlText w:val="–"/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:ind w:left="567" w:hanging="283"/></w:pPr></w:lvl></w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>'
    )


def settings_xml() -> str:
    return (
        f'{DECL}<w:settings xmlns:w="{W}"><w:zoom w:percent="100"/>'
        '<w:defaultTabStop w:val="708"/><w:characterSpacingControl w:val="doNotCompress"/>'
        '<w:compat><w:compatSetting w:name="compatibilityMode"'
        ' w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
        "</w:settings>"
    )


def core_xml(kind: str, language: str) -> str:
    return (
        f"{DECL}<cp:coreProperties"
        ' xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:dcterms="http://purl.org/dc/terms/"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>ethicsflow {kind} ({language})</dc:title>"
        "<dc:creator>ethicsflow</dc:creator>"
        f"<dc:description>Template built from src/{language}/{kind}.txt by"
        " python -m ethicsflow.templates.documents.build</dc:description>"
        f"<dc:language>{LANG_TAGS[language]}</dc:language>"
        "<cp:lastModifiedBy>ethicsflow</cp:lastModifiedBy><cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{FIXED_DATE}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{FIXED_DATE}</dcterms:modified>'
        "</cp:coreProperties>"
    )


def app_xml() -> str:
    return (
        f"{DECL}<Properties"
        ' xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Application>ethicsflow</Application></Properties>"
    )


def content_types_xml() -> str:
    parts = {
        "/word/document.xml": f"{CT}.document.main+xml",
        "/word/styles.xml": f"{CT}.styles+xml",
        "/word/numbering.xml": f"{CT}.numbering+xml",
        "/word/settings.xml": f"{CT}.settings+xml",
        "/word/footer1.xml": f"{CT}.footer+xml",
        "/docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
        "/docProps/app.xml": "application/vnd.openxmlformats-officedocument"
        ".extended-properties+xml",
    }
    overrides = "".join(
        f'<Override PartName="{name}" ContentType="{kind}"/>' for name, kind in parts.items()
    )
    return (
        f'{DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels"'
        ' ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>'
    )


def _rels(items: list[tuple[str, str, str]]) -> str:
    body = "".join(
        f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/>' for rid, kind, target in items
    )
    return f'{DECL}<Relationships xmlns="{REL}">{body}</Relationships>'


def package_rels() -> str:
    return _rels(
        [
            ("rId1", f"{DOC_REL}/officeDocument", "word/document.xml"),
            ("rId2", f"{REL}/metadata/core-properties", "docProps/core.xml"),
            ("rId3", f"{DOC_REL}/extended-properties", "docProps/app.xml"),
        ]
    )


def document_rels() -> str:
    return _rels(
        [
            ("rId1", f"{DOC_REL}/styles", "styles.xml"),
            ("rId2", f"{DOC_REL}/numbering", "numbering.xml"),
            ("rId3", f"{DOC_REL}/settings", "settings.xml"),
            ("rId4", f"{DOC_REL}/footer", "footer1.xml"),
        ]
    )
