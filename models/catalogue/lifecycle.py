"""Errors of acting on a case: the action table and the action's payload."""

MESSAGES: dict[str, dict[str, str]] = {
    "action.unknown": {
        "en": "{action}: unknown action for {kind} {number}; allowed now: {listed}",
        "ru": "{action}: неизвестное действие для {kind} {number}; сейчас допустимы: {listed}",
        "kk": "{action}: {kind} {number} үшін белгісіз әрекет; қазір рұқсат етілгендері: {listed}",
    },
    "action.not_allowed": {
        "en": "{action}: not allowed from status {status} for {kind} {number};"
        " allowed now: {listed}",
        "ru": "{action}: недопустимо в статусе {status} для {kind} {number};"
        " сейчас допустимы: {listed}",
        "kk": "{action}: {kind} {number} үшін {status} күйінде рұқсат етілмейді;"
        " қазір рұқсат етілгендері: {listed}",
    },
    "action.not_permitted": {
        "en": "{action}: {actor} may not do this on {number} (needs: {roles})",
        "ru": "{action}: {actor} не вправе совершать это действие по делу {number}"
        " (требуется: {roles})",
        "kk": "{action}: {actor} {number} ісі бойынша бұл әрекетті орындай алмайды"
        " (қажет: {roles})",
    },
    "action.version_mismatch": {
        "en": "{number} changed meanwhile: it is at version {version},"
        " you expected {expected}; read it again",
        "ru": "{number} тем временем изменилось: текущая версия {version},"
        " ожидалась {expected}; прочитайте дело снова",
        "kk": "{number} осы уақытта өзгерді: қазіргі нұсқасы {version},"
        " күтілгені {expected}; істі қайта оқыңыз",
    },
    "payload.unknown_field": {
        "en": "unknown field (this action takes: {allowed})",
        "ru": "неизвестное поле (это действие принимает: {allowed})",
        "kk": "белгісіз өріс (бұл әрекет қабылдайтындар: {allowed})",
    },
    "payload.file_on_server_only": {
        "en": "{field}: a file is attached only at the server's console (ethicsflow on the server); over the API or the web this field is not accepted yet",
        "ru": "{field}: файл прилагается только в консоли сервера (ethicsflow на сервере); через API или веб это поле пока не принимается",
        "kk": "{field}: файл тек сервер консолінде тіркеледі (сервердегі ethicsflow); API немесе веб арқылы бұл өріс әзірге қабылданбайды",
    },
    "payload.cannot_read": {
        "en": "cannot read {path}: {reason}",
        "ru": "не удаётся прочитать {path}: {reason}",
        "kk": "{path} оқу мүмкін емес: {reason}",
    },
    "payload.not_utf8": {
        "en": "{path} is not UTF-8 text (attach a binary file as a file field, e.g. {example})",
        "ru": "{path} не является текстом UTF-8 (двоичный файл прикладывается как поле-файл,"
        " например {example})",
        "kk": "{path} UTF-8 мәтіні емес (екілік файлды файл өрісі ретінде тіркеңіз,"
        " мысалы {example})",
    },
    "payload.file_not_json": {
        "en": "{path} is not valid JSON ({reason})",
        "ru": "{path} не является корректным JSON ({reason})",
        "kk": "{path} жарамды JSON емес ({reason})",
    },
    "payload.value_not_json": {
        "en": "value is not valid JSON ({reason})",
        "ru": "значение не является корректным JSON ({reason})",
        "kk": "мән жарамды JSON емес ({reason})",
    },
    "payload.offence_category": {
        "en": "must be general, discrediting or budget",
        "ru": "должно быть general, discrediting или budget",
        "kk": "general, discrediting немесе budget болуы керек",
    },
    "payload.measure_due_twice": {
        "en": "give due or due_working_days, not both",
        "ru": "укажите due или due_working_days, но не оба",
        "kk": "due немесе due_working_days көрсетіңіз, екеуін бірдей емес",
    },
    "payload.measure_due_missing": {
        "en": "give the due date (due: YYYY-MM-DD) or a number of working days"
        " (due_working_days: N), one of them",
        "ru": "укажите срок (due: ГГГГ-ММ-ДД) или число рабочих дней"
        " (due_working_days: N), одно из двух",
        "kk": "мерзімді (due: ЖЖЖЖ-АА-КК) немесе жұмыс күндерінің санын"
        " (due_working_days: N) көрсетіңіз, біреуін",
    },
    "payload.not_an_email": {
        "en": "{value!r} is not an e-mail address",
        "ru": "{value!r} не является адресом электронной почты",
        "kk": "{value!r} электрондық пошта мекенжайы емес",
    },
    "payload.not_a_time": {
        "en": "must be a time HH:MM between 00:00 and 23:59",
        "ru": "должно быть временем ЧЧ:ММ от 00:00 до 23:59",
        "kk": "00:00 мен 23:59 аралығындағы СС:ММ уақыты болуы керек",
    },
}
