"""Errors of cases: filing, import, reads, the complaint actions' effects; the directory
of organizations and people (``org.*``, ``person.*``)."""

MESSAGES: dict[str, dict[str, str]] = {
    # --- the directory --------------------------------------------------------------------
    "org.not_found": {
        "en": "no organization {code}",
        "ru": "организация {code} не найдена",
        "kk": "{code} ұйымы табылмады",
    },
    "org.exists": {
        "en": "organization {code} already exists",
        "ru": "организация {code} уже существует",
        "kk": "{code} ұйымы бұрыннан бар",
    },
    "org.code_format": {
        "en": "must be 2-16 letters A-Z or digits (it starts every case number)",
        "ru": "должен состоять из 2-16 латинских букв A-Z или цифр (с него начинается номер"
        " каждого дела)",
        "kk": "2-16 латын әрпінен (A-Z) немесе цифрдан тұруы керек (әр істің нөмірі осыдан"
        " басталады)",
    },
    "org.name_empty": {
        "en": "must not be empty",
        "ru": "не может быть пустым",
        "kk": "бос болмауы керек",
    },
    "person.not_found": {
        "en": "no person with e-mail {email}",
        "ru": "лицо с адресом электронной почты {email} не найдено",
        "kk": "электрондық пошта мекенжайы {email} болатын тұлға табылмады",
    },
    "person.not_found_add": {
        "en": "no person with e-mail {email} (add them with {add})",
        "ru": "лицо с адресом электронной почты {email} не найдено (добавьте его командой {add})",
        "kk": "электрондық пошта мекенжайы {email} болатын тұлға табылмады (оны {add} арқылы"
        " қосыңыз)",
    },
    "person.exists": {
        "en": "person {email} already exists",
        "ru": "лицо {email} уже существует",
        "kk": "{email} тұлғасы бұрыннан бар",
    },
    "person.email_invalid": {
        "en": "must be an e-mail address like name@example.kz",
        "ru": "должен быть адресом электронной почты вида name@example.kz",
        "kk": "name@example.kz түріндегі электрондық пошта мекенжайы болуы керек",
    },
    "person.name_empty": {
        "en": "must not be empty",
        "ru": "не может быть пустым",
        "kk": "бос болмауы керек",
    },
    "person.iin_format": {
        "en": "must be 12 digits",
        "ru": "должен состоять из 12 цифр",
        "kk": "12 цифрдан тұруы керек",
    },
    "person.language_unknown": {
        "en": "must be one of {languages}",
        "ru": "должен быть одним из: {languages}",
        "kk": "мыналардың бірі болуы керек: {languages}",
    },
    "person.notify_too_many": {
        "en": "at most {most} notification channels ({got} given)",
        "ru": "не более {most} каналов уведомлений (указано {got})",
        "kk": "хабарлама арналары {most}-ден аспауы керек ({got} көрсетілген)",
    },
    "person.notify_url_malformed": {
        "en": "{url!r} is not a notification URL (scheme://...)",
        "ru": "{url!r} не является адресом для уведомлений (scheme://...)",
        "kk": "{url!r} хабарлама жіберу мекенжайы емес (scheme://...)",
    },
    "person.notify_url_undeliverable": {
        "en": "{url!r} is not a notification URL apprise can deliver to"
        " (e.g. mailto://user:pass@smtp.example.kz?to=a@b.kz, tgram://TOKEN/CHAT,"
        " json://host/path)",
        "ru": "{url!r} не является адресом, по которому apprise может доставить уведомление"
        " (например, mailto://user:pass@smtp.example.kz?to=a@b.kz, tgram://TOKEN/CHAT,"
        " json://host/path)",
        "kk": "{url!r} apprise хабарлама жеткізе алатын мекенжай емес"
        " (мысалы, mailto://user:pass@smtp.example.kz?to=a@b.kz, tgram://TOKEN/CHAT,"
        " json://host/path)",
    },
    # --- filing a case --------------------------------------------------------------------
    "case.not_found": {
        "en": "no case {number}",
        "ru": "дело {number} не найдено",
        "kk": "{number} ісі табылмады",
    },
    "case.filer_required": {
        "en": "required (or {anonymous} for an anonymous appeal)",
        "ru": "обязательно (или {anonymous} для анонимного обращения)",
        "kk": "міндетті (немесе жасырын өтініш үшін {anonymous})",
    },
    "case.anonymous_names_no_filer": {
        "en": "an anonymous filing names no filer",
        "ru": "в анонимном обращении заявитель не указывается",
        "kk": "жасырын өтініште өтініш беруші көрсетілмейді",
    },
    "case.not_an_email": {
        "en": "must be an e-mail address",
        "ru": "должен быть адресом электронной почты",
        "kk": "электрондық пошта мекенжайы болуы керек",
    },
    "case.received_at_not_iso": {
        "en": "received_at {text!r} is not an ISO 8601 timestamp",
        "ru": "received_at {text!r} не является отметкой времени в формате ISO 8601",
        "kk": "received_at {text!r} ISO 8601 пішіміндегі уақыт белгісі емес",
    },
    "case.received_at_no_offset": {
        "en": "received_at must carry a UTC offset",
        "ru": "received_at должно содержать смещение относительно UTC",
        "kk": "received_at мәнінде UTC-ге қатысты ығысу көрсетілуі керек",
    },
    "case.timestamp_no_offset": {
        "en": "must carry a UTC offset, e.g. 2026-03-02T10:00:00+05:00",
        "ru": "должно содержать смещение относительно UTC, например 2026-03-02T10:00:00+05:00",
        "kk": "UTC-ге қатысты ығысу көрсетілуі керек, мысалы 2026-03-02T10:00:00+05:00",
    },
    "case.received_in_future": {
        "en": "lies in the future",
        "ru": "указывает на момент в будущем",
        "kk": "болашақтағы уақытты көрсетеді",
    },
    "case.conduct_after_receipt": {
        "en": "the conduct cannot come after the receipt",
        "ru": "деяние не может быть совершено позже поступления обращения",
        "kk": "әрекет өтініш түскен күннен кейін жасалуы мүмкін емес",
    },
    "case.import_row_unreadable": {
        "en": "{detail}",
        "ru": "строку не удалось прочитать: {detail}",
        "kk": "жолды оқу мүмкін болмады: {detail}",
    },
    "case.key_taken": {
        "en": "this idempotency key was used by a filing you may not see; choose another key",
        "ru": "этот ключ идемпотентности уже использован для обращения, к которому у вас"
        " нет доступа; выберите другой ключ",
        "kk": "бұл идемпотенттік кілт сізге қолжетімсіз өтініште пайдаланылған;"
        " басқа кілт таңдаңыз",
    },
    "case.import_conflict": {
        "en": "conflict: {detail}",
        "ru": "конфликт при записи: {detail}",
        "kk": "жазу кезіндегі қайшылық: {detail}",
    },
    # --- reads ----------------------------------------------------------------------------
    "case.receipt_malformed": {
        "en": "not a receipt code (it looks like ABCDE-FGHJK-LMNPQ-RSTUV)",
        "ru": "это не код квитанции (он имеет вид ABCDE-FGHJK-LMNPQ-RSTUV)",
        "kk": "бұл түбіртек коды емес (ол ABCDE-FGHJK-LMNPQ-RSTUV түрінде болады)",
    },
    "case.receipt_unknown": {
        "en": "no case with this receipt code",
        "ru": "дело с таким кодом квитанции не найдено",
        "kk": "мұндай түбіртек коды бар іс табылмады",
    },
    # --- acting on a case -----------------------------------------------------------------
    "case.system_actor_reserved": {
        "en": "`system` is reserved for the deadline sweep",
        "ru": "`system` зарезервировано для автоматической проверки сроков",
        "kk": "`system` мерзімдерді автоматты тексеру үшін сақталған",
    },
    "case.not_org_commissioner": {
        "en": "{email} is not a commissioner of the case's organization",
        "ru": "{email} не является уполномоченным по этике организации, к которой относится дело",
        "kk": "{email} іс қатысты ұйымның әдеп жөніндегі уәкілі емес",
    },
    "case.commissioner_is_complainant": {
        "en": "{email} is the complainant (conflict of interest)",
        "ru": "{email} является заявителем (конфликт интересов)",
        "kk": "{email} өтініш беруші болып табылады (мүдделер қақтығысы)",
    },
    "case.commissioner_is_respondent": {
        "en": "{email} is the respondent (conflict of interest)",
        "ru": "{email} является лицом, на которое подана жалоба (конфликт интересов)",
        "kk": "{email} шағым берілген тұлға болып табылады (мүдделер қақтығысы)",
    },
    "case.commissioner_manages_respondent": {
        "en": "{email} is the respondent's line manager (conflict of interest)",
        "ru": "{email} является непосредственным руководителем лица, на которое подана жалоба"
        " (конфликт интересов)",
        "kk": "{email} шағым берілген тұлғаның тікелей басшысы болып табылады (мүдделер қақтығысы)",
    },
    "case.commissioner_reports_to_respondent": {
        "en": "{email} reports to the respondent (conflict of interest)",
        "ru": "{email} находится в подчинении лица, на которое подана жалоба (конфликт интересов)",
        "kk": "{email} шағым берілген тұлғаға бағынады (мүдделер қақтығысы)",
    },
    "case.commissioner_conflict": {
        "en": "{email} {why} (conflict of interest)",
        "ru": "{email}: {why} (конфликт интересов)",
        "kk": "{email}: {why} (мүдделер қақтығысы)",
    },
    "case.ground_anonymous_only": {
        "en": "anonymous applies only to an anonymous appeal",
        "ru": "основание anonymous применяется только к анонимному обращению",
        "kk": "anonymous негізі тек жасырын өтінішке қолданылады",
    },
    "case.duplicate_of_required": {
        "en": "required when the ground is duplicate",
        "ru": "обязательно, если основание — duplicate",
        "kk": "негіз duplicate болғанда міндетті",
    },
    "case.duplicate_of_unknown": {
        "en": "no other case {number}",
        "ru": "другое дело {number} не найдено",
        "kk": "басқа {number} ісі табылмады",
    },
    "case.correction_running": {
        "en": "{action}: the correction deadline runs until {due}; an appeal is returned only"
        " after it passed (APPK Art. 64(7))",
        "ru": "{action}: срок устранения недостатков истекает {due}; обращение возвращается"
        " только после его истечения (ч. 7 ст. 64 АППК)",
        "kk": "{action}: кемшіліктерді жою мерзімі {due} дейін; өтініш осы мерзім өткеннен"
        " кейін ғана қайтарылады (ӘРПК 64-бабының 7-бөлігі)",
    },
    "case.no_respondent": {
        "en": "the case has no respondent yet; name one",
        "ru": "в деле ещё не указано лицо, на которое подана жалоба; укажите его",
        "kk": "істе шағым берілген тұлға әлі көрсетілмеген; оны көрсетіңіз",
    },
    "case.suspension_ground_unknown": {
        "en": "must be one of {grounds}",
        "ru": "должно быть одним из: {grounds}",
        "kk": "мыналардың бірі болуы керек: {grounds}",
    },
    "case.suspension_start_future": {
        "en": "a suspension cannot start in the future",
        "ru": "приостановление не может начинаться в будущем",
        "kk": "тоқтата тұру болашақта басталуы мүмкін емес",
    },
    "case.no_open_answer": {
        "en": "{action}: the case has no open answer deadline",
        "ru": "{action}: у дела нет открытого срока ответа",
        "kk": "{action}: істе жауап берудің ашық мерзімі жоқ",
    },
    "case.answer_suspended": {
        "en": "{action}: the answer clock is suspended; resume the case first",
        "ru": "{action}: течение срока ответа приостановлено; сначала возобновите дело",
        "kk": "{action}: жауап беру мерзімінің өтуі тоқтатылған; алдымен істі қайта жалғастырыңыз",
    },
    "case.extension_past_limit": {
        "en": "may not pass {limit} ({months} months, {basis})",
        "ru": "не может быть позже {limit} ({months} мес., {basis})",
        "kk": "{limit} күнінен кеш болмауы керек ({months} ай, {basis})",
    },
    "case.extension_not_later": {
        "en": "must be after the current answer date {due}",
        "ru": "должно быть позже текущей даты ответа {due}",
        "kk": "жауап берудің қазіргі күнінен ({due}) кейін болуы керек",
    },
    "case.until_not_working_day": {
        "en": "{until} is not a working day",
        "ru": "{until} не является рабочим днём",
        "kk": "{until} жұмыс күні емес",
    },
    "case.appeal_window_closed": {
        "en": "{action}: the appeal window closed on {due}",
        "ru": "{action}: срок обжалования истёк {due}",
        "kk": "{action}: шағымдану мерзімі {due} аяқталды",
    },
    "case.appeal_window_open": {
        "en": "{action}: the appeal window runs until {due}",
        "ru": "{action}: срок обжалования истекает {due}",
        "kk": "{action}: шағымдану мерзімі {due} дейін жалғасады",
    },
    # --- the deadline sweep ---------------------------------------------------------------
    "sweep.now_no_offset": {
        "en": "the moment must carry a UTC offset",
        "ru": "момент времени должен содержать смещение относительно UTC",
        "kk": "уақыт сәтінде UTC-ге қатысты ығысу көрсетілуі керек",
    },
    "case.import_unreadable": {
        "en": "cannot read {path}: {reason}",
        "ru": "не удаётся прочитать {path}: {reason}",
        "kk": "{path} оқу мүмкін емес: {reason}",
    },
    "case.import_not_utf8": {
        "en": "{path} is not UTF-8 text",
        "ru": "{path} не является текстом UTF-8",
        "kk": "{path} UTF-8 мәтіні емес",
    },
    "case.import_no_header": {
        "en": "{path} has no header row",
        "ru": "в {path} нет строки заголовков",
        "kk": "{path} файлында тақырып жолы жоқ",
    },
    "list.page": {
        "en": "must be from 1 to {most}, got {page}",
        "ru": "должно быть от 1 до {most}, получено {page}",
        "kk": "1 мен {most} аралығында болуы керек, берілгені {page}",
    },
    "list.per_page": {
        "en": "must be from 1 to {most}, got {per_page}",
        "ru": "должно быть от 1 до {most}, получено {per_page}",
        "kk": "1-ден {most}-ге дейін болуы керек, берілгені {per_page}",
    },
    "list.sort": {
        "en": "unknown order {sort!r}; one of {allowed}",
        "ru": "неизвестный порядок {sort!r}; допустимы: {allowed}",
        "kk": "белгісіз реттеу {sort!r}; рұқсат етілгендері: {allowed}",
    },
}
