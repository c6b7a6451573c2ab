"""How values are written in documents: dates in words, labels, citations, gaps.

Everything a template prints is formatted here or in ``contexts.py``, in the language of
the document; templates hold placeholders and simple loops only. Labels shared with the
notification texts (kinds of appeal, posts, English month names) come from
``models/notifications/texts.py``.
"""

from __future__ import annotations

import datetime as dt
import re

from ethicsflow.models.boards.quorum import quorum_needed
from ethicsflow.models.notifications.texts import MONTHS, label, standard_place
from ethicsflow.models.policy import CodeVersion, Policy

Labels = dict[str, dict[str, str]]

_MONTHS_RU = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)
_MONTHS_KK = (
    "қаңтар",
    "ақпан",
    "наурыз",
    "сәуір",
    "мамыр",
    "маусым",
    "шілде",
    "тамыз",
    "қыркүйек",
    "қазан",
    "қараша",
    "желтоқсан",
)


def date_in_words(day: dt.date, language: str) -> str:
    """23 November 2026 (en), 23 ноября 2026 г. (ru), 2026 жылғы 23 қараша (kk)."""
    if language == "ru":
        return f"{day.day} {_MONTHS_RU[day.month - 1]} {day.year} г."
    if language == "kk":
        return f"{day.year} жылғы {day.day} {_MONTHS_KK[day.month - 1]}"
    return f"{day.day} {MONTHS['en'][day.month - 1]} {day.year}"


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean(text: str | None) -> str:
    """Text as stored, minus control characters that XML forbids or docxtpl reads as
    paragraph or page breaks; new lines and tabs stay (docxtpl prints them as such)."""
    return _CONTROL.sub(" ", text or "").strip()


