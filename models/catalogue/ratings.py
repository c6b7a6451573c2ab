"""Errors of rating a closed case (``case rate``)."""

MESSAGES: dict[str, dict[str, str]] = {
    "rating.score_range": {
        "en": "must be a whole number from 1 to 5, got {got!r}",
        "ru": "должно быть целым числом от 1 до 5, получено {got!r}",
        "kk": "1-ден 5-ке дейінгі бүтін сан болуы керек, берілгені {got!r}",
    },
    "rating.by_or_receipt": {
        "en": "{by}/{receipt}: give one ({receipt} only for an anonymous filing)",
        "ru": "{by}/{receipt}: укажите одно из двух ({receipt} только для анонимного обращения)",
        "kk": "{by}/{receipt}: біреуін көрсетіңіз ({receipt} тек жасырын өтініш үшін)",
    },
    "rating.filer_required": {
        "en": "required (or {receipt} for an anonymous filing)",
        "ru": "обязательно (или {receipt} для анонимного обращения)",
        "kk": "міндетті (немесе жасырын өтініш үшін {receipt})",
    },
    "rating.wrong_receipt": {
        "en": "not the receipt code of case {number}; only the filer of case {number} may rate it",
        "ru": "это не код квитанции дела {number}; оценить дело {number} может только заявитель",
        "kk": "бұл {number} ісінің түбіртек коды емес; {number} ісін тек өтініш беруші бағалай алады",
    },
    "rating.not_filer": {
        "en": "{email} is not the filer; only the filer of case {number} may rate it",
        "ru": "{email} не является заявителем; оценить дело {number} может только заявитель",
        "kk": "{email} өтініш беруші емес; {number} ісін тек өтініш беруші бағалай алады",
    },
    "rating.case_not_closed": {
        "en": "case {number} is {status}; a rating is taken once the case is closed ({closed})",
        "ru": "дело {number} в статусе {status}; оценка принимается после закрытия дела ({closed})",
        "kk": "{number} ісі {status} күйінде; баға іс жабылғаннан кейін қабылданады ({closed})",
    },
    "rating.already_rated": {
        "en": "case {number} was already rated on {day}",
        "ru": "дело {number} уже оценено {day}",
        "kk": "{number} ісі {day} күні бағаланып қойған",
    },
}
