"""Errors of documents: issuing one (``document.*``), its Word template (``template.*``)
and its PDF conversion (``pdf.*``)."""

MESSAGES: dict[str, dict[str, str]] = {
    # --- doc render: what to issue ------------------------------------------------------
    "document.unknown_kind": {
        "en": "unknown document kind {kind!r}; allowed: {allowed}",
        "ru": "неизвестный вид документа {kind!r}; допустимые виды: {allowed}",
        "kk": "белгісіз құжат түрі {kind!r}; рұқсат етілген түрлері: {allowed}",
    },
    "document.unknown_language": {
        "en": "unknown language {language!r}; allowed: {allowed}",
        "ru": "неизвестный язык {language!r}; допустимые языки: {allowed}",
        "kk": "белгісіз тіл {language!r}; рұқсат етілген тілдер: {allowed}",
    },
    "document.unknown_format": {
        "en": "unknown format {format!r}; allowed: {allowed}",
        "ru": "неизвестный формат {format!r}; допустимые форматы: {allowed}",
        "kk": "белгісіз пішім {format!r}; рұқсат етілген пішімдер: {allowed}",
    },
    "document.not_found": {
        "en": "no document {id}",
        "ru": "документ {id} не найден",
        "kk": "{id} құжаты табылмады",
    },
    "document.number_required": {
        "en": "required",
        "ru": "обязательный параметр: укажите номер дела",
        "kk": "міндетті параметр: іс нөмірін көрсетіңіз",
    },
    "document.not_addressed": {
        "en": "only {addressed} is addressed to one person",
        "ru": "одному лицу адресуется только {addressed}",
        "kk": "бір тұлғаға тек {addressed} жолданады",
    },
    "document.to_not_email": {
        "en": "{to!r} is not an e-mail address",
        "ru": "{to!r} не является адресом электронной почты",
        "kk": "{to!r} электрондық пошта мекенжайы емес",
    },
    "document.out_is_folder": {
        "en": "{out} is a folder; give the file to write, e.g. {example}",
        "ru": "{out} является папкой; укажите файл для записи, например {example}",
        "kk": "{out} қалта болып табылады; жазылатын файлды көрсетіңіз, мысалы {example}",
    },
    "document.out_unwritable": {
        "en": "cannot write {out}: {reason}",
        "ru": "не удаётся записать {out}: {reason}",
        "kk": "{out} файлын жазу мүмкін емес: {reason}",
    },
    # --- a document whose facts do not exist yet, naming the step that makes them ---------
    "document.no_extension": {
        "en": "{kind}: case {number} has no extension (extend first)",
        "ru": "{kind}: срок рассмотрения дела {number} не продлевался (сначала extend)",
        "kk": "{kind}: {number} ісін қарау мерзімі ұзартылмаған (алдымен extend)",
    },
    "document.not_forwarded": {
        "en": "{kind}: case {number} was not forwarded (forward first)",
        "ru": "{kind}: дело {number} не направлялось по подведомственности (сначала forward)",
        "kk": "{kind}: {number} ісі құзыретті органға жолданбаған (алдымен forward)",
    },
    "document.no_respondent": {
        "en": "{kind}: case {number} has no respondent"
        " (name one: request_explanation {respondent} first)",
        "ru": "{kind}: по делу {number} не указано лицо, в отношении которого подано обращение"
        " (сначала укажите его: request_explanation {respondent})",
        "kk": "{kind}: {number} ісі бойынша өзіне қатысты өтініш берілген адам көрсетілмеген"
        " (алдымен оны көрсетіңіз: request_explanation {respondent})",
    },
    "document.no_outcome": {
        "en": "{kind}: case {number} has no reasoned outcome yet"
        " (find_no_violation, refer_to_disciplinary or the Board's decide first)",
        "ru": "{kind}: по делу {number} ещё нет мотивированного итога (сначала"
        " find_no_violation, refer_to_disciplinary или decide Совета по этике)",
        "kk": "{kind}: {number} ісі бойынша әлі дәлелді нәтиже жоқ (алдымен"
        " find_no_violation, refer_to_disciplinary немесе Әдеп жөніндегі кеңестің decide)",
    },
    "document.no_decision": {
        "en": "{kind}: case {number} has no Board decision yet (decide first)",
        "ru": "{kind}: по делу {number} ещё нет решения Совета по этике (сначала decide)",
        "kk": "{kind}: {number} ісі бойынша Әдеп жөніндегі кеңестің шешімі әлі жоқ"
        " (алдымен decide)",
    },
    "document.decision_without_hearing": {
        "en": "{kind}: case {number} has a decision without its hearing (schedule_hearing first)",
        "ru": "{kind}: по делу {number} есть решение без заседания, на котором оно принято"
        " (сначала schedule_hearing)",
        "kk": "{kind}: {number} ісі бойынша ол қабылданған отырыссыз шешім бар"
        " (алдымен schedule_hearing)",
    },
    "document.no_hearing": {
        "en": "{kind}: case {number} has no hearing (schedule_hearing first)",
        "ru": "{kind}: по делу {number} нет заседания (сначала schedule_hearing)",
        "kk": "{kind}: {number} ісі бойынша отырыс жоқ (алдымен schedule_hearing)",
    },
    "document.no_attendance": {
        "en": "{kind}: case {number} has no attendance recorded (record_attendance first)",
        "ru": "{kind}: по делу {number} не отмечено присутствие на заседании"
        " (сначала record_attendance)",
        "kk": "{kind}: {number} ісі бойынша отырысқа қатысу белгіленбеген"
        " (алдымен record_attendance)",
    },
    "document.hearing_without_board": {
        "en": "{kind}: case {number} has a hearing without a board (board add first)",
        "ru": "{kind}: по делу {number} есть заседание без Совета по этике (сначала board add)",
        "kk": "{kind}: {number} ісі бойынша Әдеп жөніндегі кеңессіз отырыс бар (алдымен board add)",
    },
    "document.no_breach": {
        "en": "{kind}: case {number} has a Board decision that found no breach,"
        " so no представление is sent (a decision finding a breach is needed first)",
        "ru": "{kind}: решением Совета по этике по делу {number} нарушение не установлено,"
        " поэтому представление не направляется (требуется решение, устанавливающее"
        " нарушение)",
        "kk": "{kind}: Әдеп жөніндегі кеңестің {number} ісі бойынша шешімімен бұзушылық"
        " анықталмаған, сондықтан ұсыну жолданбайды (бұзушылықты анықтаған шешім қажет)",
    },
    "document.no_restoration_outcome": {
        "en": "{kind}: case {number} has no outcome yet (confirm_restored or not_confirmed first)",
        "ru": "{kind}: по делу {number} ещё нет итога (сначала confirm_restored или not_confirmed)",
        "kk": "{kind}: {number} ісі бойынша әлі нәтиже жоқ (алдымен confirm_restored"
        " немесе not_confirmed)",
    },
    "document.no_measures": {
        "en": "{kind}: case {number} has no measures (propose_measures first)",
        "ru": "{kind}: по делу {number} нет мер (сначала propose_measures)",
        "kk": "{kind}: {number} ісі бойынша шаралар жоқ (алдымен propose_measures)",
    },
    "document.no_measures_in_force": {
        "en": "{kind}: case {number} has no measures in force (all rejected)"
        " (propose_measures first)",
        "ru": "{kind}: по делу {number} нет действующих мер (все отклонены)"
        " (сначала propose_measures)",
        "kk": "{kind}: {number} ісі бойынша қолданыстағы шаралар жоқ (барлығы қабылданбады)"
        " (алдымен propose_measures)",
    },
    # --- the Word template ----------------------------------------------------------------
    "template.syntax": {
        "en": "template {path}: line {line}: {detail}",
        "ru": "шаблон {path}: строка {line}: {detail}",
        "kk": "{path} үлгісі: {line}-жол: {detail}",
    },
    "template.undefined": {
        "en": "template {path}: unknown variable: {detail}",
        "ru": "шаблон {path}: неизвестная переменная: {detail}",
        "kk": "{path} үлгісі: белгісіз айнымалы: {detail}",
    },
    "template.error": {
        "en": "template {path}: {detail}",
        "ru": "шаблон {path}: {detail}",
        "kk": "{path} үлгісі: {detail}",
    },
    "template.not_docx": {
        "en": "template {path}: not a readable Word (.docx) file: {detail}",
        "ru": "шаблон {path}: не является читаемым файлом Word (.docx): {detail}",
        "kk": "{path} үлгісі: оқылатын Word (.docx) файлы емес: {detail}",
    },
    "template.unreadable": {
        "en": "template {path}: cannot be read: {reason}",
        "ru": "шаблон {path}: не удаётся прочитать: {reason}",
        "kk": "{path} үлгісі: оқу мүмкін емес: {reason}",
    },
    "template.missing": {
        "en": "template {path}: missing from the package (reinstall)",
        "ru": "шаблон {path}: отсутствует в пакете (переустановите пакет)",
        "kk": "{path} үлгісі: пакетте жоқ (пакетті қайта орнатыңыз)",
    },
    "template.unknown_variable": {
        "en": "template {path}: unknown variable {names} ({kind} provides: {allowed})",
        "ru": "шаблон {path}: неизвестная переменная {names} ({kind} предоставляет: {allowed})",
        "kk": "{path} үлгісі: белгісіз айнымалы {names} ({kind} ұсынатындары: {allowed})",
    },
    # --- PDF --------------------------------------------------------------------------------
    "pdf.no_libreoffice": {
        "en": "PDF needs LibreOffice: soffice not found; install libreoffice-writer or use {docx}",
        "ru": "для PDF нужен LibreOffice: soffice не найден; установите libreoffice-writer"
        " или используйте {docx}",
        "kk": "PDF үшін LibreOffice қажет: soffice табылмады; libreoffice-writer орнатыңыз"
        " немесе {docx} пайдаланыңыз",
    },
    "pdf.timeout": {
        "en": "PDF: LibreOffice did not convert {file} within {seconds} s",
        "ru": "PDF: LibreOffice не преобразовал {file} за {seconds} с",
        "kk": "PDF: LibreOffice {file} файлын {seconds} с ішінде түрлендірмеді",
    },
    "pdf.failed": {
        "en": "PDF: LibreOffice could not convert {file} (exit {status}): {detail}",
        "ru": "PDF: LibreOffice не смог преобразовать {file} (код завершения {status}): {detail}",
        "kk": "PDF: LibreOffice {file} файлын түрлендіре алмады (аяқталу коды {status}): {detail}",
    },
}
