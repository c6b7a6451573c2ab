"""Errors of restoration: the request, its measures and their evidence, the report."""

MESSAGES: dict[str, dict[str, str]] = {
    # --- accept, link ---------------------------------------------------------------------
    "restoration.unknown_category": {
        "en": "unknown category {category!r}; one of {known}"
        " (restoration.categories in the policy file)",
        "ru": "неизвестная категория {category!r}; допустимы: {known}"
        " (restoration.categories в файле политики)",
        "kk": "белгісіз санат {category!r}; мыналардың бірі: {known}"
        " (саясат файлындағы restoration.categories)",
    },
    "restoration.category_needs_link": {
        "en": "{category} needs the request linked to the earlier case it retaliates for"
        " (restoration.categories.{category}.requires_link in the policy file);"
        " link it first with the `link` action ({link}), or file it with {related}",
        "ru": "для категории {category} обращение должно быть связано с более ранним делом,"
        " за которое последовало преследование"
        " (restoration.categories.{category}.requires_link в файле политики);"
        " сначала свяжите его действием `link` ({link}) или подайте его с {related}",
        "kk": "{category} санаты үшін өтініш қудалауға себеп болған бұрынғы іспен"
        " байланыстырылуы керек (саясат файлындағы"
        " restoration.categories.{category}.requires_link); алдымен оны `link` әрекетімен"
        " байланыстырыңыз ({link}) немесе {related} арқылы беріңіз",
    },
    "restoration.link_self": {
        "en": "{number} is this case; link an earlier case",
        "ru": "{number} — это то же самое дело; свяжите его с более ранним делом",
        "kk": "{number} — осы істің өзі; бұрынғы істі байланыстырыңыз",
    },
    "restoration.link_later": {
        "en": "{related} was received after {number}; link the later case to the earlier one"
        " (act on {related})",
        "ru": "дело {related} поступило после {number}; связывайте более позднее дело с более"
        " ранним (действуйте по делу {related})",
        "kk": "{related} ісі {number} ісінен кейін түсті; кейінгі істі бұрынғы іспен"
        " байланыстырыңыз ({related} ісі бойынша әрекет етіңіз)",
    },
    "restoration.already_linked": {
        "en": "{number} and {related} are already linked",
        "ru": "дела {number} и {related} уже связаны",
        "kk": "{number} және {related} істері бұрыннан байланысқан",
    },
    # --- the ends, follow-ups, the Board ----------------------------------------------------
    "restoration.measures_still_open": {
        "en": "{action}: measures still open: {listed}; record each with complete_measure or"
        " reject_measure, or add {confirmed} if the servant confirms the rights are restored",
        "ru": "{action}: остаются открытые меры: {listed}; отразите каждую действием"
        " complete_measure или reject_measure либо добавьте {confirmed}, если служащий"
        " подтверждает, что его права восстановлены",
        "kk": "{action}: ашық шаралар қалды: {listed}; әрқайсысын complete_measure немесе"
        " reject_measure әрекетімен тіркеңіз, не қызметші құқықтарының қалпына келтірілгенін"
        " растаса, {confirmed} қосыңыз",
    },
    "restoration.nothing_to_escalate": {
        "en": "{action}: no measure is overdue or rejected ({listed}); a case is escalated"
        " when a measure was not done in time or was refused",
        "ru": "{action}: нет просроченных или отклонённых мер ({listed}); дело передаётся"
        " выше, если мера не выполнена в срок или от её выполнения отказались",
        "kk": "{action}: мерзімі өткен немесе қабылданбаған шара жоқ ({listed}); шара"
        " мерзімінде орындалмаса немесе одан бас тартылса, іс жоғары сатыға беріледі",
    },
    "restoration.no_measures_to_escalate": {
        "en": "{action}: no measure is overdue or rejected (no measures); a case is escalated"
        " when a measure was not done in time or was refused",
        "ru": "{action}: нет просроченных или отклонённых мер (меры не предложены); дело"
        " передаётся выше, если мера не выполнена в срок или от её выполнения отказались",
        "kk": "{action}: мерзімі өткен немесе қабылданбаған шара жоқ (шаралар ұсынылмаған);"
        " шара мерзімінде орындалмаса немесе одан бас тартылса, іс жоғары сатыға беріледі",
    },
    "restoration.no_filer_for_new_case": {
        "en": "{number} has no filer to open the new case for; file it with {file}",
        "ru": "в деле {number} нет заявителя, от имени которого можно открыть новое дело;"
        " подайте его командой {file}",
        "kk": "{number} ісінде жаңа істі атынан ашатын өтініш беруші жоқ;"
        " оны {file} арқылы беріңіз",
    },
    "restoration.no_follow_up_pending": {
        "en": "{action}: no follow-up check is pending on {number}",
        "ru": "{action}: по делу {number} нет ожидающей контрольной проверки",
        "kk": "{action}: {number} ісі бойынша күтілетін бақылау тексеруі жоқ",
    },
    "restoration.not_escalated_to_board": {
        "en": "{action}: {number} was escalated to the {target}, not to the Ethics Board;"
        " the Board hears a restoration case escalated with `{escalate} {to}`",
        "ru": "{action}: дело {number} передано в {target}, а не в Совет по этике; Совет"
        " рассматривает дело о восстановлении прав, переданное командой `{escalate} {to}`",
        "kk": "{action}: {number} ісі Әдеп жөніндегі кеңеске емес, {target} органына"
        " берілген; Кеңес `{escalate} {to}` арқылы берілген құқықтарды қалпына келтіру"
        " ісін қарайды",
    },
    "restoration.never_escalated": {
        "en": "{action}: {number} was escalated to the nobody, not to the Ethics Board;"
        " the Board hears a restoration case escalated with `{escalate} {to}`",
        "ru": "{action}: дело {number} никуда не передавалось, в том числе в Совет по этике;"
        " Совет рассматривает дело о восстановлении прав, переданное командой"
        " `{escalate} {to}`",
        "kk": "{action}: {number} ісі ешқайда, соның ішінде Әдеп жөніндегі кеңеске"
        " берілмеген; Кеңес `{escalate} {to}` арқылы берілген құқықтарды қалпына келтіру"
        " ісін қарайды",
    },
    # --- measures ---------------------------------------------------------------------------
    "measure.due_not_after_today": {
        "en": "{due} is not after today ({today}); a measure is due in the future",
        "ru": "{due} не позднее сегодняшнего дня ({today}); срок меры должен быть в будущем",
        "kk": "{due} бүгінгі күннен ({today}) кейін емес; шараның мерзімі болашақта болуы керек",
    },
    "measure.due_on_holiday": {
        "en": "{due} is not a working day: it is a holiday ({holiday})",
        "ru": "{due} не является рабочим днём: это праздничный день ({holiday})",
        "kk": "{due} жұмыс күні емес: бұл мереке күні ({holiday})",
    },
    "measure.due_on_weekend": {
        "en": "{due} is not a working day: it is a weekend day ({weekday})",
        "ru": "{due} не является рабочим днём: это выходной день ({weekday})",
        "kk": "{due} жұмыс күні емес: бұл демалыс күні ({weekday})",
    },
    "measure.unknown": {
        "en": "{number} has no measure {seq} ({known})",
        "ru": "в деле {number} нет меры {seq} ({known})",
        "kk": "{number} ісінде {seq} шарасы жоқ ({known})",
    },
    "measure.none_proposed": {
        "en": "{number} has no measure {seq} (none proposed yet)",
        "ru": "в деле {number} нет меры {seq} (меры ещё не предложены)",
        "kk": "{number} ісінде {seq} шарасы жоқ (шаралар әлі ұсынылмаған)",
    },
    "measure.already_closed": {
        "en": "measure {seq} is already {status}",
        "ru": "мера {seq} уже в статусе {status}",
        "kk": "{seq} шарасы қазірдің өзінде {status} күйінде",
    },
    "measure.already_closed_on": {
        "en": "measure {seq} is already {status} on {day}",
        "ru": "мера {seq} уже в статусе {status} с {day}",
        "kk": "{seq} шарасы {day} бастап {status} күйінде",
    },
    "measure.not_responsible": {
        "en": "{email} is not responsible for any measure of case {number}"
        " (responsible: {responsible})",
        "ru": "{email} не отвечает ни за одну меру по делу {number} (ответственные: {responsible})",
        "kk": "{email} {number} ісінің бірде-бір шарасына жауапты емес (жауаптылар: {responsible})",
    },
    # --- evidence files ---------------------------------------------------------------------
    "evidence.unreadable": {
        "en": "cannot read {path}: {reason}",
        "ru": "не удаётся прочитать {path}: {reason}",
        "kk": "{path} оқу мүмкін емес: {reason}",
    },
    "evidence.empty": {
        "en": "{path} is empty",
        "ru": "файл {path} пуст",
        "kk": "{path} файлы бос",
    },
    "evidence.too_large": {
        "en": "{path} is larger than {limit} MiB",
        "ru": "файл {path} больше {limit} МиБ",
        "kk": "{path} файлы {limit} МиБ-тан үлкен",
    },
    # --- the restoration report -------------------------------------------------------------
    "report.not_a_date": {
        "en": "{value!r} is not a date (YYYY-MM-DD)",
        "ru": "{value!r} не является датой (ГГГГ-ММ-ДД)",
        "kk": "{value!r} күн емес (ЖЖЖЖ-АА-КК)",
    },
    "report.from_after_to": {
        "en": "{start} comes after {to} {end}",
        "ru": "{start} позже, чем {to} {end}",
        "kk": "{start} күні {to} {end} күнінен кейін",
    },
}
