"""Errors of the Ethics Boards: boards and their members, the hearing, attendance,
recusals, votes and the decision."""

MESSAGES: dict[str, dict[str, str]] = {
    # --- boards and their members (roster.py) -------------------------------------------
    "board.code_format": {
        "en": "must be 2-16 letters A-Z or digits",
        "ru": "должен состоять из 2-16 латинских букв A-Z или цифр",
        "kk": "2-16 латын әрпінен (A-Z) немесе цифрдан тұруы керек",
    },
    "board.no_person": {
        "en": "no person with e-mail {email} (add them with {add})",
        "ru": "нет лица с адресом электронной почты {email} (добавьте его командой {add})",
        "kk": "{email} электрондық поштасы бар тұлға жоқ (оны {add} командасымен қосыңыз)",
    },
    "board.not_found": {
        "en": "no board {code}",
        "ru": "Совет по этике {code} не найден",
        "kk": "{code} әдеп жөніндегі кеңесі табылмады",
    },
    "board.exists": {
        "en": "board {code} already exists",
        "ru": "Совет по этике {code} уже существует",
        "kk": "{code} әдеп жөніндегі кеңесі бұрыннан бар",
    },
    "board.region_taken": {
        "en": "region {region} already has board {board}",
        "ru": "у региона {region} уже есть Совет по этике {board}",
        "kk": "{region} өңірінде {board} әдеп жөніндегі кеңесі бұрыннан бар",
    },
    "board.secretary_as_member": {
        "en": "{email} is the secretary of {board}; the secretary does not vote and cannot be"
        " a member",
        "ru": "{email} является секретарём Совета по этике {board}; секретарь не голосует и не"
        " может быть членом Совета",
        "kk": "{email} — {board} әдеп жөніндегі кеңесінің хатшысы; хатшы дауыс бермейді және"
        " кеңес мүшесі бола алмайды",
    },
    "board.already_member": {
        "en": "{email} is already a member of {board}",
        "ru": "{email} уже является членом Совета по этике {board}",
        "kk": "{email} бұрыннан {board} әдеп жөніндегі кеңесінің мүшесі",
    },
    "board.chair_taken": {
        "en": "{board} already has a chair ({chair})",
        "ru": "у Совета по этике {board} уже есть председатель ({chair})",
        "kk": "{board} әдеп жөніндегі кеңесінің төрағасы бұрыннан бар ({chair})",
    },
    "board.org_without_region": {
        "en": "{number}: organization {org} has no region, so no Ethics Board can hear it"
        " (set {region} on {add})",
        "ru": "{number}: у организации {org} не указан регион, поэтому ни один Совет по этике"
        " не может рассмотреть дело (укажите {region} в команде {add})",
        "kk": "{number}: {org} ұйымының өңірі көрсетілмеген, сондықтан істі ешбір әдеп"
        " жөніндегі кеңес қарай алмайды ({add} командасында {region} көрсетіңіз)",
    },
    "board.none_for_region": {
        "en": "{number}: no Ethics Board for region {region} (add one with {add})",
        "ru": "{number}: для региона {region} нет Совета по этике (добавьте его командой {add})",
        "kk": "{number}: {region} өңірі үшін әдеп жөніндегі кеңес жоқ (оны {add} командасымен"
        " қосыңыз)",
    },
    "board.no_members": {
        "en": "{action}: the board {board} ({name}) has no members (add them with {add})",
        "ru": "{action}: в Совете по этике {board} ({name}) нет членов (добавьте их командой"
        " {add})",
        "kk": "{action}: {board} әдеп жөніндегі кеңесінде ({name}) мүшелер жоқ (оларды {add}"
        " командасымен қосыңыз)",
    },
    "board.not_member": {
        "en": "{email} is not a member of the board {board} ({name})",
        "ru": "{email} не является членом Совета по этике {board} ({name})",
        "kk": "{email} {board} әдеп жөніндегі кеңесінің ({name}) мүшесі емес",
    },
    # --- scheduling a hearing (hearing.py) ----------------------------------------------
    "hearing.not_scheduled": {
        "en": "{action}: {number} has no scheduled hearing",
        "ru": "{action}: по делу {number} нет назначенного заседания",
        "kk": "{action}: {number} ісі бойынша тағайындалған отырыс жоқ",
    },
    "hearing.date_in_past": {
        "en": "{date} is in the past (today is {today})",
        "ru": "дата {date} уже прошла (сегодня {today})",
        "kk": "{date} күні өтіп кеткен (бүгін {today})",
    },
    "hearing.date_holiday": {
        "en": "{date} is not a working day: it is a holiday ({holiday}); the Board sits on"
        " working days",
        "ru": "{date} не является рабочим днём: это праздничный день ({holiday}); Совет по"
        " этике заседает в рабочие дни",
        "kk": "{date} жұмыс күні емес: бұл мереке күні ({holiday}); Әдеп жөніндегі кеңес"
        " отырысты жұмыс күндері өткізеді",
    },
    "hearing.date_weekend": {
        "en": "{date} is not a working day: it is a weekend day ({weekday}); the Board sits on"
        " working days",
        "ru": "{date} не является рабочим днём: это выходной день ({weekday}); Совет по этике"
        " заседает в рабочие дни",
        "kk": "{date} жұмыс күні емес: бұл демалыс күні ({weekday}); Әдеп жөніндегі кеңес"
        " отырысты жұмыс күндері өткізеді",
    },
    "hearing.notice_too_short": {
        "en": "the parties must be notified at least {days} working days before the hearing,"
        " so the earliest date scheduled today ({today}) is {earliest}"
        " ({basis}; status: {status}, hearing_notice in the policy file)",
        "ru": "срок уведомления сторон о заседании — не менее {days} рабочих дней, поэтому при"
        " назначении сегодня ({today}) самая ранняя дата заседания — {earliest}"
        " ({basis}; статус: {status}, hearing_notice в файле политики)",
        "kk": "тараптар отырыс туралы кемінде {days} жұмыс күні бұрын хабардар етілуі тиіс,"
        " сондықтан бүгін ({today}) тағайындалатын отырыстың ең ерте күні — {earliest}"
        " ({basis}; мәртебесі: {status}, саясат файлындағы hearing_notice)",
    },
    "hearing.after_limitation": {
        "en": "{date} is after the disciplinary limitation date {limitation} ({basis}): no"
        " penalty can be imposed after it; to hold the hearing anyway add {confirm}",
        "ru": "{date} наступает позже даты истечения срока давности дисциплинарного взыскания"
        " {limitation} ({basis}): после неё взыскание не может быть наложено; чтобы всё же"
        " провести заседание, добавьте {confirm}",
        "kk": "{date} күні тәртіптік жаза қолдану мерзімі өтетін {limitation} күнінен кейін"
        " келеді ({basis}): одан кейін жаза қолданылмайды; отырысты бәрібір өткізу үшін {confirm}"
        " қосыңыз",
    },
    # --- attendance, recusal, votes (hearing.py) ----------------------------------------
    "attendance.before_hearing": {
        "en": "{action}: the hearing is on {hearing}; attendance is recorded on that day or"
        " later, not on {today}",
        "ru": "{action}: заседание назначено на {hearing}; присутствие отмечается в день"
        " заседания или позже, а не {today}",
        "kk": "{action}: отырыс {hearing} күніне тағайындалған; қатысу отырыс күні немесе одан"
        " кейін белгіленеді, {today} күні емес",
    },
    "attendance.recused": {
        "en": "{email} is recused from this hearing and cannot be recorded present as a"
        " deciding member",
        "ru": "в отношении {email} на этом заседании удовлетворён отвод; это лицо не может быть"
        " отмечено присутствующим как член, участвующий в принятии решения",
        "kk": "{email} бойынша осы отырыста өздігінен бас тарту (қарсылық) қанағаттандырылған;"
        " ол шешім қабылдайтын мүше ретінде қатысушы болып белгілене алмайды",
    },
    "attendance.conflict": {
        "en": "{email} {why} (conflict of interest, APPK Art. 67(1)): record the recusal first"
        " with `recuse`",
        "ru": "{email} {why} (конфликт интересов, п. 1 ст. 67 АППК): сначала зарегистрируйте"
        " отвод действием `recuse`",
        "kk": "{email} {why} (мүдделер қақтығысы, ӘРПК 67-бабының 1-тармағы): алдымен"
        " өздігінен бас тартуды (қарсылықты) `recuse` әрекетімен тіркеңіз",
    },
    "recusal.already_upheld": {
        "en": "a recusal of {member} on this hearing is already recorded (upheld, raised by"
        " {raised_by}: {reason})",
        "ru": "отвод члена {member} на этом заседании уже зарегистрирован (удовлетворён;"
        " заявил: {raised_by}; основание: {reason})",
        "kk": "{member} мүшесіне қатысты осы отырыстағы өздігінен бас тарту (қарсылық) бұрын"
        " тіркелген (қанағаттандырылған; мәлімдеген: {raised_by}; негізі: {reason})",
    },
    "recusal.already_rejected": {
        "en": "a recusal of {member} on this hearing is already recorded (rejected, raised by"
        " {raised_by}: {reason})",
        "ru": "отвод члена {member} на этом заседании уже зарегистрирован (отклонён;"
        " заявил: {raised_by}; основание: {reason})",
        "kk": "{member} мүшесіне қатысты осы отырыстағы өздігінен бас тарту (қарсылық) бұрын"
        " тіркелген (қабылданбаған; мәлімдеген: {raised_by}; негізі: {reason})",
    },
    "recusal.after_vote": {
        "en": "{member} has already voted on this hearing; a recusal is decided before the vote",
        "ru": "голос члена {member} на этом заседании уже учтён; вопрос об отводе решается до"
        " голосования",
        "kk": "{member} осы отырыста дауыс беріп қойған; өздігінен бас тарту (қарсылық)"
        " мәселесі дауыс беруге дейін шешіледі",
    },
    "recusal.raised_by_outsider": {
        "en": "{email} is neither a party of {number} nor a member of the board {board}",
        "ru": "{email} не является ни стороной дела {number}, ни членом Совета по этике {board}",
        "kk": "{email} {number} ісінің тарапы да, {board} әдеп жөніндегі кеңесінің мүшесі де емес",
    },
    "vote.no_attendance": {
        "en": "{action}: attendance is not recorded yet; record it with record_attendance",
        "ru": "{action}: присутствие ещё не отмечено; отметьте его действием record_attendance",
        "kk": "{action}: қатысу әлі белгіленбеген; оны record_attendance әрекетімен белгілеңіз",
    },
    "vote.recused": {
        "en": "{member} is recused from this hearing",
        "ru": "в отношении {member} на этом заседании удовлетворён отвод",
        "kk": "{member} бойынша осы отырыста өздігінен бас тарту (қарсылық) қанағаттандырылған",
    },
    "vote.not_present": {
        "en": "{member} is not recorded present at this hearing",
        "ru": "член {member} не отмечен как присутствующий на этом заседании",
        "kk": "{member} осы отырысқа қатысушы ретінде белгіленбеген",
    },
    # --- the decision (decision.py) -----------------------------------------------------
    "decision.no_attendance": {
        "en": "{action}: attendance is not recorded; record it with record_attendance first",
        "ru": "{action}: присутствие не отмечено; сначала отметьте его действием record_attendance",
        "kk": "{action}: қатысу белгіленбеген; алдымен оны record_attendance әрекетімен белгілеңіз",
    },
    "decision.no_quorum": {
        "en": "{action}: {tally}; rule: {rule}",
        "ru": "{action}: {tally}; правило: {rule}",
        "kk": "{action}: {tally}; ереже: {rule}",
    },
    "decision.votes_missing": {
        "en": "{action}: votes missing from {members} (present and not recused); record them"
        " with record_vote",
        "ru": "{action}: нет голосов следующих членов: {members} (присутствуют, отвода нет);"
        " зарегистрируйте их действием record_vote",
        "kk": "{action}: мына мүшелердің дауыстары жоқ: {members} (қатысып отыр, өздігінен бас"
        " тарту жоқ); оларды record_vote әрекетімен тіркеңіз",
    },
    "decision.not_adopted": {
        "en": "{action}: the decision is not adopted by the votes: {tally}; rule: {rule}",
        "ru": "{action}: по итогам голосования решение не принято: {tally}; правило: {rule}",
        "kk": "{action}: дауыс беру қорытындысы бойынша шешім қабылданбады: {tally}; ереже: {rule}",
    },
    "decision.standards_missing": {
        "en": "a violation must cite the standards breached, refs of the Ethical Code version"
        " {version} (in force on {day}, the date of the conduct): {known}",
        "ru": "в решении о нарушении должны быть указаны нарушенные нормы — пункты Этического"
        " кодекса в редакции {version} (действовавшей на {day}, дату совершения проступка):"
        " {known}",
        "kk": "бұзушылық туралы шешімде бұзылған нормалар көрсетілуі тиіс — {version}"
        " редакциясындағы Әдеп кодексінің тармақтары (теріс қылық жасалған күні, {day}"
        " күні қолданыста болған): {known}",
    },
    "decision.standards_missing_by_receipt": {
        "en": "a violation must cite the standards breached, refs of the Ethical Code version"
        " {version} (in force on {day}, the receipt date): {known}",
        "ru": "в решении о нарушении должны быть указаны нарушенные нормы — пункты Этического"
        " кодекса в редакции {version} (действовавшей на {day}, дату поступления обращения):"
        " {known}",
        "kk": "бұзушылық туралы шешімде бұзылған нормалар көрсетілуі тиіс — {version}"
        " редакциясындағы Әдеп кодексінің тармақтары (өтініш келіп түскен күні, {day}"
        " күні қолданыста болған): {known}",
    },
    "decision.standards_unknown": {
        "en": "{unknown} not in the Ethical Code version {version} (in force on {day}, the"
        " date of the conduct); known: {known}",
        "ru": "в Этическом кодексе в редакции {version} (действовавшей на {day}, дату совершения"
        " проступка) нет пунктов {unknown}; имеются: {known}",
        "kk": "{version} редакциясындағы Әдеп кодексінде (теріс қылық жасалған күні, {day} күні"
        " қолданыста болған) {unknown} тармақтары жоқ; бар тармақтар: {known}",
    },
    "decision.standards_unknown_by_receipt": {
        "en": "{unknown} not in the Ethical Code version {version} (in force on {day}, the"
        " receipt date); known: {known}",
        "ru": "в Этическом кодексе в редакции {version} (действовавшей на {day}, дату поступления"
        " обращения) нет пунктов {unknown}; имеются: {known}",
        "kk": "{version} редакциясындағы Әдеп кодексінде (өтініш келіп түскен күні, {day} күні"
        " қолданыста болған) {unknown} тармақтары жоқ; бар тармақтар: {known}",
    },
    "decision.unknown_penalty": {
        "en": "unknown penalty {measure!r}; one of {penalties} ({basis})",
        "ru": "неизвестное взыскание {measure!r}; допустимые: {penalties} ({basis})",
        "kk": "белгісіз жаза {measure!r}; рұқсат етілгендері: {penalties} ({basis})",
    },
    "decision.standards_without_violation": {
        "en": "a finding of no violation cites no standards breached",
        "ru": "в решении об отсутствии нарушения нарушенные нормы не указываются",
        "kk": "бұзушылық жоқ деген шешімде бұзылған нормалар көрсетілмейді",
    },
    "decision.penalty_without_violation": {
        "en": "a penalty is recommended only with outcome=violation",
        "ru": "взыскание рекомендуется только при outcome=violation",
        "kk": "жаза тек outcome=violation болғанда ұсынылады",
    },
    "decision.penalty_after_limitation": {
        "en": "a penalty cannot be recommended after the limitation date {limitation} ({basis})",
        "ru": "взыскание не может быть рекомендовано после истечения срока давности"
        " {limitation} ({basis})",
        "kk": "жауаптылыққа тарту мерзімі өткен {limitation} күнінен кейін жаза ұсынылмайды"
        " ({basis})",
    },
}