TEXT: Labels = {
    "not_recorded": {
        "kk": "ethicsflow жүйесінде тіркелмеген",
        "ru": "в ethicsflow не записано",
        "en": "not recorded in ethicsflow",
    },
    "anonymous_filer": {
        "kk": "анонимді өтініш беруші",
        "ru": "анонимный заявитель",
        "en": "anonymous filer",
    },
    "unknown_person": {
        "kk": "аты-жөні ethicsflow жүйесінде тіркелмеген",
        "ru": "фамилия, имя в ethicsflow не записаны",
        "en": "name not recorded in ethicsflow",
    },
    "no_explanation": {
        "kk": "жазбаша түсініктеме ethicsflow жүйесінде тіркелмеген",
        "ru": "письменное объяснение в ethicsflow не записано",
        "en": "no written explanation is recorded in ethicsflow",
    },
    "no_earlier_penalties": {
        "kk": "ethicsflow жүйесінде тіркелмеген (ethicsflow-тан тыс қолданылған жазалар"
        " мұнда жазылмайды)",
        "ru": "в ethicsflow не записано (взыскания, наложенные вне ethicsflow, в нём"
        " не учитываются)",
        "en": "none recorded in ethicsflow (penalties imposed outside ethicsflow are not"
        " recorded in it)",
    },
    "none": {"kk": "жоқ", "ru": "нет", "en": "none"},
    "no_recusals": {
        "kk": "өздігінен бас тарту (қарсылық) мәлімделген жоқ",
        "ru": "самоотводов и отводов не заявлено",
        "en": "no recusals",
    },
    "no_dissents": {
        "kk": "ерекше пікір білдірілген жоқ",
        "ru": "особых мнений не заявлено",
        "en": "no dissenting opinions",
    },
    "no_votes": {
        "kk": "дауыс беру ethicsflow жүйесінде тіркелмеген",
        "ru": "голосование в ethicsflow не записано",
        "en": "no votes recorded in ethicsflow",
    },
    "attendance_not_recorded": {
        "kk": "қатысу ethicsflow жүйесінде тіркелмеген",
        "ru": "явка в ethicsflow не записана",
        "en": "attendance not recorded in ethicsflow",
    },
    "all_present": {
        "kk": "барлық мүшелер қатысты",
        "ru": "отсутствующих нет",
        "en": "all members present",
    },
    "no_chair": {
        "kk": "төраға тағайындалмаған (ethicsflow жүйесінде тіркелмеген)",
        "ru": "председатель не назначен (в ethicsflow не записан)",
        "en": "no chair designated (not recorded in ethicsflow)",
    },
    "no_penalty": {
        "kk": "тәртіптік жаза ұсынылмайды",
        "ru": "дисциплинарное взыскание не рекомендуется",
        "en": "no disciplinary penalty is recommended",
    },
    "no_decision": {
        "kk": "осы отырыста шешім қабылданған жоқ",
        "ru": "на данном заседании решение не принято",
        "en": "no decision was taken at this sitting",
    },
    "no_standards": {
        "kk": "Әдеп кодексінің бұзылған нормалары анықталған жоқ",
        "ru": "нарушенные нормы Этического кодекса не установлены",
        "en": "no norm of the Ethical Code was found to be breached",
    },
    "no_limitation": {
        "kk": "тәртіптік жаза қолдану мерзімі ethicsflow жүйесінде есептелмеген",
        "ru": "срок наложения дисциплинарного взыскания в ethicsflow не рассчитан",
        "en": "the disciplinary limitation date is not recorded in ethicsflow",
    },
    "no_reason": {
        "kk": "ethicsflow жүйесінде негіздеме тіркелмеген",
        "ru": "основание в ethicsflow не записано",
        "en": "no reason recorded in ethicsflow",
    },
    "default_questions": {
        "kk": "Жоғарыда баяндалған мән-жайлар туралы.",
        "ru": "Об изложенных выше обстоятельствах.",
        "en": "The circumstances set out above.",
    },
    "as_respondent": {
        "kk": "шағым жасалған адам",
        "ru": "лицо, в отношении которого подано обращение",
        "en": "the person complained of",
    },
    "as_reporter": {
        "kk": "материалдарды жолдаған Әдеп жөніндегі уәкіл",
        "ru": "уполномоченный по этике, направивший материалы",
        "en": "Ethics Commissioner who referred the materials",
    },
    "chair": {"kk": "төраға", "ru": "председатель", "en": "chair"},
    "board_secretary": {
        "kk": "Әдеп жөніндегі кеңестің хатшысы",
        "ru": "секретарь Совета по этике",
        "en": "Secretary of the Ethics Board",
    },
    "upheld": {"kk": "қанағаттандырылды", "ru": "удовлетворён", "en": "upheld"},
    "restoration_no_standards": {
        "kk": "өтініш мемлекеттік қызметшінің бұзылған құқықтарын қалпына келтіру туралы;"
        " Әдеп кодексінің нормаларына сілтеме ethicsflow жүйесінде тіркелмеген",
        "ru": "заявление касается восстановления нарушенных прав государственного"
        " служащего; ссылки на нормы Этического кодекса в ethicsflow не записаны",
        "en": "the request concerns the restoration of a civil servant's violated rights;"
        " no norm of the Ethical Code is recorded in ethicsflow",
    },
    "measures_taken": {
        "kk": "Қабылданған шаралар:",
        "ru": "Принятые меры:",
        "en": "Measures taken:",
    },
    "responsible": {"kk": "жауапты", "ru": "ответственный", "en": "responsible"},
    "due": {"kk": "мерзімі", "ru": "срок", "en": "due"},
    "completed_on": {"kk": "орындалды", "ru": "исполнено", "en": "completed"},
    "not_completed": {"kk": "орындалмады", "ru": "не исполнено", "en": "not completed"},
    "rejected_measure": {"kk": "қабылданбады", "ru": "отклонено", "en": "rejected"},
    "rejected": {"kk": "қанағаттандырылмады", "ru": "отклонён", "en": "rejected"},
}
"""Fixed phrases the builders put into values (the templates hold the rest)."""

VOTES: Labels = {
    "for": {"kk": "жақтады", "ru": "за", "en": "for"},
    "against": {"kk": "қарсы", "ru": "против", "en": "against"},
    "abstain": {"kk": "қалыс қалды", "ru": "воздержался", "en": "abstained"},
}

RECUSAL_GROUNDS: Labels = {
    "kinship": {"kk": "туыстық", "ru": "родство", "en": "kinship"},
    "service_dependence": {
        "kk": "қызметтік тәуелділік",
        "ru": "служебная зависимость",
        "en": "service dependence",
    },
    "personal_interest": {
        "kk": "жеке мүдделілік",
        "ru": "личная заинтересованность",
        "en": "personal interest",
    },
    "other": {"kk": "өзге негіз", "ru": "иное основание", "en": "other ground"},
}

OUTCOMES: Labels = {
    "violation": {
        "kk": "Әдеп кодексі нормаларының бұзылуы анықталды",
        "ru": "установлено нарушение норм Этического кодекса",
        "en": "a breach of the Ethical Code was found",
    },
    "no_violation": {
        "kk": "Әдеп кодексі нормаларының бұзылуы анықталмады",
        "ru": "нарушение норм Этического кодекса не установлено",
        "en": "no breach of the Ethical Code was found",
    },
    "referred": {
        "kk": "материалдар тәртіптік комиссияға (тағайындаған лауазымды адамға) жолданды",
        "ru": "материалы направлены в дисциплинарную комиссию (должностному лицу,"
        " имеющему право назначения)",
        "en": "the materials were referred to the disciplinary commission (the appointing"
        " official)",
    },
    "restored": {
        "kk": "мемлекеттік қызметшінің бұзылған құқықтары қалпына келтірілді",
        "ru": "нарушенные права государственного служащего восстановлены",
        "en": "the civil servant's violated rights were restored",
    },
    "not_restored": {
        "kk": "құқықтардың қалпына келтірілуі расталмады",
        "ru": "восстановление прав не подтверждено",
        "en": "the restoration of the rights was not confirmed",
    },
}


def text(key: str, language: str) -> str:
    return label(TEXT, key, language)


def head_of(org_name: str, language: str) -> str:
    """The head of a body when no person with the role ``head`` is recorded."""
    if language == "ru":
        return f"руководитель государственного органа «{org_name}»"
    if language == "kk":
        return f"«{org_name}» мемлекеттік органының басшысы"
    return f"the Head of {org_name}"


def head_post(org_name: str, language: str) -> str:
    if language == "ru":
        return f"руководитель государственного органа «{org_name}»"
    if language == "kk":
        return f"«{org_name}» мемлекеттік органының басшысы"
    return f"Head of {org_name}"


def within(amount: int, unit: str, language: str) -> str:
    """'within 2 working days of receiving this letter' where no due date is recorded."""
    if unit == "working_days":
        return {
            "kk": f"осы хатты алған күннен бастап {amount} жұмыс күні ішінде",
            "ru": f"в течение {amount} рабочих дней со дня получения настоящего письма",
            "en": f"within {amount} working days of receiving this letter",
        }[language]
    return {
        "kk": f"осы хатты алған күннен бастап {amount} ай ішінде",
        "ru": f"в течение {amount} месяцев со дня получения настоящего письма",
        "en": f"within {amount} months of receiving this letter",
    }[language]


def quorum_statement(
    policy: Policy, members: int, present: int | None, recused: int, language: str
) -> str:
    """The quorum found and the rule applied, saying where the rule is an assumption."""
    board = policy.board
    needed = quorum_needed(members, board)
    majority = {
        "simple": {
            "kk": "қатысып отырған мүшелердің жай көпшілік дауысымен",
            "ru": "простым большинством голосов присутствующих членов",
            "en": "by a simple majority of the members present",
        },
        "two_thirds": {
            "kk": "қатысып отырған мүшелердің үштен екі дауысымен",
            "ru": "двумя третями голосов присутствующих членов",
            "en": "by two thirds of the votes of the members present",
        },
    }[board.majority][language]
    tie = {
        "chair": {
            "kk": "дауыстар тең болған жағдайда төрағаның дауысы шешуші болып табылады",
            "ru": "при равенстве голосов голос председателя является решающим",
            "en": "on a tie, the chair's vote decides",
        },
        "fails": {
            "kk": "дауыстар тең болған жағдайда шешім қабылданбады деп есептеледі",
            "ru": "при равенстве голосов решение считается не принятым",
            "en": "on a tie, the decision fails",
        },
    }[board.tie][language]
    if present is None:
        found = text("attendance_not_recorded", language)
    else:
        quorate = present >= needed
        found = {
            "kk": f"Кеңестің {members} мүшесінің {present} мүшесі қатысып отыр және"
            f" бас тартпаған (бас тартқандар: {recused}); кворум"
            f" {'бар' if quorate else 'жоқ'}",
            "ru": f"присутствуют и не отведены {present} из {members} членов Совета"
            f" (отведены: {recused}); кворум {'имеется' if quorate else 'отсутствует'}",
            "en": f"{present} of the Board's {members} members are present and not recused"
            f" (recused: {recused}); the quorum {'is' if quorate else 'is NOT'} present",
        }[language]
    rule = {
        "kk": f"Қолданылған ереже: кворум – қатысып отырған және бас тартпаған мүшелер"
        f" құрамның кемінде {board.quorum} бөлігі (кемінде {needed}); шешім {majority}"
        f" қабылданады, {tie}; хатшы дауыс бермейді.",
        "ru": f"Применённое правило: кворум – не менее {board.quorum} состава, присутствующих"
        f" и не отведённых (не менее {needed}); решение принимается {majority}, {tie};"
        " секретарь не голосует.",
        "en": f"Rule applied: a quorum is at least {board.quorum} of the members present and"
        f" not recused (at least {needed}); decisions are taken {majority}; {tie}; the"
        " secretary does not vote.",
    }[language]
    assumed = {
        "kk": " Бұл ереже ethicsflow саясатындағы болжам: актінің мәтінімен тексерілмеген.",
        "ru": " Это правило принято в политике ethicsflow как допущение и не сверено"
        " с текстом акта.",
        "en": " This rule is an assumption of the ethicsflow policy, not checked against the"
        " text of the act.",
    }[language]
    head = found[0].upper() + found[1:]
    return f"{head}. {rule}{assumed if board.status == 'assumption' else ''}"


def _code_of(title: str, language: str) -> str:
    """The Code's title in the case a citation needs (genitive in kk and ru)."""
    if language == "ru":
        return title.replace("Этический кодекс", "Этического кодекса", 1)
    if language == "kk":
        return title.replace("әдеп кодексі", "әдеп кодексінің", 1)
    return f"the {title}"


def cite(code: CodeVersion, ref: str, language: str) -> str:
    """One breached standard: 'subpara. 1) para. 5 of the Ethical Code (...): text'."""
    title = getattr(code, f"title_{language}")
    standard = code.standard(ref)
    if standard is None:
        missing = {
            "kk": f"{ref} нормасы (Кодекстің {code.version} редакциясында жоқ)",
            "ru": f"норма {ref} (отсутствует в редакции Кодекса {code.version})",
            "en": f"standard {ref} (not in the {code.version} version of the Code)",
        }
        return missing[language]
    words = getattr(standard, f"text_{language}")
    where = standard_place(standard.paragraph, standard.subparagraph, language, of_code=True)
    if language == "ru":
        return f"{where} {_code_of(title, language)}: «{words}»"
    if language == "kk":
        return f"{_code_of(title, language)} {where}: «{words}»"
    return f"{where} of {_code_of(title, language)}: “{words}”"
